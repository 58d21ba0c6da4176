package main

// Attack tests on the API's mutual TLS: each fails on the code it was
// written against.

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/config"
)

// mtlsAPI serves the API over TLS, client certificates checked against
// clientCA (PEM), and returns a function that calls it with a client
// certificate chain (nil: none) and says the status. The body is {}: a
// skip by an operator is 400 (no reason) before the store is asked, by a
// reader 403, by an unknown caller 401.
func mtlsAPI(t *testing.T, clientCA []byte, clients []config.APIClient) func(chain []*mtlsKeyPair, method, path string) (int, error) {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, b []byte, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	serverCA := mtlsCA(t, "server CA")
	sc, sk := serverCA.issue(t, "liaison", true)
	cfg := &config.Config{API: config.API{Listen: "127.0.0.1:0", TLS: config.APITLS{
		Cert: write("server.crt", sc, 0o644), Key: config.Secret{File: write("server.key", sk, 0o600)},
		ClientCA: write("client-ca.crt", clientCA, 0o644), Clients: clients}}}
	a := serveTestAPI(t, cfg)
	roots := x509.NewCertPool()
	roots.AddCert(serverCA.cert)
	return func(chain []*mtlsKeyPair, method, path string) (int, error) {
		tc := &tls.Config{RootCAs: roots}
		if len(chain) > 0 {
			c := tls.Certificate{PrivateKey: chain[0].key, Leaf: chain[0].cert}
			for _, kp := range chain {
				c.Certificate = append(c.Certificate, kp.cert.Raw)
			}
			tc.Certificates = []tls.Certificate{c}
		}
		hc := &http.Client{Transport: &http.Transport{TLSClientConfig: tc}, Timeout: 10 * time.Second}
		defer hc.CloseIdleConnections()
		req, _ := http.NewRequest(method, "https://"+a.Addr()+path, strings.NewReader(`{}`))
		resp, err := hc.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
}

// A certificate's subject may hold several common names. Go's
// Subject.CommonName is the last one; openssl, most CA front ends and
// humans read the first (`openssl x509 -subject` prints CN=mallory first,
// and a CA that checks "the" CN of a request against the requester's
// login checks that one). A CA that issues mallory's request for
// "CN=mallory, CN=alice" makes mallory the operator alice.
func TestAttackMTLSSecondCommonNameIsTheIdentity(t *testing.T) {
	ca := mtlsCA(t, "clients CA")
	call := mtlsAPI(t, ca.certPEM, []config.APIClient{{Name: "alice", Role: config.RoleOperator}, {Name: "mallory", Role: config.RoleRead}})
	cn := asn1.ObjectIdentifier{2, 5, 4, 3}
	rdn, _ := asn1.Marshal(pkix.RDNSequence{
		{{Type: cn, Value: "mallory"}},
		{{Type: cn, Value: "alice"}},
	})
	tmpl := clientTmpl("")
	tmpl.RawSubject = rdn
	two := mtlsSign(t, tmpl, ca)
	id := strings.Repeat("ab", 32)
	code, err := call([]*mtlsKeyPair{two}, "POST", "/api/v1/records/"+id+"/skip")
	if err != nil || code == http.StatusBadRequest {
		t.Errorf("a certificate with subject CN=mallory, CN=alice (Go reads CN %q) was let through to the operator action: %d %v; "+
			"want it refused (401), a subject with more than one common name names no one", two.cert.Subject.CommonName, code, err)
	}
}

// api.tls.client_ca is used as a set of trust anchors, and Go does not ask
// a trust anchor to be a CA of any particular kind: only that its key may
// sign certificates, which a self-signed certificate made with
// `openssl req -x509` (basicConstraints CA:TRUE, no keyUsage) allows. A
// deployment that pins its callers by listing their self-signed
// certificates in client_ca (alice.crt and carol.crt concatenated) lets
// carol, a reader, issue herself a certificate named alice with her own
// key: she is the operator. The configuration validates and the API
// starts; nothing tells the operator that a client's own certificate is
// among the issuers.
func TestAttackMTLSPinnedClientCertificateIssuesOtherClients(t *testing.T) {
	selfSigned := func(cn string) *mtlsKeyPair {
		tmpl := clientTmpl(cn)
		tmpl.IsCA, tmpl.BasicConstraintsValid, tmpl.KeyUsage = true, true, 0 // openssl req -x509 defaults
		return mtlsSign(t, tmpl, nil)
	}
	alice, carol := selfSigned("alice"), selfSigned("carol")
	bundle := append(append([]byte{}, alice.certPEM...), carol.certPEM...)
	// The fix: such a client_ca is refused when the API opens (and by
	// config validate), naming the client certificate in it.
	dir := t.TempDir()
	caFile := filepath.Join(dir, "client-ca.crt")
	if err := os.WriteFile(caFile, bundle, 0o644); err != nil {
		t.Fatal(err)
	}
	serverCA := mtlsCA(t, "server CA")
	sc, sk := serverCA.issue(t, "liaison", true)
	certFile, keyFile := filepath.Join(dir, "server.crt"), filepath.Join(dir, "server.key")
	if err := os.WriteFile(certFile, sc, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, sk, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{API: config.API{Listen: "127.0.0.1:0", TLS: config.APITLS{Cert: certFile, Key: config.Secret{File: keyFile},
		ClientCA: caFile, Clients: []config.APIClient{{Name: "alice", Role: config.RoleOperator}, {Name: "carol", Role: config.RoleRead}}}}}
	a, err := openAPI(cfg, nil, nil, nil, slog.New(slog.DiscardHandler))
	if err == nil {
		a.ln.Close()
		t.Fatal("a client_ca holding the clients' own certificates was accepted: carol could issue a certificate named alice")
	}
	if !strings.Contains(err.Error(), "a client's own name") {
		t.Fatalf("refused, but not for the reason: %v", err)
	}
}
