// Package httpapi is the HTTP API that `liaison start` serves: records,
// their timelines and evidence, statistics, route and chain health, and
// the operator actions, described by openapi.yaml. It reads and writes
// through the store's interfaces and asks the engine for its routes; it
// knows no concrete ledger.
package httpapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"embed"
	"encoding/asn1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/liaison-gw/liaison/relayer"
)

// OpenAPI is the API's description, served at /api/v1/openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte

// explorer is the record explorer's page, script and style.
//
//go:embed explorer
var explorer embed.FS

// Store is what the API reads and the operator actions write.
type Store interface {
	relayer.Inspector
	relayer.Operator
	LatestAnchor(ctx context.Context, chain relayer.ChainID) (relayer.Anchor, error)
}

// Engine is what the API asks of the running engine (relayer.Engine).
type Engine interface {
	Routes() []relayer.RouteStatus
	PollNow(routes ...string) ([]string, error)
}

// Token is a caller's bearer token and role ("read" or "operator").
type Token struct {
	Name, Secret, Role string
}

// Options configure the API.
type Options struct {
	Store  Store
	Engine Engine
	// Chains are the configured chains, for /chains.
	Chains []relayer.ChainID
	// TrustExpiry reports when a chain's newest trusted light-client
	// state expires, once its adapter warned; nil: never known.
	TrustExpiry func(relayer.ChainID) (time.Time, bool)
	// Tokens, when any, are required on every request.
	Tokens []Token
	// Clients maps the subject common name of a verified client
	// certificate (mutual TLS) to its role; a caller may present one
	// instead of a token.
	Clients map[string]string
	Logger  *slog.Logger
	Now     func() time.Time
}

// Server serves the API.
type Server struct {
	o      Options
	mux    *http.ServeMux
	routes []string // "METHOD /path", as registered
	// cop refuses cross-site requests that change something: a browser
	// sends a client certificate to the API whichever page asks.
	cop *http.CrossOriginProtection
}

// New returns the API's handler.
func New(o Options) *Server {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Server{o: o, mux: http.NewServeMux(), cop: http.NewCrossOriginProtection()}
	s.handle("GET /api/v1/records", roleRead, s.listRecords)
	s.handle("GET /api/v1/records/{id}", roleRead, s.getRecord)
	s.handle("GET /api/v1/records/{id}/evidence", roleRead, s.getEvidence)
	s.handle("POST /api/v1/records/{id}/retry", roleOperator, s.retry)
	s.handle("POST /api/v1/records/{id}/skip", roleOperator, s.skip)
	s.handle("POST /api/v1/relay", roleOperator, s.relay)
	s.handle("GET /api/v1/routes", roleRead, s.listRoutes)
	s.handle("GET /api/v1/chains", roleRead, s.listChains)
	s.handle("GET /api/v1/stats", roleRead, s.stats)
	s.handle("GET /api/v1/audit", roleRead, s.audit)
	s.handle("GET /api/v1/openapi.yaml", roleRead, func(w http.ResponseWriter, r *http.Request, _ caller) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(OpenAPI)
	})
	// The explorer: static files, no data in them; the page asks the API
	// with the token the user gives it. Nothing is fetched from elsewhere.
	static, _ := fs.Sub(explorer, "explorer")
	files := http.StripPrefix("/explorer/", http.FileServerFS(static))
	s.mux.HandleFunc("GET /explorer/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; frame-ancestors 'none'")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/explorer/", http.StatusFound)
	})
	return s
}

// Routes lists the registered routes, "METHOD /path" each.
func (s *Server) Routes() []string { return append([]string(nil), s.routes...) }

// ServeHTTP serves a request. Requests that are not safe (POST) from
// another site are refused (Sec-Fetch-Site, Origin); see also decodeBody.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := s.cop.Check(r); err != nil {
		writeError(w, http.StatusForbidden, "a cross-origin request that changes something is refused: "+err.Error())
		return
	}
	s.mux.ServeHTTP(w, r)
}

