package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/liaison-gw/liaison/internal/httpapi"
	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/relayertest"
	"github.com/liaison-gw/liaison/relayer/sqlitestore"
)

const (
	readToken = "read-token-0123456789abcdef0123456789"
	opsToken  = "ops-token-0123456789abcdef0123456789ab"
)

// fixture runs a real engine (fake ledgers, the SQLite store) until four
// of five records are delivered and the fifth, forged, is dead, and serves
// the API over it.
type fixture struct {
	t      *testing.T
	srv    *httptest.Server
	api    *httpapi.Server
	doc    *openAPIDoc
	forged relayer.RecordID
	src    *relayertest.Chain
}

func newFixture(t *testing.T) *fixture { return newFixtureWith(t, time.Millisecond) }

// newFixtureWith is newFixture with the route's poll interval.
func newFixtureWith(t *testing.T, poll time.Duration) *fixture {
	t.Helper()
	store, err := sqlitestore.Open(filepath.Join(t.TempDir(), "l.db"), sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	src := relayertest.NewChain("dept-a")
	dst := relayertest.NewDestination("dept-b")
	forged := src.Publish("dept-b", 5)[4].ID
	eng := runRoute(t, store, relayer.Route{Source: &relayertest.Source{Chain: src}, Destination: dst,
		Prover: &relayertest.Prover{Chain: src, Forge: func(r *relayer.Record) bool { return r.ID == forged }},
		Policy: relayer.RoutePolicy{PollInterval: poll, Retry: relayer.RetryPolicy{MaxAttempts: 1}}})
	ctx := context.Background()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, err := store.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) == 1 && st[0].Pending == 0 && st[0].Dead == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("records not settled: %+v", st)
		}
		time.Sleep(5 * time.Millisecond)
	}
	api := httpapi.New(httpapi.Options{Store: store, Engine: eng, Chains: []relayer.ChainID{"dept-a", "dept-b"},
		TrustExpiry: func(c relayer.ChainID) (time.Time, bool) { return time.Unix(2e9, 0), c == "dept-a" },
		Tokens:      []httpapi.Token{{Name: "grafana", Secret: readToken, Role: "read"}, {Name: "alice", Secret: opsToken, Role: "operator"}}})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return &fixture{t: t, srv: srv, api: api, doc: loadDoc(t), forged: forged, src: src}
}

