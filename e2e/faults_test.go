//go:build e2e

package e2e

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
)

// TestFaults runs liaison as a separate process on the route A → B
// (unordered) between two real geth --dev nodes, the cheapest real
// ledgers, and breaks one thing per subtest. Every subtest deploys its own
// Outbox on A and Inbox on B and ends by checking on B that every record
// it published was delivered exactly once: one Attested event per record,
// none for anything else, and liaison's store shows each confirmed.
//
//   - KillNine: 500 records while liaison is killed with SIGKILL at seeded
//     random moments (8 kills), each followed by a restart.
//   - RPCDown: B's RPC endpoint, behind a TCP proxy, refuses connections
//     for 30 s while records keep coming; /metrics shows the backlog and
//     the oldest pending age rise, then fall to zero once it is back.
//   - ForgedEvidence: A's endpoint, behind an HTTP proxy, serves
//     eth_getProof answers with one changed byte; liaison refuses the
//     evidence, the records end dead with "evidence rejected: …" in `liaison
//     trace`, nothing reaches B; with the proxy honest again, `liaison
//     records retry` delivers each once.
//   - AttestorRemoved: B's Inbox admin removes the relayer's attestor, so
//     attest reverts with NotAttestor; the records go dead at once with that
//     reason; once the attestor is added back, `liaison records retry`
//     delivers each once.
func TestFaults(t *testing.T) {
	// Runs beside the other geth-only tests: it mostly waits on blocks.
	t.Parallel()
	a, b := startGeth(t, "a"), startGeth(t, "b")
	t.Run("KillNine", func(t *testing.T) { testKillNine(t, a, b) })
	t.Run("RPCDown", func(t *testing.T) { testRPCDown(t, a, b) })
	t.Run("ForgedEvidence", func(t *testing.T) { testForgedEvidence(t, a, b) })
	t.Run("AttestorRemoved", func(t *testing.T) { testAttestorRemoved(t, a, b) })
}

func testKillNine(t *testing.T, a, b *gethNode) {
	const (
		records       = 500
		batches       = 5 // published while liaison runs, each followed by a kill
		drainingKills = 3 // kills after the last batch, while liaison drains
	)
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("LIAISON_FAULT_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("LIAISON_FAULT_SEED=%q: %v", s, err)
		}
	}
	t.Logf("kill schedule seed %d (LIAISON_FAULT_SEED=%d repeats it)", seed, seed)
	rng := mrand.New(mrand.NewPCG(seed, 0x6c696169736f6e))

	r := newEVMRelay(t, a, b, relayOptions{})
	start := time.Now()
	lp := r.start(t)
	kill := func(n int) {
		d := time.Duration(300+rng.IntN(3200)) * time.Millisecond
		time.Sleep(d)
		_, body := httpGet("http://" + r.metrics + "/metrics")
		backlog, _ := gauge(body, "liaison_route_backlog", "a-to-b")
		delivered := len(b.attestations(t, r.inB))
		lp.stop(t, syscall.SIGKILL)
		t.Logf("kill %d, %s into this run of liaison: backlog %v, %d delivered on B", n, d.Round(time.Millisecond), backlog, delivered)
		lp = r.start(t)
	}
	var txs []*types.Transaction
	for i := range batches {
		payloads := make([][]byte, records/batches)
		for j := range payloads {
			payloads[j] = fmt.Appendf(nil, `{"record":"kill-%d-%d"}`, i, j)
		}
		txs = append(txs, a.sendPublishes(t, r.outA, "chain-b", "e2e", payloads)...)
		kill(i + 1)
	}
	ids, _ := a.recordIDs(t, txs)
	t.Logf("%d records published on A after %s", len(ids), time.Since(start).Round(time.Millisecond))
	for i := range drainingKills {
		kill(batches + i + 1)
	}
	r.waitDelivered(t, ids, 5*time.Minute)
	t.Logf("all %d records delivered on B %s after the first publish", len(ids), time.Since(start).Round(time.Millisecond))
	r.checkExactlyOnce(t, ids)
	if code := lp.stop(t, syscall.SIGTERM); code != 0 {
		t.Errorf("liaison exited %d on SIGTERM, want 0", code)
	}
}