// decodeBody decodes a JSON request body of at most 64 KiB into v. The
// body must be declared JSON: a cross-site form or no-cors fetch cannot
// send that without a preflight. It answers the error itself.
func decodeBody(w http.ResponseWriter, r *http.Request, v any, want string) bool {
	if ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); !strings.EqualFold(strings.TrimSpace(ct), "application/json") {
		writeError(w, http.StatusUnsupportedMediaType, "the body must be JSON, sent with Content-Type: application/json")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "body: want "+want+": "+err.Error())
		return false
	}
	return true
}

const (
	roleRead     = "read"
	roleOperator = "operator"
)

// commonNames counts the common names in a certificate's subject. Go takes
// the last as Subject.CommonName, other tools the first: a subject with two
// could name one caller to its CA and another here.
func commonNames(c *x509.Certificate) int {
	n := 0
	for _, a := range c.Subject.Names {
		if a.Type.Equal(oidCommonName) {
			n++
		}
	}
	return n
}

var oidCommonName = asn1.ObjectIdentifier{2, 5, 4, 3}

// identifies reports whether callers must say who they are (tokens or
// client certificates are configured).
func (s *Server) identifies() bool { return len(s.o.Tokens) > 0 || len(s.o.Clients) > 0 }

// caller is who made a request: a token's or a client certificate's
// name, or "local" without either.
type caller struct{ name, role string }

func (s *Server) handle(pattern, need string, h func(http.ResponseWriter, *http.Request, caller)) {
	s.routes = append(s.routes, pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		c, ok := s.authenticate(r)
		switch {
		case !s.identifies() && !loopbackHost(r.Host):
			// Without tokens, whoever reaches the loopback address may
			// read. A web page can rebind its own name to 127.0.0.1 and
			// read from the browser (DNS rebinding): answer only requests
			// addressed to this machine by a loopback name.
			writeError(w, http.StatusForbidden, fmt.Sprintf("host %q: without api.tokens the API answers only requests to a loopback address", r.Host))
			return
		case !ok:
			w.Header().Set("WWW-Authenticate", `Bearer realm="liaison"`)
			writeError(w, http.StatusUnauthorized, "a valid bearer token is required (Authorization: Bearer TOKEN; see api.tokens)")
			return
		case need == roleOperator && c.role != roleOperator:
			writeError(w, http.StatusForbidden, fmt.Sprintf("%s needs an operator token; %s has role %s", pattern, c.name, c.role))
			return
		}
		h(w, r, c)
	})
}

// authenticate finds the caller's token. Without configured tokens every
// caller is "local" with the read role: the config allows that only on a
// loopback address.
func (s *Server) authenticate(r *http.Request) (caller, bool) {
	if !s.identifies() {
		return caller{name: "local", role: roleRead}, true
	}
	if r.Header.Get("Authorization") == "" && r.TLS != nil && len(r.TLS.VerifiedChains) > 0 && len(r.TLS.VerifiedChains[0]) > 0 {
		// A client certificate the server's TLS verified against the
		// configured CA: its common name must be a configured client.
		leaf := r.TLS.VerifiedChains[0][0]
		cn := leaf.Subject.CommonName
		if role, ok := s.o.Clients[cn]; ok && cn != "" && commonNames(leaf) == 1 {
			return caller{name: cn, role: role}, true
		}
		return caller{}, false
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || got == "" {
		return caller{}, false
	}
	for _, t := range s.o.Tokens {
		if subtle.ConstantTimeCompare([]byte(got), []byte(t.Secret)) == 1 {
			return caller{name: t.Name, role: t.Role}, true
		}
	}
	return caller{}, false
}

// loopbackHost reports whether a request's Host names this machine:
// localhost, or a loopback IP, with any port.
func loopbackHost(host string) bool {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// apiError is every error response.
type apiError struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, apiError{Error: msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// storeError answers a failed store call: not found, a bad query, or an
// internal error (logged, not shown).
func (s *Server) storeError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, relayer.ErrNotFound):
		writeError(w, http.StatusNotFound, err.Error())
	case errors.Is(err, relayer.ErrBadQuery):
		writeError(w, http.StatusBadRequest, err.Error())
	case errors.Is(err, relayer.ErrConflict):
		writeError(w, http.StatusConflict, err.Error())
	default:
		s.o.Logger.Error("api: store call failed", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, "the store failed; the relayer's log has the cause")
	}
}