// runRoute runs an engine with route r from dept-a to dept-b (its name,
// chains and verifier filled in) until the test ends.
func runRoute(t *testing.T, store *sqlitestore.Store, r relayer.Route) *relayer.Engine {
	t.Helper()
	r.Name, r.SourceChain, r.DestChain, r.Verifier = "a-to-b", "dept-a", "dept-b", relayertest.Verifier{}
	eng, err := relayer.NewEngine(relayer.Options{Store: store, Routes: []relayer.Route{r}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return eng
}

// call makes a request and checks the response against the OpenAPI
// document: its status is one the operation lists, and a JSON body has
// that response's shape.
func (f *fixture) call(method, path, token string, body any) (int, []byte) {
	f.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	f.doc.check(f.t, method, path, resp.StatusCode, resp.Header.Get("Content-Type"), out)
	return resp.StatusCode, out
}

func (f *fixture) get(path string, v any) {
	f.t.Helper()
	code, body := f.call("GET", path, readToken, nil)
	if code != http.StatusOK {
		f.t.Fatalf("GET %s: %d %s", path, code, body)
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			f.t.Fatalf("GET %s: %v", path, err)
		}
	}
}

func TestServerRoutesMatchOpenAPI(t *testing.T) {
	doc := loadDoc(t)
	var documented []string
	for p, ops := range doc.Paths {
		for m := range ops {
			documented = append(documented, strings.ToUpper(m)+" "+p)
		}
	}
	served := httpapi.New(httpapi.Options{}).Routes()
	sort.Strings(documented)
	sort.Strings(served)
	if !slices.Equal(documented, served) {
		t.Fatalf("openapi.yaml documents\n  %s\nthe server serves\n  %s", strings.Join(documented, "\n  "), strings.Join(served, "\n  "))
	}
}

func TestRecordsListedPagedAndFiltered(t *testing.T) {
	f := newFixture(t)
	seen := map[string]bool{}
	path := "/api/v1/records?route=a-to-b&limit=2"
	pages := 0
	for {
		var page httpapi.RecordPage
		f.get(path, &page)
		pages++
		for _, r := range page.Records {
			if seen[r.ID] {
				t.Fatalf("record %s listed twice", r.ID)
			}
			seen[r.ID] = true
		}
		if page.Next == "" {
			break
		}
		path = "/api/v1/records?route=a-to-b&limit=2&cursor=" + page.Next
	}
	if len(seen) != 5 || pages != 3 {
		t.Fatalf("%d records in %d pages, want 5 in 3", len(seen), pages)
	}
	var dead httpapi.RecordPage
	f.get("/api/v1/records?state=dead", &dead)
	if len(dead.Records) != 1 || dead.Records[0].ID != f.forged.String() || dead.Records[0].LastError == "" {
		t.Fatalf("dead records: %+v", dead.Records)
	}
	var confirmed httpapi.RecordPage
	f.get("/api/v1/records?state=confirmed,skipped", &confirmed)
	if len(confirmed.Records) != 4 || confirmed.Records[0].Destination.Tx == "" || confirmed.Records[0].Evidence == nil {
		t.Fatalf("confirmed records: %+v", confirmed.Records)
	}
	var byTx httpapi.RecordPage
	f.get("/api/v1/records?dest_tx="+confirmed.Records[0].Destination.Tx, &byTx)
	if len(byTx.Records) != 1 || byTx.Records[0].ID != confirmed.Records[0].ID {
		t.Fatalf("by destination transaction: %+v", byTx.Records)
	}
	var none httpapi.RecordPage
	f.get("/api/v1/records?since="+time.Now().Add(time.Hour).UTC().Format(time.RFC3339), &none)
	if len(none.Records) != 0 {
		t.Fatalf("records observed in the future: %d", len(none.Records))
	}
	for _, bad := range []string{"state=lost", "cursor=abc", "limit=0", "since=yesterday"} {
		if code, body := f.call("GET", "/api/v1/records?"+bad, readToken, nil); code != http.StatusBadRequest {
			t.Errorf("?%s: %d %s, want 400", bad, code, body)
		}
	}
}

func TestRecordTimelineAndEvidence(t *testing.T) {
	f := newFixture(t)
	var page httpapi.RecordPage
	f.get("/api/v1/records?state=confirmed&limit=1", &page)
	id := page.Records[0].ID
	var d httpapi.RecordDetail
	f.get("/api/v1/records/"+id, &d)
	if d.ID != id || len(d.Routes) != 1 || d.Routes[0].State != "confirmed" {
		t.Fatalf("record: %+v", d)
	}
	var stages []string
	for _, e := range d.Routes[0].Timeline {
		stages = append(stages, string(e.Stage))
	}
	for _, want := range []string{"observed", "proven", "verified", "submitted", "confirmed"} {
		if !slices.Contains(stages, want) {
			t.Errorf("timeline %v lacks %s", stages, want)
		}
	}
	code, raw := f.call("GET", "/api/v1/records/"+id+"/evidence", readToken, nil)
	sum := sha256.Sum256(raw)
	if code != http.StatusOK || hex.EncodeToString(sum[:]) != d.Routes[0].Evidence.SHA256 || len(raw) != d.Routes[0].Evidence.Bytes {
		t.Fatalf("evidence: %d, sha256 %x, want %s", code, sum, d.Routes[0].Evidence.SHA256)
	}
	if ev, err := relayer.DecodeEvidence(raw); err != nil || ev.Record.ID.String() != id {
		t.Fatalf("evidence does not decode to the record: %v", err)
	}
	for path, want := range map[string]int{
		"/api/v1/records/" + strings.Repeat("ab", 32):               http.StatusNotFound,
		"/api/v1/records/xyz":                                       http.StatusBadRequest,
		"/api/v1/records/" + id + "/evidence?route=other":           http.StatusNotFound,
		"/api/v1/records/" + strings.Repeat("ab", 32) + "/evidence": http.StatusNotFound,
	} {
		if code, body := f.call("GET", path, readToken, nil); code != want {
			t.Errorf("GET %s: %d %s, want %d", path, code, body, want)
		}
	}
}

func TestRoutesChainsStats(t *testing.T) {
	f := newFixture(t)
	var routes []httpapi.RouteHealth
	f.get("/api/v1/routes", &routes)
	if len(routes) != 1 || routes[0].Route != "a-to-b" || routes[0].Dead != 1 || routes[0].Backlog != 0 ||
		routes[0].SourceHead != 5 || routes[0].Halted || routes[0].Ordering != "unordered" {
		t.Fatalf("routes: %+v", routes)
	}
	var chains []httpapi.ChainHealth
	f.get("/api/v1/chains", &chains)
	if len(chains) != 2 || chains[0].Anchor == nil || chains[0].TrustExpires == nil || chains[1].TrustExpires != nil {
		t.Fatalf("chains: %+v", chains)
	}
	var st httpapi.Stats
	f.get("/api/v1/stats?since=all", &st)
	if st.Since != nil || len(st.Routes) != 1 || st.Routes[0].Records != 4 || len(st.Routes[0].Stages) != len(relayer.LatencyStages) {
		t.Fatalf("stats: %+v", st)
	}
	if code, _ := f.call("GET", "/api/v1/stats?since=soon", readToken, nil); code != http.StatusBadRequest {
		t.Errorf("bad since: %d", code)
	}
	code, body := f.call("GET", "/api/v1/openapi.yaml", readToken, nil)
	if code != http.StatusOK || !bytes.Equal(body, httpapi.OpenAPI) {
		t.Errorf("openapi.yaml: %d", code)
	}
}

func TestAuthAndOperatorActions(t *testing.T) {
	f := newFixture(t)
	dead := f.forged.String()
	for _, c := range []struct {
		method, path, token string
		body                any
		want                int
	}{
		{"GET", "/api/v1/routes", "", nil, http.StatusUnauthorized},
		{"GET", "/api/v1/routes", "not-a-token", nil, http.StatusUnauthorized},
		{"POST", "/api/v1/records/" + dead + "/retry", readToken, httpapi.Action{}, http.StatusForbidden},
		{"POST", "/api/v1/records/" + dead + "/skip", opsToken, httpapi.Action{}, http.StatusBadRequest}, // no reason
		{"POST", "/api/v1/records/" + dead + "/retry", opsToken, map[string]string{"rout": "a-to-b"}, http.StatusBadRequest},
		{"POST", "/api/v1/records/" + dead + "/retry", opsToken, httpapi.Action{Route: "b-to-a"}, http.StatusNotFound},
	} {
		if code, body := f.call(c.method, c.path, c.token, c.body); code != c.want {
			t.Errorf("%s %s with %q: %d %s, want %d", c.method, c.path, c.token, code, body, c.want)
		}
	}
	code, body := f.call("POST", "/api/v1/records/"+dead+"/skip", opsToken, httpapi.Action{Reason: "forged upstream; re-issued as a new licence"})
	var res httpapi.ActionResult
	if err := json.Unmarshal(body, &res); code != http.StatusOK || err != nil || res.From != "dead" || res.To != "skipped" || res.Actor != "api:alice" {
		t.Fatalf("skip: %d %s", code, body)
	}
	// A skipped record cannot be skipped again; the store says why.
	if code, body := f.call("POST", "/api/v1/records/"+dead+"/skip", opsToken, httpapi.Action{Reason: "again"}); code != http.StatusConflict {
		t.Errorf("second skip: %d %s, want 409", code, body)
	}
	var audit []httpapi.AuditRow
	f.get("/api/v1/audit", &audit)
	if len(audit) != 1 || audit[0].Actor != "api:alice" || audit[0].Action != "skip" || audit[0].ID != dead || audit[0].To != "skipped" {
		t.Fatalf("audit: %+v", audit)
	}
}

// TestRelayOnRequest: a route that polls once an hour relays a record
// published after its first poll when asked to, at once.
func TestRelayOnRequest(t *testing.T) {
	f := newFixtureWith(t, time.Hour)
	f.src.Publish("dept-b", 1) // src-tx-6
	for _, c := range []struct {
		token string
		body  any
		want  int
	}{
		{readToken, httpapi.RelayRequest{SourceTx: "src-tx-6"}, http.StatusForbidden},
		{opsToken, httpapi.RelayRequest{}, http.StatusBadRequest},
		{opsToken, httpapi.RelayRequest{SourceTx: "src-tx-6", Wait: "2h"}, http.StatusBadRequest},
		{opsToken, httpapi.RelayRequest{SourceTx: "src-tx-6", Route: "b-to-a"}, http.StatusNotFound},
	} {
		if code, body := f.call("POST", "/api/v1/relay", c.token, c.body); code != c.want {
			t.Errorf("relay %+v: %d %s, want %d", c.body, code, body, c.want)
		}
	}
	code, body := f.call("POST", "/api/v1/relay", opsToken, httpapi.RelayRequest{SourceTx: "src-tx-6", Wait: "10s"})
	var res httpapi.RelayResult
	if err := json.Unmarshal(body, &res); code != http.StatusOK || err != nil || len(res.Records) != 1 || res.Records[0].Source.Tx != "src-tx-6" ||
		!slices.Equal(res.Routes, []string{"a-to-b"}) {
		t.Fatalf("relay: %d %s", code, body)
	}
	code, body = f.call("POST", "/api/v1/relay", opsToken, httpapi.RelayRequest{SourceTx: "src-tx-99", Wait: "100ms"})
	if err := json.Unmarshal(body, &res); code != http.StatusAccepted || err != nil || len(res.Records) != 0 || res.Message == "" {
		t.Fatalf("relay of a transaction with no record: %d %s", code, body)
	}
}

// openAPIDoc is the part of openapi.yaml the tests read.
type openAPIDoc struct {
	Paths      map[string]map[string]operation `yaml:"paths"`
	Components struct {
		Schemas   map[string]*schema `yaml:"schemas"`
		Responses map[string]struct {
			Content map[string]struct {
				Schema *schema `yaml:"schema"`
			} `yaml:"content"`
		} `yaml:"responses"`
	} `yaml:"components"`
}

type operation struct {
	Responses map[string]struct {
		Ref     string `yaml:"$ref"`
		Content map[string]struct {
			Schema *schema `yaml:"schema"`
		} `yaml:"content"`
	} `yaml:"responses"`
}

type schema struct {
	Ref        string             `yaml:"$ref"`
	Type       string             `yaml:"type"`
	Required   []string           `yaml:"required"`
	Properties map[string]*schema `yaml:"properties"`
	Items      *schema            `yaml:"items"`
	AllOf      []*schema          `yaml:"allOf"`
	Enum       []string           `yaml:"enum"`
}

func loadDoc(t *testing.T) *openAPIDoc {
	t.Helper()
	var d openAPIDoc
	if err := yaml.Unmarshal(httpapi.OpenAPI, &d); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	return &d
}

// check validates a response against the operation that serves path.
func (d *openAPIDoc) check(t *testing.T, method, rawPath string, code int, ctype string, body []byte) {
	t.Helper()
	path, _, _ := strings.Cut(rawPath, "?")
	var op *operation
	for p, ops := range d.Paths {
		if matchPath(p, path) {
			if o, ok := ops[strings.ToLower(method)]; ok {
				op = &o
			}
		}
	}
	if op == nil {
		t.Fatalf("%s %s is not in openapi.yaml", method, path)
	}
	resp, ok := op.Responses[fmt.Sprint(code)]
	if !ok {
		t.Fatalf("%s %s answered %d, which openapi.yaml does not list: %s", method, path, code, body)
	}
	var sc *schema
	if resp.Ref != "" {
		name := strings.TrimPrefix(resp.Ref, "#/components/responses/")
		sc = d.Components.Responses[name].Content["application/json"].Schema
	} else if c, ok := resp.Content[strings.TrimSpace(strings.Split(ctype, ";")[0])]; ok {
		sc = c.Schema
	} else {
		t.Fatalf("%s %s answered %d with %s, which openapi.yaml does not list", method, path, code, ctype)
	}
	if !strings.HasPrefix(ctype, "application/json") {
		return
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s %s: body is not JSON: %v", method, path, err)
	}
	if err := d.validate(sc, v, "$"); err != nil {
		t.Fatalf("%s %s (%d) does not match openapi.yaml: %v\n%s", method, path, code, err, body)
	}
}

func matchPath(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if !strings.HasPrefix(ps[i], "{") && ps[i] != xs[i] {
			return false
		}
	}
	return true
}

