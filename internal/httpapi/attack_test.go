package httpapi_test

// Attack tests: each one demonstrates a weakness of the API found in
// review and fails until it is fixed.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/internal/httpapi"
	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/relayertest"
	"github.com/liaison-gw/liaison/relayer/sqlitestore"
)

// liveRoute runs a real engine over the SQLite store on one route whose
// destination is dst, and serves the API (with the read and operator
// tokens of the fixture) over it.
type liveRoute struct {
	store *sqlitestore.Store
	srv   *httptest.Server
	src   *relayertest.Chain
}

func newLiveRoute(t *testing.T, dst *relayertest.Destination, pol relayer.RoutePolicy) *liveRoute {
	t.Helper()
	store, err := sqlitestore.Open(filepath.Join(t.TempDir(), "l.db"), sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	src := relayertest.NewChain("dept-a")
	eng := runRoute(t, store, relayer.Route{Source: &relayertest.Source{Chain: src}, Destination: dst,
		Prover: &relayertest.Prover{Chain: src}, Policy: pol})
	api := httpapi.New(httpapi.Options{Store: store, Engine: eng, Chains: []relayer.ChainID{"dept-a", "dept-b"},
		Tokens: []httpapi.Token{{Name: "grafana", Secret: readToken, Role: "read"}, {Name: "alice", Secret: opsToken, Role: "operator"}}})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return &liveRoute{store: store, srv: srv, src: src}
}

func (l *liveRoute) waitState(t *testing.T, id relayer.RecordID, want relayer.State) relayer.Entry {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		es, err := l.store.Get(context.Background(), id)
		if err == nil && len(es) == 1 && es[0].State == want {
			return es[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("record %s never reached %s: %+v %v", id, want, es, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func post(t *testing.T, url, token string, body any) (int, []byte) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// A record whose submission landed but whose Submit call failed (the node
// dropped the connection after accepting the transaction) goes dead from
// submitting with no destination transaction on a destination that does
// not prepare. POST /retry then sends it back to observed, not submitting:
// the engine proves it again and submits it again without asking the
// destination first, and the record lands twice. The architecture
// promises "If it may already have reached the destination, it goes to
// submitting instead, so that the destination is asked first."
func TestAttackRetryOfRecordDeadAfterLandingDeliversItTwice(t *testing.T) {
	dst := relayertest.NewDestination("dept-b")
	var landedOnce atomic.Bool
	dst.LandThenFail = func(*relayer.Record) bool { return landedOnce.CompareAndSwap(false, true) }
	l := newLiveRoute(t, dst, relayer.RoutePolicy{PollInterval: time.Millisecond, Retry: relayer.RetryPolicy{MaxAttempts: 1}})
	id := l.src.Publish("dept-b", 1)[0].ID
	dead := l.waitState(t, id, relayer.StateDead)
	if dst.Landed(id) != 1 {
		t.Fatalf("setup: the first submission should have landed (landed %d)", dst.Landed(id))
	}
	code, body := post(t, l.srv.URL+"/api/v1/records/"+id.String()+"/retry", opsToken, httpapi.Action{Reason: "node was flaky"})
	if code != http.StatusOK {
		t.Fatalf("retry: %d %s", code, body)
	}
	var res httpapi.ActionResult
	_ = json.Unmarshal(body, &res)
	l.waitState(t, id, relayer.StateConfirmed)
	if n := dst.Duplicates.Load(); n != 0 {
		t.Errorf("POST /retry on a record that died in %q (dest_tx %q, last error %q) moved it %s → %s; "+
			"the engine re-submitted without asking the destination and the record landed %d times (%d duplicate)",
			"submitting", dead.DestTx, dead.LastError, res.From, res.To, dst.Landed(id), n)
	}
}

// POST /skip accepts a record in submitted (its transaction is on the
// destination, awaiting finality) and reports it skipped: "it will not be
// delivered". The destination has it; an operator who then re-issues the
// licence as a new record delivers it twice.
func TestAttackSkipOfSubmittedRecordThatIsDelivered(t *testing.T) {
	dst := relayertest.NewDestination("dept-b")
	dst.PendingConfirms = 1 << 20
	l := newLiveRoute(t, dst, relayer.RoutePolicy{PollInterval: time.Millisecond, ConfirmInterval: time.Hour,
		Retry: relayer.RetryPolicy{MaxAttempts: 3}})
	id := l.src.Publish("dept-b", 1)[0].ID
	l.waitState(t, id, relayer.StateSubmitted)
	code, body := post(t, l.srv.URL+"/api/v1/records/"+id.String()+"/skip", opsToken, httpapi.Action{Reason: "withdrawn; will re-issue"})
	if code == http.StatusOK {
		t.Errorf("skip of a submitted record: %d %s; the destination holds it (landed %d): "+
			"the store now says skipped for a record that is delivered", code, body, dst.Landed(id))
	}
}

// stubStore fails the operator actions with an internal error.
type stubStore struct {
	relayer.Store // nil: only the methods below are called
	entry         relayer.Entry
	err           error
}

func (s *stubStore) Get(context.Context, relayer.RecordID) ([]relayer.Entry, error) {
	return []relayer.Entry{s.entry}, nil
}

func (s *stubStore) Retry(context.Context, relayer.OperatorAction) (relayer.State, relayer.State, error) {
	return "", "", s.err
}

func (s *stubStore) LatestAnchor(context.Context, relayer.ChainID) (relayer.Anchor, error) {
	return relayer.Anchor{}, relayer.ErrNotFound
}

// Any store failure of retry or skip that is not ErrNotFound or
// ErrBadQuery is answered 409 with the store's own message: a disk or
// SQLite failure is shown to the caller (file paths and driver text
// included) as if the record's state refused the action, instead of 500
// with the cause only in the log.
func TestAttackOperatorActionLeaksStoreErrors(t *testing.T) {
	var id relayer.RecordID
	id[0] = 1
	internal := errors.New("sqlite: open /var/lib/liaison/state/liaison.db-wal: disk I/O error (SQLITE_IOERR)")
	st := &stubStore{entry: relayer.Entry{Record: relayer.Record{ID: id, Route: "a-to-b"}, State: relayer.StateDead}, err: internal}
	api := httpapi.New(httpapi.Options{Store: st, Tokens: []httpapi.Token{{Name: "alice", Secret: opsToken, Role: "operator"}}})
	srv := httptest.NewServer(api)
	defer srv.Close()
	code, body := post(t, srv.URL+"/api/v1/records/"+id.String()+"/retry", opsToken, httpapi.Action{})
	if code != http.StatusInternalServerError || strings.Contains(string(body), "/var/lib/liaison") {
		t.Errorf("a store failure during retry: %d %s; want 500 without the store's message", code, body)
	}
}

// Without tokens the API trusts whoever reaches the loopback address, and
// it answers any Host. A web page the operator visits can rebind its name
// to 127.0.0.1 (DNS rebinding) and read every record, payload, evidence
// bundle and the audit log from the browser, same-origin.
func TestAttackTokenlessAPIAnswersForeignHost(t *testing.T) {
	api := httpapi.New(httpapi.Options{}) // no tokens: the loopback-only mode
	for _, host := range []string{"rebind.attacker.example:9465", "attacker.example"} {
		req := httptest.NewRequest("GET", "/api/v1/openapi.yaml", nil)
		req.Host = host
		req.RemoteAddr = "127.0.0.1:51000" // the victim's browser, on this machine
		w := httptest.NewRecorder()
		api.ServeHTTP(w, req)
		if w.Code == http.StatusOK {
			t.Errorf("tokenless API answered Host %q with %d: a DNS-rebinding page can read it", host, w.Code)
		}
	}
}

// The state filter is not deduplicated or bounded: one read request with
// a long query string (well under the server's 1 MB header limit) makes
// the store build a query with more SQL variables than SQLite allows, and
// every such request is a 500 and an error line in the relayer's log.
func TestAttackStateFilterOverflowsSQLiteVariables(t *testing.T) {
	f := newFixture(t)
	q := "/api/v1/records?state=" + strings.TrimSuffix(strings.Repeat("dead,", 40000), ",")
	req, _ := http.NewRequest("GET", f.srv.URL+q, nil)
	req.Header.Set("Authorization", "Bearer "+readToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 500 {
		t.Errorf("GET /records with 40000 state values (%d bytes of query): %d %s; want 400 or the dead records",
			len(q), resp.StatusCode, body)
	}
}