// Record is a record and its pipeline state as the API shows it.
type Record struct {
	ID          string       `json:"id"`
	Route       string       `json:"route"`
	State       string       `json:"state"`
	Attempts    int          `json:"attempts"`
	NextAt      *time.Time   `json:"next_at,omitempty"`
	Source      SourceRef    `json:"source"`
	Destination Destination  `json:"destination"`
	ContentType string       `json:"content_type"`
	Payload     []byte       `json:"payload"`
	PayloadHash string       `json:"payload_hash"`
	Evidence    *EvidenceRef `json:"evidence,omitempty"`
	Batch       string       `json:"batch,omitempty"`
	LastError   string       `json:"last_error,omitempty"`
	TraceID     string       `json:"trace_id,omitempty"`
	ObservedAt  time.Time    `json:"observed_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// SourceRef is where a record was committed.
type SourceRef struct {
	Chain    string     `json:"chain"`
	Height   uint64     `json:"height"`
	Tx       string     `json:"tx"`
	Emitter  string     `json:"emitter"`
	Sequence uint64     `json:"sequence"`
	Time     *time.Time `json:"time,omitempty"`
}

// Destination is where a record goes.
type Destination struct {
	Chain    string `json:"chain"`
	Receiver string `json:"receiver"`
	Tx       string `json:"tx,omitempty"`
}

// EvidenceRef names the evidence bundle that was verified: its SHA-256 and
// size; the bytes are at .../evidence.
type EvidenceRef struct {
	SHA256 string `json:"sha256"`
	Bytes  int    `json:"bytes"`
}

func toRecord(e *relayer.Entry) Record {
	rec := &e.Record
	out := Record{
		ID: rec.ID.String(), Route: rec.Route, State: string(e.State), Attempts: e.Attempts,
		Source: SourceRef{Chain: string(rec.Source.Chain), Height: uint64(rec.Source.Height), Tx: rec.Source.TxID,
			Emitter: hex.EncodeToString(rec.Source.Emitter), Sequence: rec.Source.Sequence},
		Destination: Destination{Chain: string(rec.Destination), Receiver: rec.Receiver, Tx: e.DestTx},
		ContentType: rec.ContentType, Payload: rec.Payload, PayloadHash: hex.EncodeToString(rec.PayloadHash[:]),
		Batch: e.Batch, LastError: e.LastError, ObservedAt: e.ObservedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(),
	}
	if out.Payload == nil {
		out.Payload = []byte{}
	}
	if !e.NextAt.IsZero() {
		t := e.NextAt.UTC()
		out.NextAt = &t
	}
	if !rec.Source.Time.IsZero() {
		t := rec.Source.Time.UTC()
		out.Source.Time = &t
	}
	if len(e.Evidence) > 0 {
		sum := sha256.Sum256(e.Evidence)
		out.Evidence = &EvidenceRef{SHA256: hex.EncodeToString(sum[:]), Bytes: len(e.Evidence)}
	}
	// traceparent: version-traceid-spanid-flags.
	if parts := strings.Split(e.TraceParent, "-"); len(parts) == 4 {
		out.TraceID = parts[1]
	}
	return out
}

// RecordPage is one page of a listing.
type RecordPage struct {
	Records []Record `json:"records"`
	// Next is the cursor of the next page; absent after the last.
	Next string `json:"next,omitempty"`
}

func (s *Server) listRecords(w http.ResponseWriter, r *http.Request, _ caller) {
	q := r.URL.Query()
	f := relayer.Filter{Route: q.Get("route"), SourceTx: q.Get("source_tx"), DestTx: q.Get("dest_tx"), After: q.Get("cursor"),
		PayloadField: q.Get("payload_field"), PayloadValue: q.Get("payload_value")}
	if f.PayloadField != "" && !payloadField.MatchString(f.PayloadField) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("payload_field %q: want a JSON field name, or names joined by dots (licence.holder)", f.PayloadField))
		return
	}
	for _, st := range q["state"] {
		for one := range strings.SplitSeq(st, ",") {
			if !knownState(one) {
				writeError(w, http.StatusBadRequest, fmt.Sprintf("state %q: use observed, verified, submitting, submitted, confirmed, dead or skipped", one))
				return
			}
			if !slices.Contains(f.States, relayer.State(one)) {
				f.States = append(f.States, relayer.State(one))
			}
		}
	}
	var err error
	if f.Since, err = timeParam(q.Get("since")); err != nil {
		writeError(w, http.StatusBadRequest, "since: "+err.Error())
		return
	}
	if f.Until, err = timeParam(q.Get("until")); err != nil {
		writeError(w, http.StatusBadRequest, "until: "+err.Error())
		return
	}
	f.Limit = 50
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("limit %q: want 1 to 1000", l))
			return
		}
		f.Limit = n
	}
	es, next, err := s.o.Store.ListPage(r.Context(), f)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	page := RecordPage{Records: make([]Record, len(es)), Next: next}
	for i := range es {
		page.Records[i] = toRecord(&es[i])
	}
	writeJSON(w, http.StatusOK, page)
}

// payloadField is a field of a JSON payload: names joined by dots.
var payloadField = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,7}$`)