func testRPCDown(t *testing.T, a, b *gethNode) {
	const outage = 30 * time.Second
	px := newTCPProxy(t, strings.TrimPrefix(b.http, "http://"))
	r := newEVMRelay(t, a, b, relayOptions{bRPC: "http://" + px.addr, route: "    retry: {max_backoff: 2s}\n"})
	lp := r.start(t)
	scrape := r.scrape(500 * time.Millisecond)

	ids := a.publish(t, r.outA, "chain-b", 10, "before")
	r.waitDelivered(t, ids, time.Minute)

	px.down()
	down := time.Now()
	t.Logf("B's RPC endpoint is down (the proxy refuses connections)")
	for i := range 3 {
		ids = append(ids, a.publish(t, r.outA, "chain-b", 10, fmt.Sprintf("during-%d", i))...)
		time.Sleep(time.Until(down.Add(time.Duration(i+1) * outage / 4)))
	}
	time.Sleep(time.Until(down.Add(outage)))
	if att := b.attestations(t, r.inB); len(att) != 10 {
		t.Errorf("%d records delivered on B while its endpoint was down, want the 10 from before", len(att))
	}
	px.up(t)
	up := time.Now()
	t.Logf("B's RPC endpoint is back after %s", up.Sub(down).Round(time.Millisecond))
	r.waitDelivered(t, ids, 2*time.Minute)
	t.Logf("backlog of %d records drained %s after the endpoint came back", len(ids)-10, time.Since(up).Round(time.Millisecond))
	ids = append(ids, a.publish(t, r.outA, "chain-b", 5, "after")...)
	r.waitDelivered(t, ids, time.Minute)
	waitFor(t, "an empty backlog on /metrics", 30*time.Second, func() bool {
		_, body := httpGet("http://" + r.metrics + "/metrics")
		v, ok := gauge(body, "liaison_route_backlog", "a-to-b")
		return ok && v == 0
	})
	samples := scrape()

	// The backlog and the oldest pending age rose while B was down and
	// fell to zero after.
	var peakBacklog, peakAge float64
	var series []string
	for i, s := range samples {
		if s.at.After(down) && s.at.Before(up) {
			peakBacklog, peakAge = max(peakBacklog, s.backlog), max(peakAge, s.oldest)
		}
		if i%4 == 0 || i == len(samples)-1 {
			series = append(series, fmt.Sprintf("%+.0fs: %v/%.0fs", s.at.Sub(down).Seconds(), s.backlog, s.oldest))
		}
	}
	t.Logf("backlog/oldest pending age, seconds from the outage: %s", strings.Join(series, ", "))
	if peakBacklog < 30 {
		t.Errorf("the backlog peaked at %v while B was down, want at least the 30 records published then", peakBacklog)
	}
	if peakAge < 0.6*outage.Seconds() {
		t.Errorf("the oldest pending age peaked at %.1f s while B was down for %s", peakAge, outage)
	}
	if last := samples[len(samples)-1]; last.backlog != 0 || last.oldest != 0 {
		t.Errorf("after the outage: backlog %v, oldest pending age %.1f s; want 0 and 0", last.backlog, last.oldest)
	}
	if !strings.Contains(lp.out.String(), "ledger unavailable; will retry") {
		t.Errorf("liaison logged no warning that B was unavailable")
	}
	r.checkExactlyOnce(t, ids)
	if code := lp.stop(t, syscall.SIGTERM); code != 0 {
		t.Errorf("liaison exited %d on SIGTERM, want 0", code)
	}
}

