package httpapi_test

// Attack tests on mutual TLS: each fails on the code it was written
// against.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/liaison-gw/liaison/internal/httpapi"
	"github.com/liaison-gw/liaison/relayer"
)

// skipStore records the operator actions that reach the store.
type skipStore struct {
	stubStore
	acted []relayer.OperatorAction
}

func (s *skipStore) Skip(_ context.Context, a relayer.OperatorAction) (relayer.State, error) {
	s.acted = append(s.acted, a)
	return relayer.StateDead, nil
}

// A client certificate is an ambient credential, like a cookie: the
// browser presents it on every request to the API's host, whichever page
// made the request. A bearer token never was (the explorer adds it from
// sessionStorage). An operator whose browser holds alice's certificate
// (she uses the explorer with it) visits a page on another site; the page
// sends a "simple" cross-site POST (text/plain, no preflight, no-cors) to
// /skip. The API does not look at Content-Type, Origin or
// Sec-Fetch-Site: the record is skipped and audited as api:alice.
func TestAttackMTLSCrossSiteRequestActsAsCertificateHolder(t *testing.T) {
	var id relayer.RecordID
	id[0] = 7
	st := &skipStore{stubStore: stubStore{entry: relayer.Entry{Record: relayer.Record{ID: id, Route: "a-to-b"}, State: relayer.StateDead}}}
	api := httpapi.New(httpapi.Options{Store: st, Clients: map[string]string{"alice": "operator"}})

	req := httptest.NewRequest("POST", "https://liaison.internal:9465/api/v1/records/"+id.String()+"/skip",
		strings.NewReader(`{"reason":"pwned"}`))
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	req.Header.Set("Origin", "https://attacker.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Sec-Fetch-Mode", "no-cors")
	alice := &x509.Certificate{Subject: pkix.Name{CommonName: "alice"}}
	req.TLS = &tls.ConnectionState{HandshakeComplete: true, PeerCertificates: []*x509.Certificate{alice},
		VerifiedChains: [][]*x509.Certificate{{alice}}}
	w := httptest.NewRecorder()
	api.ServeHTTP(w, req)
	if len(st.acted) > 0 || w.Code == http.StatusOK {
		t.Errorf("a cross-site text/plain POST carrying alice's client certificate: %d %s; the store took %d action(s) (%+v)",
			w.Code, strings.TrimSpace(w.Body.String()), len(st.acted), st.acted)
	}
}