func knownState(s string) bool {
	switch relayer.State(s) {
	case relayer.StateObserved, relayer.StateVerified, relayer.StateSubmitting, relayer.StateSubmitted,
		relayer.StateConfirmed, relayer.StateDead, relayer.StateSkipped:
		return true
	}
	return false
}

// timeParam reads an RFC 3339 time; "" is no bound.
func timeParam(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time (2026-12-07T10:00:00Z)", s)
	}
	return t, nil
}

// RecordDetail is a record on each route that carries it, with the
// timeline of each: the same facts as `liaison trace`.
type RecordDetail struct {
	ID     string          `json:"id"`
	Routes []RecordOnRoute `json:"routes"`
}

// RecordOnRoute is a record's state and timeline on one route.
type RecordOnRoute struct {
	Record
	Timeline []relayer.Event `json:"timeline"`
}

// entries reads the entries of the record named in the path.
func (s *Server) entries(w http.ResponseWriter, r *http.Request) ([]relayer.Entry, bool) {
	id, err := relayer.ParseRecordID(r.PathValue("id"))
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("record id %q: %v", r.PathValue("id"), err))
		return nil, false
	}
	es, err := s.o.Store.Get(r.Context(), id)
	if err != nil {
		s.storeError(w, r, err)
		return nil, false
	}
	return es, true
}

func (s *Server) getRecord(w http.ResponseWriter, r *http.Request, _ caller) {
	es, ok := s.entries(w, r)
	if !ok {
		return
	}
	out := RecordDetail{ID: es[0].Record.ID.String()}
	for i := range es {
		tl, err := s.o.Store.Timeline(r.Context(), es[i].Key())
		if err != nil {
			s.storeError(w, r, err)
			return
		}
		if tl == nil {
			tl = []relayer.Event{}
		}
		out.Routes = append(out.Routes, RecordOnRoute{Record: toRecord(&es[i]), Timeline: tl})
	}
	writeJSON(w, http.StatusOK, out)
}

// pick selects the entry of the route the query names, or the only one.
func pick(w http.ResponseWriter, es []relayer.Entry, route string) (*relayer.Entry, bool) {
	var names []string
	for i := range es {
		if es[i].Record.Route == route || route == "" && len(es) == 1 {
			return &es[i], true
		}
		names = append(names, es[i].Record.Route)
	}
	if route == "" {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("the record travels on routes %s: name one with route=", strings.Join(names, ", ")))
	} else {
		writeError(w, http.StatusNotFound, fmt.Sprintf("the record is not on route %q (it is on %s)", route, strings.Join(names, ", ")))
	}
	return nil, false
}