// validate checks v against s: types, required and unknown properties,
// items and enums. It is the subset of OpenAPI the document uses.
func (d *openAPIDoc) validate(s *schema, v any, at string) error {
	if s.Ref != "" {
		return d.validate(d.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")], v, at)
	}
	if len(s.AllOf) > 0 {
		merged := &schema{Type: "object", Properties: map[string]*schema{}}
		for _, part := range s.AllOf {
			for part.Ref != "" {
				part = d.Components.Schemas[strings.TrimPrefix(part.Ref, "#/components/schemas/")]
			}
			merged.Required = append(merged.Required, part.Required...)
			for k, p := range part.Properties {
				merged.Properties[k] = p
			}
		}
		return d.validate(merged, v, at)
	}
	switch s.Type {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: want an object, got %T", at, v)
		}
		for _, r := range s.Required {
			if _, ok := m[r]; !ok {
				return fmt.Errorf("%s: lacks %q", at, r)
			}
		}
		if s.Properties == nil {
			return nil // free-form
		}
		for k, x := range m {
			p, ok := s.Properties[k]
			if !ok {
				return fmt.Errorf("%s: %q is not in the schema", at, k)
			}
			if err := d.validate(p, x, at+"."+k); err != nil {
				return err
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: want an array, got %T", at, v)
		}
		for i, x := range a {
			if err := d.validate(s.Items, x, fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: want a string, got %T", at, v)
		}
		if len(s.Enum) > 0 && !slices.Contains(s.Enum, str) {
			return fmt.Errorf("%s: %q is not one of %v", at, str, s.Enum)
		}
	case "integer":
		n, ok := v.(float64)
		if !ok || n != float64(int64(n)) {
			return fmt.Errorf("%s: want an integer, got %v", at, v)
		}
	case "number":
		if _, ok := v.(float64); !ok {
			return fmt.Errorf("%s: want a number, got %T", at, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: want a boolean, got %T", at, v)
		}
	default:
		return fmt.Errorf("%s: the schema has no type", at)
	}
	return nil
}