func testForgedEvidence(t *testing.T, a, b *gethNode) {
	fg := newProofForger(t, a.http)
	fg.forge.Store(true)
	r := newEVMRelay(t, a, b, relayOptions{aRPC: fg.url, route: "    retry: {max_attempts: 3, initial_backoff: 200ms, max_backoff: 1s}\n"})
	lp := r.start(t)
	ids := a.publish(t, r.outA, "chain-b", 2, "forged")
	for _, id := range idStrings(ids) {
		r.waitState(t, id, "dead", time.Minute)
	}
	t.Logf("%d eth_getProof answers forged", fg.forged.Load())
	for _, id := range idStrings(ids) {
		rt := traceOf(t, r.cfgPath, id)[0]
		retries, dead := 0, ""
		for _, ev := range rt.Timeline {
			switch ev.Stage {
			case "retry-scheduled":
				retries++
				if !strings.HasPrefix(ev.Error, "evidence rejected: ") {
					t.Errorf("%s: retry after %q, want evidence rejected", id, ev.Error)
				}
			case "dead":
				dead = ev.Error
			case "submitted", "prepared":
				t.Errorf("%s: forged evidence reached stage %s", id, ev.Stage)
			}
		}
		if retries != 2 || !strings.HasPrefix(dead, "evidence rejected: ") || !strings.Contains(dead, "proof") {
			t.Errorf("%s: %d retries, dead with %q; want 2 retries (max_attempts 3), then dead with evidence rejected: … proof …", id, retries, dead)
		}
		text := mustLiaison(t, "trace", id, "-c", r.cfgPath)
		if !strings.Contains(text, "state    dead") || !strings.Contains(text, "error    evidence rejected: ") {
			t.Errorf("liaison trace %s does not show the refusal:\n%s", id, text)
		}
	}
	t.Logf("liaison trace of a record with forged evidence:\n%s", mustLiaison(t, "trace", idStrings(ids)[0], "-c", r.cfgPath))
	if att := b.attestations(t, r.inB); len(att) != 0 {
		t.Fatalf("%d records with forged evidence were attested on B", len(att))
	}

	fg.forge.Store(false)
	for _, id := range idStrings(ids) {
		t.Logf("%s", strings.TrimSpace(mustLiaison(t, "records", "retry", id, "-c", r.cfgPath, "--reason", "source endpoint serves true proofs again")))
	}
	r.waitDelivered(t, ids, time.Minute)
	r.checkExactlyOnce(t, ids)
	for _, id := range idStrings(ids) {
		bundle := filepath.Join(r.dir, id+".json")
		mustLiaison(t, "evidence", "export", id, "-c", r.cfgPath, "-o", bundle)
		verifyEndpointEvidence(t, r.cfgPath, bundle, id)
	}
	if audit := mustLiaison(t, "records", "audit", "-c", r.cfgPath); strings.Count(audit, "source endpoint serves true proofs again") != len(ids) {
		t.Errorf("records audit does not show the %d retries:\n%s", len(ids), audit)
	}
	lp.stop(t, syscall.SIGTERM)
}