// getEvidence serves the evidence bundle exactly as it was verified and
// stored: the bytes whose SHA-256 the destination attested.
func (s *Server) getEvidence(w http.ResponseWriter, r *http.Request, _ caller) {
	es, ok := s.entries(w, r)
	if !ok {
		return
	}
	e, ok := pick(w, es, r.URL.Query().Get("route"))
	if !ok {
		return
	}
	if len(e.Evidence) == 0 {
		writeError(w, http.StatusNotFound, fmt.Sprintf("record %s on route %s has no evidence yet (state %s)", e.Record.ID, e.Record.Route, e.State))
		return
	}
	sum := sha256.Sum256(e.Evidence)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="evidence-%s.json"`, e.Record.ID))
	w.Header().Set("Digest", "sha-256="+hex.EncodeToString(sum[:]))
	_, _ = w.Write(e.Evidence)
}

// Action is the body of retry and skip.
type Action struct {
	Route  string `json:"route"`
	Reason string `json:"reason"`
}

// ActionResult is what an operator action did.
type ActionResult struct {
	ID     string `json:"id"`
	Route  string `json:"route"`
	Action string `json:"action"`
	From   string `json:"from"`
	To     string `json:"to"`
	Actor  string `json:"actor"`
}

func (s *Server) act(w http.ResponseWriter, r *http.Request, c caller, action string) {
	var a Action
	if !decodeBody(w, r, &a, `{"route": ..., "reason": ...}`) {
		return
	}
	if action == "skip" && strings.TrimSpace(a.Reason) == "" {
		writeError(w, http.StatusBadRequest, "skip needs a reason: it is kept in the audit log")
		return
	}
	es, ok := s.entries(w, r)
	if !ok {
		return
	}
	e, ok := pick(w, es, a.Route)
	if !ok {
		return
	}
	op := relayer.OperatorAction{Key: e.Key(), Actor: "api:" + c.name, Action: action, Reason: a.Reason, At: s.o.Now()}
	res := ActionResult{ID: e.Record.ID.String(), Route: e.Record.Route, Action: action, Actor: op.Actor}
	var (
		from, to relayer.State
		err      error
	)
	if action == "retry" {
		from, to, err = s.o.Store.Retry(r.Context(), op)
	} else {
		from, err = s.o.Store.Skip(r.Context(), op)
		to = relayer.StateSkipped
	}
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	res.From, res.To = string(from), string(to)
	s.o.Logger.Info("api: operator action", "action", action, "record_id", res.ID, "route", res.Route, "actor", op.Actor, "from", from, "to", to)
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) retry(w http.ResponseWriter, r *http.Request, c caller) { s.act(w, r, c, "retry") }
func (s *Server) skip(w http.ResponseWriter, r *http.Request, c caller)  { s.act(w, r, c, "skip") }

// RelayRequest asks for the records a source transaction published to be
// relayed now.
type RelayRequest struct {
	SourceTx string `json:"source_tx"`
	// Route limits the routes that read their source now; "" is every
	// route.
	Route string `json:"route,omitempty"`
	// Wait is how long to wait for the records to be observed (a Go
	// duration, default 10s, at most 60s).
	Wait string `json:"wait,omitempty"`
}

// RelayResult is what a relay request found.
type RelayResult struct {
	// Routes are the routes asked to read their sources now.
	Routes []string `json:"routes"`
	// Records are the records of the transaction observed so far, on
	// any route; they are on their way.
	Records []Record `json:"records"`
	Message string   `json:"message,omitempty"`
}

// relay makes the routes read their sources now, instead of at their next
// poll, and waits for the records of the source transaction to appear.
// They are then relayed as any record is; a transaction not yet final on
// its source is read once it is.
func (s *Server) relay(w http.ResponseWriter, r *http.Request, c caller) {
	var req RelayRequest
	const want = `{"source_tx": ..., "route": ..., "wait": "10s"}`
	if !decodeBody(w, r, &req, want) {
		return
	}
	if strings.TrimSpace(req.SourceTx) == "" {
		writeError(w, http.StatusBadRequest, "body: want "+want+": source_tx is required")
		return
	}
	wait := 10 * time.Second
	if req.Wait != "" {
		d, err := time.ParseDuration(req.Wait)
		if err != nil || d < 0 || d > time.Minute {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("wait %q: want a duration up to 60s", req.Wait))
			return
		}
		wait = d
	}
	var names []string
	if req.Route != "" {
		names = []string{req.Route}
	}
	woke, err := s.o.Engine.PollNow(names...)
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	s.o.Logger.Info("api: relay requested", "source_tx", req.SourceTx, "routes", woke, "actor", "api:"+c.name)
	deadline := time.Now().Add(wait)
	for {
		es, _, err := s.o.Store.ListPage(r.Context(), relayer.Filter{SourceTx: req.SourceTx, Route: req.Route, Limit: 1000})
		if err != nil {
			s.storeError(w, r, err)
			return
		}
		if len(es) > 0 || !time.Now().Before(deadline) || r.Context().Err() != nil {
			res := RelayResult{Routes: woke, Records: make([]Record, len(es))}
			for i := range es {
				res.Records[i] = toRecord(&es[i])
			}
			if len(es) == 0 {
				res.Message = fmt.Sprintf("no record of %s observed within %s: the transaction is not final on its source yet, or published no record "+
					"for these routes; the routes read it on their own once it is final", req.SourceTx, wait)
				writeJSON(w, http.StatusAccepted, res)
				return
			}
			writeJSON(w, http.StatusOK, res)
			return
		}
		select {
		case <-r.Context().Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// RouteHealth is a route's configuration and health.
type RouteHealth struct {
	Route         string     `json:"route"`
	SourceChain   string     `json:"source_chain"`
	DestChain     string     `json:"dest_chain"`
	Ordering      string     `json:"ordering"`
	Batching      bool       `json:"batching"`
	SourceHead    uint64     `json:"source_head"`
	Reached       uint64     `json:"reached"`
	Lag           uint64     `json:"lag"`
	Halted        bool       `json:"halted"`
	LastProgress  time.Time  `json:"last_progress"`
	Backlog       int        `json:"backlog"`
	Dead          int        `json:"dead"`
	OldestPending *time.Time `json:"oldest_pending,omitempty"`
}

func (s *Server) listRoutes(w http.ResponseWriter, r *http.Request, _ caller) {
	stats, err := s.o.Store.Stats(r.Context())
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	byRoute := map[string]relayer.RouteStats{}
	for _, st := range stats {
		byRoute[st.Route] = st
	}
	out := []RouteHealth{}
	for _, rs := range s.o.Engine.Routes() {
		h := RouteHealth{Route: rs.Route, SourceChain: string(rs.SourceChain), DestChain: string(rs.DestChain),
			Ordering: rs.Ordering.String(), Batching: rs.Batching, SourceHead: rs.Head, Reached: rs.Reached,
			Halted: rs.Halted, LastProgress: rs.LastProgress}
		if rs.Head > rs.Reached {
			h.Lag = rs.Head - rs.Reached
		}
		st := byRoute[rs.Route]
		h.Backlog, h.Dead = st.Pending, st.Dead
		if !st.OldestPending.IsZero() {
			t := st.OldestPending.UTC()
			h.OldestPending = &t
		}
		out = append(out, h)
	}
	writeJSON(w, http.StatusOK, out)
}

// ChainHealth is a chain's trust: the newest anchor the relayer trusts
// and, for light clients with a trusting period, when it expires.
type ChainHealth struct {
	Chain        string     `json:"chain"`
	Anchor       *AnchorRef `json:"anchor,omitempty"`
	TrustExpires *time.Time `json:"trust_expires,omitempty"`
}

// AnchorRef summarises a trust anchor.
type AnchorRef struct {
	Scheme string `json:"scheme"`
	Height uint64 `json:"height"`
	Digest string `json:"digest"`
}

func (s *Server) listChains(w http.ResponseWriter, r *http.Request, _ caller) {
	out := []ChainHealth{}
	for _, c := range s.o.Chains {
		h := ChainHealth{Chain: string(c)}
		a, err := s.o.Store.LatestAnchor(r.Context(), c)
		switch {
		case err == nil:
			h.Anchor = &AnchorRef{Scheme: a.Scheme, Height: uint64(a.Height), Digest: a.Digest}
		case !errors.Is(err, relayer.ErrNotFound):
			s.storeError(w, r, err)
			return
		}
		if s.o.TrustExpiry != nil {
			if t, ok := s.o.TrustExpiry(c); ok {
				u := t.UTC()
				h.TrustExpires = &u
			}
		}
		out = append(out, h)
	}
	writeJSON(w, http.StatusOK, out)
}

// Stats is per-route throughput and leg latencies, as `liaison stats
// --json` gives them: durations in milliseconds.
type Stats struct {
	Since  *time.Time   `json:"since,omitempty"`
	Until  time.Time    `json:"until"`
	Routes []RouteStats `json:"routes"`
}

// RouteStats is one route's figures.
type RouteStats struct {
	Route         string     `json:"route"`
	Records       int        `json:"records"`
	RecordsPerSec float64    `json:"records_per_s"`
	Stages        []LegStats `json:"stages"`
	ClockSkew     *SkewStats `json:"clock_skew,omitempty"`
	FirstObserved *time.Time `json:"first_observed,omitempty"`
	LastConfirmed *time.Time `json:"last_confirmed,omitempty"`
}

// LegStats is one leg's percentiles.
type LegStats struct {
	Stage relayer.LatencyStage `json:"stage"`
	N     int                  `json:"n"`
	P50   float64              `json:"p50_ms"`
	P95   float64              `json:"p95_ms"`
	P99   float64              `json:"p99_ms"`
	Max   float64              `json:"max_ms"`
}

// SkewStats counts records whose source time is after their observation.
type SkewStats struct {
	Records int     `json:"records"`
	Max     float64 `json:"max_ms"`
}

func (s *Server) stats(w http.ResponseWriter, r *http.Request, _ caller) {
	now := s.o.Now()
	v := r.URL.Query().Get("since")
	if v == "" {
		v = "1h"
	}
	since, err := ParseSince(v, now)
	if err != nil {
		writeError(w, http.StatusBadRequest, "since: "+err.Error())
		return
	}
	var sums []relayer.RouteLatency
	for _, rs := range s.o.Engine.Routes() {
		ts, err := s.o.Store.StageTimes(r.Context(), relayer.StageQuery{Route: rs.Route, Since: since})
		if err != nil {
			s.storeError(w, r, err)
			return
		}
		sums = append(sums, relayer.SummarizeStages(rs.Route, ts))
	}
	writeJSON(w, http.StatusOK, NewStats(since, now, sums))
}

// ParseSince reads the start of a stats window: "all" (zero: no bound),
// a positive duration back from now, an RFC 3339 time or a date (UTC).
// `liaison stats --since` reads the same.
func ParseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "all" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d <= 0 {
			return time.Time{}, fmt.Errorf("%s: a duration back from now must be positive", s)
		}
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf(`%q: want a duration (30m, 24h), an RFC 3339 time, a date (2006-01-02) or "all"`, s)
}