func testAttestorRemoved(t *testing.T, a, b *gethNode) {
	r := newEVMRelay(t, a, b, relayOptions{})
	ib := contracts.NewInbox()
	b.adminTx(t, r.inB, ib.PackRemoveAttestor(r.relayer))
	lp := r.start(t)
	ids := a.publish(t, r.outA, "chain-b", 2, "refused")
	for _, id := range idStrings(ids) {
		r.waitState(t, id, "dead", time.Minute)
		rt := traceOf(t, r.cfgPath, id)[0]
		var dead traceEvent
		for _, ev := range rt.Timeline {
			if ev.Stage == "dead" {
				dead = ev
			}
			if ev.Stage == "submitted" || ev.Stage == "retry-scheduled" {
				t.Errorf("%s: stage %s; a NotAttestor revert is permanent and must go dead at once, unsent", id, ev.Stage)
			}
		}
		if want := "NotAttestor(" + strings.ToLower(r.relayer.Hex()); !strings.Contains(strings.ToLower(dead.Error), strings.ToLower(want)) {
			t.Errorf("%s: dead with %q, want the reason %s…)", id, dead.Error, want)
		}
	}
	t.Logf("liaison trace of a record the Inbox refused:\n%s", mustLiaison(t, "trace", idStrings(ids)[0], "-c", r.cfgPath))
	if att := b.attestations(t, r.inB); len(att) != 0 {
		t.Fatalf("%d records attested on B by a removed attestor", len(att))
	}

	b.adminTx(t, r.inB, ib.PackAddAttestor(r.relayer))
	for _, id := range idStrings(ids) {
		t.Logf("%s", strings.TrimSpace(mustLiaison(t, "records", "retry", id, "-c", r.cfgPath, "--reason", "attestor re-added")))
	}
	r.waitDelivered(t, ids, time.Minute)
	r.checkExactlyOnce(t, ids)
	lp.stop(t, syscall.SIGTERM)
}

// evmRelay is a liaison configuration for the route a-to-b from A's
// Outbox to B's Inbox, with contracts of its own.
type evmRelay struct {
	a, b         *gethNode
	outA, inB    common.Address
	relayer      common.Address // the relayer's key, an attestor of inB
	dir, cfgPath string
	metrics      string
}

type relayOptions struct {
	aRPC, bRPC string // the endpoints liaison uses; default the nodes'
	route      string // more YAML for the route, indented by four spaces
}

// newEVMRelay deploys an Outbox on A and an Inbox on B whose attestors are
// the relayer and a spare (threshold 1, so the admin can remove the
// relayer), funds the relayer on B and writes the config.
func newEVMRelay(t testing.TB, a, b *gethNode, o relayOptions) *evmRelay {
	t.Helper()
	dir := t.TempDir()
	key, _ := crypto.GenerateKey()
	writeFile(t, filepath.Join(dir, "relayer.key"), hex.EncodeToString(crypto.FromECDSA(key)), 0o600)
	var spare common.Address
	rand.Read(spare[:])
	r := &evmRelay{a: a, b: b, relayer: crypto.PubkeyToAddress(key.PublicKey), dir: dir, cfgPath: filepath.Join(dir, "liaison.yaml"),
		metrics: fmt.Sprintf("127.0.0.1:%d", freePort(t))}
	b.fund(t, r.relayer)
	r.outA, _ = a.deploy(t, "chain-a", []common.Address{spare}, 1)
	_, r.inB = b.deploy(t, "chain-b", []common.Address{r.relayer, spare}, 1)
	if o.aRPC == "" {
		o.aRPC = a.http
	}
	if o.bRPC == "" {
		o.bRPC = b.http
	}
	writeFile(t, r.cfgPath, fmt.Sprintf(`
store: {path: liaison.db}
telemetry:
  listen: %s
  traces: {file: traces.jsonl}
chains:
%s%sroutes:
  - name: a-to-b
    source: {chain: chain-a}
    destination: {chain: chain-b}
    poll_interval: 200ms
    confirm_interval: 200ms
%s`, r.metrics, evmChainYAML("chain-a", o.aRPC, a.chainID, r.outA, common.Address{}, 1, ""),
		evmChainYAML("chain-b", o.bRPC, b.chainID, common.Address{}, r.inB, 1, "relayer.key"), o.route), 0o644)
	mustLiaison(t, "config", "validate", r.cfgPath)
	return r
}

func (r *evmRelay) start(t testing.TB) *proc {
	t.Helper()
	return startLiaison(t, r.cfgPath, r.metrics)
}

// waitDelivered waits until B's Inbox holds an Attested event for every
// record.
func (r *evmRelay) waitDelivered(t testing.TB, ids [][32]byte, timeout time.Duration) {
	t.Helper()
	waitFor(t, fmt.Sprintf("%d records attested on B", len(ids)), timeout, func() bool {
		att := r.b.attestations(t, r.inB)
		for _, id := range ids {
			if att[id] == 0 {
				time.Sleep(time.Second)
				return false
			}
		}
		return true
	})
}