// NewStats is the JSON form of the routes' figures in the window from
// since (zero: no bound) to until, as the API and `liaison stats --json`
// give them: times in RFC 3339, durations in milliseconds.
func NewStats(since, until time.Time, rls []relayer.RouteLatency) Stats {
	out := Stats{Until: until.UTC(), Routes: []RouteStats{}}
	out.Since = optTime(since)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	for _, sum := range rls {
		st := RouteStats{Route: sum.Route, Records: sum.Records, RecordsPerSec: sum.PerSecond, Stages: []LegStats{},
			FirstObserved: optTime(sum.First), LastConfirmed: optTime(sum.Last)}
		for _, p := range sum.Stages {
			st.Stages = append(st.Stages, LegStats{Stage: p.Stage, N: p.N, P50: ms(p.P50), P95: ms(p.P95), P99: ms(p.P99), Max: ms(p.Max)})
		}
		if sum.Skew.Records > 0 {
			st.ClockSkew = &SkewStats{Records: sum.Skew.Records, Max: ms(sum.Skew.Max)}
		}
		out.Routes = append(out.Routes, st)
	}
	return out
}

// optTime is t in UTC, or nil when it is zero.
func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// AuditRow is one operator action.
type AuditRow struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Route  string    `json:"route"`
	ID     string    `json:"id"`
	Reason string    `json:"reason"`
	From   string    `json:"from"`
	To     string    `json:"to"`
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request, _ caller) {
	limit := 100
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 10000 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("limit %q: want 1 to 10000", l))
			return
		}
		limit = n
	}
	rows, err := s.o.Store.Audit(r.Context(), limit)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	out := make([]AuditRow, len(rows))
	for i, a := range rows {
		out[i] = AuditRow{At: a.At.UTC(), Actor: a.Actor, Action: a.Action, Route: a.Key.Route, ID: a.Key.ID.String(),
			Reason: a.Reason, From: string(a.From), To: string(a.To)}
	}
	writeJSON(w, http.StatusOK, out)
}