// checkExactlyOnce checks that B's Inbox holds exactly one Attested event
// for each record and none for any other, that each is delivered, and that
// liaison's store has every record confirmed and none dead.
func (r *evmRelay) checkExactlyOnce(t testing.TB, ids [][32]byte) {
	t.Helper()
	att := r.b.attestations(t, r.inB)
	lost, dup := 0, 0
	for _, id := range ids {
		switch n := att[id]; {
		case n == 0:
			lost++
		case n > 1:
			dup++
			t.Errorf("record %x attested %d times", id, n)
		}
	}
	if len(att) != len(ids) || lost > 0 || dup > 0 {
		t.Errorf("B: %d records attested, want %d: %d lost, %d duplicated", len(att), len(ids), lost, dup)
	}
	for _, i := range []int{0, len(ids) - 1} {
		if !r.b.delivered(t, r.inB, ids[i]) {
			t.Errorf("B: isDelivered(%x) is false", ids[i])
		}
	}
	// liaison confirms a record one block after the Inbox shows it.
	var states map[string]int
	deadline := time.Now().Add(30 * time.Second)
	for {
		states = map[string]int{}
		for _, e := range r.list(t) {
			states[e.State]++
		}
		if states["confirmed"] == len(ids) && len(states) == 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if states["confirmed"] != len(ids) || len(states) != 1 {
		t.Errorf("liaison records list: %v, want %d confirmed", states, len(ids))
	}
	t.Logf("exactly once: %d records, each attested once on B; liaison: %v", len(ids), states)
}

type listed struct {
	ID        string `json:"id"`
	State     string `json:"state"`
	Attempts  int    `json:"attempts"`
	LastError string `json:"last_error"`
}

// list returns every record in liaison's store.
func (r *evmRelay) list(t testing.TB) []listed {
	t.Helper()
	var out []listed
	liaisonJSON(t, &out, "records", "list", "-c", r.cfgPath, "--limit", "100000", "--json")
	return out
}

// waitState waits until the record is in state.
func (r *evmRelay) waitState(t testing.TB, id, state string, timeout time.Duration) {
	t.Helper()
	waitRecordState(t, r.cfgPath, id, state, timeout)
}

// waitRecordState waits until `liaison records show` gives the record
// (on its one route) in state.
func waitRecordState(t testing.TB, cfgPath, id, state string, timeout time.Duration) {
	t.Helper()
	waitFor(t, "record "+id+" "+state, timeout, func() bool {
		var shown []listed
		if err := tryLiaisonJSON(&shown, "records", "show", id, "-c", cfgPath); err != nil || len(shown) != 1 {
			return false
		}
		return shown[0].State == state
	})
}

// liaisonJSON runs the CLI and decodes its standard output.
func liaisonJSON(t testing.TB, out any, args ...string) {
	t.Helper()
	if err := tryLiaisonJSON(out, args...); err != nil {
		t.Fatal(err)
	}
}

func tryLiaisonJSON(out any, args ...string) error {
	var stderr bytes.Buffer
	cmd := exec.Command(liaisonBin, args...)
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("liaison %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("liaison %s: %v", strings.Join(args, " "), err)
	}
	return nil
}

// sample is one scrape of the route's backlog gauges.
type sample struct {
	at              time.Time
	backlog, oldest float64
}

// scrape reads the route's backlog and oldest pending age from /metrics
// every interval until the returned function is called, which returns the
// samples.
func (r *evmRelay) scrape(interval time.Duration) func() []sample {
	var (
		mu      sync.Mutex
		samples []sample
		done    = make(chan struct{})
		stopped = make(chan struct{})
	)
	take := func() {
		if code, body := httpGet("http://" + r.metrics + "/metrics"); code == 200 {
			b, ok1 := gauge(body, "liaison_route_backlog", "a-to-b")
			o, ok2 := gauge(body, "liaison_route_oldest_pending_age_seconds", "a-to-b")
			if ok1 && ok2 {
				mu.Lock()
				samples = append(samples, sample{at: time.Now(), backlog: b, oldest: o})
				mu.Unlock()
			}
		}
	}
	go func() {
		defer close(stopped)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			take()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() []sample {
		close(done)
		<-stopped
		take() // the last sample is from now, not up to one interval ago
		mu.Lock()
		defer mu.Unlock()
		return samples
	}
}

// gauge reads the value of name{route="route"} from a /metrics body.
func gauge(body, name, route string) (float64, bool) {
	prefix := name + `{route="` + route + `"} `
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, prefix); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return f, err == nil
		}
	}
	return 0, false
}

// adminTx sends an Inbox administration call from the dev key (the admin)
// and waits for it.
func (n *gethNode) adminTx(t testing.TB, inbox common.Address, data []byte) {
	t.Helper()
	tx, err := bind.Transact(contracts.NewInbox().Instance(n.client, inbox), n.opts(t, gethDevKey), data)
	if err != nil {
		t.Fatalf("%s: admin call: %v", n.name, err)
	}
	n.mined(t, tx)
}

// tcpProxy forwards loopback TCP connections to a target. down closes the
// listener and every connection, so that clients see the endpoint refuse
// connections; up listens on the same address again.
type tcpProxy struct {
	target, addr string
	mu           sync.Mutex
	ln           net.Listener
	conns        map[net.Conn]bool
}

func newTCPProxy(t testing.TB, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{target: target, addr: ln.Addr().String(), conns: map[net.Conn]bool{}}
	p.serve(ln)
	t.Cleanup(p.down)
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.pipe(c)
		}
	}()
}

func (p *tcpProxy) pipe(c net.Conn) {
	u, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.ln == nil { // went down meanwhile
		p.mu.Unlock()
		c.Close()
		u.Close()
		return
	}
	p.conns[c], p.conns[u] = true, true
	p.mu.Unlock()
	go func() {
		io.Copy(u, c)
		u.Close()
		c.Close()
	}()
	io.Copy(c, u)
	c.Close()
	u.Close()
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, u)
	p.mu.Unlock()
}

func (p *tcpProxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

func (p *tcpProxy) up(t testing.TB) {
	t.Helper()
	var ln net.Listener
	waitFor(t, "the proxy listening on "+p.addr+" again", 10*time.Second, func() bool {
		var err error
		ln, err = net.Listen("tcp", p.addr)
		return err == nil
	})
	p.serve(ln)
}

// proofForger is an HTTP proxy in front of a node's JSON-RPC endpoint. While
// forge is set, it changes one hex digit of the first account-proof node in
// every eth_getProof answer, as a compromised or faulty source endpoint
// could.
type proofForger struct {
	url    string
	forge  atomic.Bool
	forged atomic.Int64
}

func newProofForger(t testing.TB, target string) *proofForger {
	t.Helper()
	f := &proofForger{}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 30 * time.Second}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		out, err := http.NewRequestWithContext(req.Context(), http.MethodPost, target, bytes.NewReader(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		out.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		answer, err := io.ReadAll(resp.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		if f.forge.Load() && bytes.Contains(body, []byte(`"eth_getProof"`)) {
			const marker = `"accountProof":["0x`
			if i := bytes.Index(answer, []byte(marker)); i >= 0 && i+len(marker)+40 < len(answer) {
				j := i + len(marker) + 40 // a hex digit inside the first (root) node
				if answer[j] == '0' {
					answer[j] = '1'
				} else {
					answer[j] = '0'
				}
				f.forged.Add(1)
			}
		}
		w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
		w.WriteHeader(resp.StatusCode)
		w.Write(answer)
	}))
	t.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}
