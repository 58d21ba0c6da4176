//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
)

// threeLedgers is what `e2e/ledgers.sh up` brings up: the registry on
// Fabric, procurement on geth, finance on a liaison-simd devnet, and a
// liaison config (DIR/liaison.yaml) with the routes registry → procurement,
// registry → finance and procurement → registry.
type threeLedgers struct {
	dir, cfgPath, metrics string
	env                   map[string]string // DIR/ledgers.env
	fab                   *fabricNet
	geth                  *gethNode
	outbox, inbox         common.Address
	cn                    *cosmosNet
}

// startThreeLedgers runs `ledgers.sh up` on free ports, with this run's
// liaison binary, and `ledgers.sh down` when the test ends. A non-empty
// otlp (host:port) also sends liaison's traces there.
func startThreeLedgers(t testing.TB, otlp string) *threeLedgers {
	t.Helper()
	geth := gethBinary(t) // skip early without geth
	dir := filepath.Join(t.TempDir(), "ledgers")
	metrics := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cmd := exec.Command("./ledgers.sh", "up", dir)
	cmd.Env = append(os.Environ(),
		"FABRIC_BASE_PORT="+strconv.Itoa(fabricBasePort(t)), "COSMOS_BASE_PORT="+strconv.Itoa(cosmosBasePort(t)),
		"GETH_HTTP_PORT="+strconv.Itoa(freePort(t)), "GETH_AUTH_PORT="+strconv.Itoa(freePort(t)),
		"LIAISON_LISTEN="+metrics, "LIAISON_BIN="+liaisonBin, "LIAISON_GETH="+geth, "LIAISON_OTLP="+otlp)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Cleanup(func() {
		if out, err := exec.Command("./ledgers.sh", "down", dir).CombinedOutput(); err != nil {
			t.Errorf("ledgers.sh down: %v\n%s", err, out)
		}
	})
	if err != nil {
		t.Fatalf("ledgers.sh up: %v\n%s", err, out)
	}
	t.Logf("ledgers.sh up: %s", time.Since(start).Round(time.Millisecond))

	l := &threeLedgers{dir: dir, cfgPath: filepath.Join(dir, "liaison.yaml"), metrics: metrics, env: readEnv(t, filepath.Join(dir, "ledgers.env"))}
	raw, err := os.ReadFile(filepath.Join(dir, "fabric", "network.json"))
	if err != nil {
		t.Fatal(err)
	}
	l.fab = new(fabricNet)
	if err := json.Unmarshal(raw, l.fab); err != nil {
		t.Fatal(err)
	}
	l.cn = &cosmosNet{env: readEnv(t, l.env["COSMOS_ENV"])}
	c, err := ethclient.Dial(l.env["GETH_RPC"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	l.geth = &gethNode{name: "procurement", http: l.env["GETH_RPC"], client: c}
	if l.geth.chainID, err = c.ChainID(t.Context()); err != nil {
		t.Fatal(err)
	}
	l.outbox, l.inbox = common.HexToAddress(l.env["EVM_OUTBOX"]), common.HexToAddress(l.env["EVM_INBOX"])
	return l
}

// readEnv reads a KEY=VALUE file as the scripts write them.
func readEnv(t testing.TB, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && !strings.HasPrefix(k, "#") {
			env[k] = strings.Trim(v, `"`)
		}
	}
	return env
}

func (l *threeLedgers) startLiaison(t testing.TB) *proc {
	t.Helper()
	return startLiaison(t, l.cfgPath, l.metrics)
}

// hop is one record on one route, with what the ledgers say about it.
type hop struct {
	what         string // for messages
	id           string
	route        string
	sourceTx     string
	destTx       string // from the destination ledger
	evidenceHash string // attested on the destination ledger, when it keeps one
}

// TestScenarioLicenceAcrossThreeLedgers runs issue #6's scenario on real
// ledgers that `e2e/ledgers.sh up` brings up, with liaison as a separate
// process on the config that script writes. The registry (Fabric) issues
// e-licences; the chaincode gives each record one destination, so each
// licence is published once for procurement (EVM) and once for finance
// (Cosmos). Procurement, once it holds a licence, publishes a payment that
// names the licence's record ID, which goes back to the registry. It then
// checks:
//   - every record is delivered exactly once and visible on its
//     destination: isDelivered and one Attested event per record on the EVM
//     Inbox; one VALID Attest transaction per record on Fabric, whose
//     delivery holds the payment naming the licence; the Delivered query
//     and one delivering transaction per record, none refused, on Cosmos;
//   - every evidence bundle verifies offline with `liaison evidence
//     verify`, its SHA-256 is the evidence hash the destination holds (EVM,
//     Fabric) or the relayer logged (Cosmos), and copies with one changed
//     field or one changed byte of the record or of a proof fail;
//   - `liaison trace ID` shows every hop with its stages, their times, and
//     the source and destination transactions the ledgers report.
func TestScenarioLicenceAcrossThreeLedgers(t *testing.T) {
	start := time.Now()
	// The traces go to a real Jaeger, when make e2e built one.
	var j *jaegerServer
	if bin := os.Getenv("LIAISON_JAEGER"); bin != "" {
		j = startJaeger(t, bin)
	} else {
		t.Log("LIAISON_JAEGER is not set: the traces are not checked in Jaeger (make e2e sets it)")
	}
	otlp := ""
	if j != nil {
		otlp = j.otlp
	}
	l := startThreeLedgers(t, otlp)
	lp := l.startLiaison(t)
	registry := l.fab.client(t, 2, "User2") // a registry clerk; the relayer is Org1's User1

	// The registry issues licences: one record per destination.
	const licences = 2
	var toProcurement, toFinance []hop
	licencePayload := map[string][]byte{}
	for i := range licences {
		payload := fmt.Appendf(nil, `{"type":"e-licence","licence":"LIC-2026-%04d","holder":"Holder %d Ltd","activity":"import of medical devices","valid_until":"2029-12-31"}`, i+1, i+1)
		id, tx := registry.publishRecord(t, "procurement", "licensing", "application/json", payload)
		toProcurement = append(toProcurement, hop{what: "licence → procurement", id: id, route: "licences-to-procurement", sourceTx: tx})
		licencePayload[id] = payload
		id, tx = registry.publishRecord(t, "finance", "licensing", "application/json", payload)
		toFinance = append(toFinance, hop{what: "licence → finance", id: id, route: "licences-to-finance", sourceTx: tx})
		licencePayload[id] = payload
	}
	waitFor(t, "licences on procurement's Inbox", 2*time.Minute, func() bool {
		for _, h := range toProcurement {
			if !l.geth.delivered(t, l.inbox, hexIDs(t, []string{h.id})[0]) {
				return false
			}
		}
		return true
	})
	waitFor(t, "licences in finance's records module", 2*time.Minute, func() bool {
		for _, h := range toFinance {
			if !l.cn.delivered(t, h.id) {
				return false
			}
		}
		return true
	})
	t.Logf("licences delivered to procurement and finance after %s", time.Since(start).Round(time.Millisecond))

	// Procurement pays for each licence it received, naming the licence's
	// record ID; the payments go back to the registry.
	var payloads [][]byte
	for i, h := range toProcurement {
		payloads = append(payloads, fmt.Appendf(nil, `{"type":"payment","payment":"PAY-%04d","licence_record":"%s","licence":"LIC-2026-%04d","amount":"250.00 EUR"}`, i+1, h.id, i+1))
	}
	ids, txs := l.geth.recordIDs(t, l.geth.sendPublishes(t, l.outbox, "registry", "payments", payloads))
	var payments []hop
	for i := range ids {
		payments = append(payments, hop{what: "payment → registry", id: hex.EncodeToString(ids[i][:]), route: "payments-to-registry", sourceTx: txs[i]})
	}
	waitFor(t, "payments on the registry", 2*time.Minute, func() bool {
		for _, h := range payments {
			if !registry.delivered(t, h.id) {
				return false
			}
		}
		return true
	})
	t.Logf("payments delivered to the registry after %s", time.Since(start).Round(time.Millisecond))

	// Exactly once, and visible, on procurement (EVM).
	att := l.geth.attestations(t, l.inbox)
	if len(att) != len(toProcurement) {
		t.Errorf("procurement: %d records attested, want %d", len(att), len(toProcurement))
	}
	for i, h := range toProcurement {
		raw := hexIDs(t, []string{h.id})[0]
		if att[raw] != 1 {
			t.Errorf("procurement: licence %s attested %d times, want 1", h.id, att[raw])
		}
		toProcurement[i].destTx, toProcurement[i].evidenceHash = attestedOn(t, l.geth, l.inbox, raw)
	}

	// Exactly once on the registry (Fabric): one VALID Attest per payment,
	// by the relayer's MSP; the delivery holds the payment naming the
	// licence, attested with the evidence hash.
	validBy := map[string][]string{}
	for _, a := range registry.attests(t) {
		if a.valid {
			validBy[a.recordID] = append(validBy[a.recordID], a.txID)
		} else {
			t.Logf("registry: invalid Attest transaction %s for %s (a lost race is allowed; it changed nothing)", a.txID, a.recordID)
		}
	}
	if len(validBy) != len(payments) {
		t.Errorf("registry: VALID Attest transactions for %d records, want %d", len(validBy), len(payments))
	}
	for i, h := range payments {
		if n := len(validBy[h.id]); n != 1 {
			t.Fatalf("registry: payment %s has %d VALID Attest transactions, want 1", h.id, n)
		}
		payments[i].destTx = validBy[h.id][0]
		d := fabricDelivery(t, registry, h.id)
		if !strings.Contains(string(d.Record.Payload), `"licence_record":"`+toProcurement[i].id+`"`) {
			t.Errorf("registry: payment %s does not name licence %s: %s", h.id, toProcurement[i].id, d.Record.Payload)
		}
		if d.TxID != payments[i].destTx || len(d.Votes) != 1 {
			t.Errorf("registry: delivery of %s: tx %s, %d vote(s); want tx %s, 1 vote", h.id, d.TxID, len(d.Votes), payments[i].destTx)
		} else {
			payments[i].evidenceHash = strings.TrimPrefix(d.Votes[0].EvidenceHash, "0x")
		}
	}

	// Exactly once on finance (Cosmos): one delivering transaction per
	// licence and no refused duplicate; the delivered record is the licence.
	for i, h := range toFinance {
		delivering := l.cn.txs(t, "liaison.record_delivered", "id", h.id)
		if len(delivering) != 1 {
			t.Fatalf("finance: licence %s delivered in %d transactions, want 1", h.id, len(delivering))
		}
		toFinance[i].destTx = delivering[0]
		if n := len(l.cn.txs(t, "ibccallbackerror-liaison.record_refused", "ibccallbackerror-id", h.id)); n != 0 {
			t.Errorf("finance: licence %s refused %d times", h.id, n)
		}
		if got := cosmosDeliveredPayload(t, l.cn, h.id); string(got) != string(licencePayload[h.id]) {
			t.Errorf("finance: delivered payload of %s is %q, want %q", h.id, got, licencePayload[h.id])
		}
	}

	// liaison's own view: every record confirmed, none dead.
	var listed []struct {
		ID    string `json:"id"`
		Route string `json:"route"`
		State string `json:"state"`
	}
	if err := json.Unmarshal([]byte(mustLiaisonStdout(t, "records", "list", "-c", l.cfgPath, "--json")), &listed); err != nil {
		t.Fatal(err)
	}
	all := append(append(append([]hop{}, toProcurement...), toFinance...), payments...)
	if len(listed) != len(all) {
		t.Errorf("liaison records list: %d records, want %d", len(listed), len(all))
	}
	for _, r := range listed {
		if r.State != "confirmed" {
			t.Errorf("liaison records list: %s on %s is %s", r.ID, r.Route, r.State)
		}
	}

	// Every hop: its trace, then its evidence, then its spans in Jaeger.
	for _, h := range all {
		verified := checkTrace(t, l.cfgPath, h)
		checkEvidence(t, l.cfgPath, filepath.Join(l.dir, "evidence"), h, verified)
		if j != nil {
			checkJaeger(t, j, l.cfgPath, h)
		}
	}
	t.Logf("licence %s → procurement:\n%s", toProcurement[0].id, mustLiaison(t, "trace", toProcurement[0].id, "-c", l.cfgPath))
	t.Logf("licence %s → finance:\n%s", toFinance[0].id, mustLiaison(t, "trace", toFinance[0].id, "-c", l.cfgPath))
	t.Logf("payment %s → registry:\n%s", payments[0].id, mustLiaison(t, "trace", payments[0].id, "-c", l.cfgPath))

	waitFor(t, "empty backlogs on /metrics", 30*time.Second, func() bool {
		_, body := httpGet("http://" + l.metrics + "/metrics")
		for _, route := range []string{"licences-to-procurement", "licences-to-finance", "payments-to-registry"} {
			if !strings.Contains(body, `liaison_route_backlog{route="`+route+`"} 0`) {
				return false
			}
		}
		return true
	})
	if code := lp.stop(t, syscall.SIGTERM); code != 0 {
		t.Errorf("liaison exited %d on SIGTERM, want 0", code)
	}
	t.Logf("total %s", time.Since(start).Round(time.Millisecond))
}

// checkJaeger finds the hop's trace, by the trace ID `liaison trace`
// gives, in Jaeger: every stage span, under the observe span, with the
// record's ID and route.
func checkJaeger(t *testing.T, j *jaegerServer, cfgPath string, h hop) {
	t.Helper()
	traceID := recordTraceState(t, cfgPath, h.id).TraceID
	var tr *jaegerTrace
	waitFor(t, h.what+" "+h.id+": its trace in Jaeger", time.Minute, func() bool {
		if tr = j.trace(t, traceID); tr == nil {
			return false
		}
		for _, name := range stageSpans {
			if len(tr.spansNamed(name)) == 0 {
				return false
			}
		}
		return true
	})
	checkRecordTrace(t, tr, h.id, traceID, h.route)
	t.Logf("%s %s: trace %s in Jaeger: %s", h.what, h.id, traceID, tr.census())
}

// attestedOn returns the transaction and evidence hash of the Inbox's one
// Attested event for the record.
func attestedOn(t testing.TB, n *gethNode, inbox common.Address, id [32]byte) (tx, evidenceHash string) {
	t.Helper()
	ib := contracts.NewInbox()
	logs, err := n.client.FilterLogs(t.Context(), ethereumFilter(inbox))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range logs {
		if ev, err := ib.UnpackAttestedEvent(&l); err == nil && ev.Id == id {
			return l.TxHash.Hex(), hex.EncodeToString(ev.EvidenceHash[:])
		}
	}
	t.Fatalf("%s: no Attested event for %x", n.name, id)
	return "", ""
}

// fabricDeliveryDoc is the chaincode's Delivery (GetDelivered).
type fabricDeliveryDoc struct {
	Record struct {
		ID      string `json:"id"`
		Payload []byte `json:"payload"`
	} `json:"record"`
	Votes []struct {
		Attestor     string `json:"attestor"`
		EvidenceHash string `json:"evidence_hash"`
	} `json:"votes"`
	TxID string `json:"tx_id"`
}

func fabricDelivery(t testing.TB, c *fabricClient, id string) fabricDeliveryDoc {
	t.Helper()
	out, err := c.contract.EvaluateTransaction("GetDelivered", id)
	if err != nil {
		t.Fatalf("GetDelivered %s: %v", id, err)
	}
	var d fabricDeliveryDoc
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatalf("GetDelivered %s: %v: %s", id, err, out)
	}
	return d
}

// cosmosDeliveredPayload returns the payload of a record the records
// module delivered.
func cosmosDeliveredPayload(t testing.TB, n *cosmosNet, id string) []byte {
	t.Helper()
	e := n.env
	out, err := exec.Command(e["COSMOS_BIN"], "query", "records", "delivered", id, "--node", e["COSMOS_NODE"], "--output", "json").Output()
	if err != nil {
		t.Fatalf("query records delivered %s: %v", id, err)
	}
	var d struct {
		Record struct {
			Payload string `json:"payload"`
		} `json:"record"`
	}
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatalf("query records delivered %s: %v: %s", id, err, out)
	}
	p, err := base64.StdEncoding.DecodeString(d.Record.Payload)
	if err != nil {
		t.Fatalf("delivered payload of %s: %v", id, err)
	}
	return p
}

// traceEvent is one timeline entry of `liaison trace --json`.
type traceEvent struct {
	At     time.Time `json:"at"`
	Stage  string    `json:"stage"`
	Chain  string    `json:"chain"`
	TxID   string    `json:"tx_id"`
	Detail string    `json:"detail"`
	Error  string    `json:"error"`
}

type traceRoute struct {
	ID     string `json:"id"`
	Route  string `json:"route"`
	State  string `json:"state"`
	DestTx string `json:"dest_tx"`
	Source struct {
		TxID string `json:"tx_id"`
	} `json:"source"`
	Timeline []traceEvent `json:"timeline"`
}

// traceOf runs `liaison trace ID --json`.
func traceOf(t testing.TB, cfgPath, id string) []traceRoute {
	t.Helper()
	var out []traceRoute
	if err := json.Unmarshal([]byte(mustLiaisonStdout(t, "trace", id, "-c", cfgPath, "--json")), &out); err != nil {
		t.Fatalf("liaison trace %s --json: %v", id, err)
	}
	return out
}

// checkTrace checks that `liaison trace` shows the hop: one route, every
// stage in time order, the source transaction at observation and the
// destination transaction (as the destination ledger reports it) at
// submission and confirmation. It returns the evidence hash that the
// verified stage names.
func checkTrace(t testing.TB, cfgPath string, h hop) (verified string) {
	t.Helper()
	rts := traceOf(t, cfgPath, h.id)
	if len(rts) != 1 || rts[0].Route != h.route || rts[0].State != "confirmed" {
		t.Errorf("%s %s: trace shows %d route(s), want one, %s, confirmed: %+v", h.what, h.id, len(rts), h.route, rts)
		return ""
	}
	rt := rts[0]
	if rt.Source.TxID != h.sourceTx || rt.DestTx != h.destTx {
		t.Errorf("%s %s: trace names source tx %s and destination tx %s; the ledgers say %s and %s", h.what, h.id, rt.Source.TxID, rt.DestTx, h.sourceTx, h.destTx)
	}
	at := map[string]traceEvent{}
	var last time.Time
	for _, ev := range rt.Timeline {
		if ev.At.Before(last) {
			t.Errorf("%s %s: stage %s at %s is before the previous stage (%s)", h.what, h.id, ev.Stage, ev.At, last)
		}
		last = ev.At
		at[ev.Stage] = ev
	}
	for _, stage := range []string{"observed", "proven", "verified", "submitted", "confirmed"} {
		if ev, ok := at[stage]; !ok || ev.At.IsZero() {
			t.Errorf("%s %s: trace has no %s stage with a time: %+v", h.what, h.id, stage, rt.Timeline)
		}
	}
	if at["observed"].TxID != h.sourceTx {
		t.Errorf("%s %s: observed with tx %q, want %s", h.what, h.id, at["observed"].TxID, h.sourceTx)
	}
	for _, stage := range []string{"submitted", "confirmed"} {
		if at[stage].TxID != h.destTx {
			t.Errorf("%s %s: %s with tx %q, want %s", h.what, h.id, stage, at[stage].TxID, h.destTx)
		}
	}
	// The text form shows the same, with both transactions and stage times.
	text := mustLiaison(t, "trace", h.id, "-c", cfgPath)
	for _, want := range []string{h.sourceTx, h.destTx, "+ELAPSED", "observed", "verified", "confirmed", at["confirmed"].At.UTC().Format("15:04:05.000")} {
		if !strings.Contains(text, want) {
			t.Errorf("%s %s: liaison trace lacks %q:\n%s", h.what, h.id, want, text)
		}
	}
	return strings.TrimPrefix(at["verified"].Detail, "evidence sha256:")
}

// checkEvidence exports the hop's bundle, verifies it offline, checks its
// SHA-256 against the evidence hash on the destination (or, where the
// destination keeps none, the one the trace logged), and checks that
// copies with one changed field or byte fail.
func checkEvidence(t testing.TB, cfgPath, dir string, h hop, traced string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(dir, h.id+".json")
	mustLiaison(t, "evidence", "export", h.id, "-c", cfgPath, "-o", bundle)
	if code, out := liaison(t, "evidence", "verify", bundle, "-c", cfgPath); !strings.Contains(out, "record "+h.id) || (code != 0 && code != 3) {
		t.Errorf("%s %s: evidence verify: exit %d %s", h.what, h.id, code, out)
	} else if code == 3 {
		verifyEndpointEvidence(t, cfgPath, bundle, h.id)
	} else if !strings.Contains(out, "valid: record "+h.id) {
		t.Errorf("%s %s: evidence verify: %s", h.what, h.id, out)
	}
	data, err := os.ReadFile(bundle)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	want, where := h.evidenceHash, "the destination ledger"
	if want == "" {
		want, where = traced, "the trace"
	}
	if got := hex.EncodeToString(sum[:]); got != want {
		t.Errorf("%s %s: the bundle's sha256 is %s, %s says %s", h.what, h.id, got, where, want)
	}

	for _, tm := range bundleTampers(t, data) {
		bad := filepath.Join(dir, h.id+"-"+strings.ReplaceAll(tm.name, " ", "-")+".json")
		writeFile(t, bad, string(tm.forged), 0o644)
		code, out := liaison(t, "evidence", "verify", bad)
		reason := strings.TrimPrefix(strings.TrimSpace(out), "liaison: "+bad+": ")
		switch {
		case code != 1 || reason == strings.TrimSpace(out):
			t.Errorf("%s %s: evidence with %s: exit %d, want 1 with the reason\n%s", h.what, h.id, tm.name, code, out)
		case strings.Contains(reason, "anchor digest"):
			// The copy must differ only where it was changed.
			t.Errorf("%s %s: evidence with %s was refused for its anchor, which was not changed: %s", h.what, h.id, tm.name, reason)
		default:
			t.Logf("%s %s: %s is refused: %s", h.what, h.id[:12], tm.name, oneLineOf(reason, 150))
		}
	}
}

// tampered is a copy of an evidence bundle with one change.
type tampered struct {
	name   string
	forged []byte
}

// bundleTampers returns copies of an encoded bundle that differ from it in
// one place only, edited in the bytes (re-encoding the JSON would reorder
// the anchor state and break its digest, which would hide what is being
// tested): another receiver; one byte of the payload; one character of
// the longest string of the inclusion proof and of the consensus proof
// (the proof bytes, in hex or base64), when there is one.
func bundleTampers(t testing.TB, data []byte) []tampered {
	t.Helper()
	var doc struct {
		Record struct {
			Receiver string `json:"receiver"`
			Payload  []byte `json:"payload"`
		} `json:"record"`
		Inclusion any `json:"inclusion"`
		Consensus any `json:"consensus"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	replace := func(old, new string) []byte {
		if n := bytes.Count(data, []byte(old)); n != 1 {
			t.Fatalf("bundle holds %q %d times, want once", oneLineOf(old, 80), n)
		}
		return bytes.Replace(data, []byte(old), []byte(new), 1)
	}
	quote := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	out := []tampered{{"another receiver", replace(`"receiver": `+quote(doc.Record.Receiver), `"receiver": "attacker"`)}}
	p := bytes.Clone(doc.Record.Payload)
	p[len(p)/2] ^= 0x01
	out = append(out, tampered{"one changed byte of the payload",
		replace(`"payload": `+quote(base64.StdEncoding.EncodeToString(doc.Record.Payload)), `"payload": `+quote(base64.StdEncoding.EncodeToString(p)))})
	for _, part := range []struct {
		name string
		v    any
	}{{"inclusion", doc.Inclusion}, {"consensus", doc.Consensus}} {
		if s := longestString(part.v); len(s) >= 16 {
			out = append(out, tampered{"one changed character of the " + part.name + " proof", replace(quote(s), quote(flipChar(s)))})
		}
	}
	return out
}

// longestString returns the longest string anywhere under v.
func longestString(v any) string {
	best := ""
	switch x := v.(type) {
	case string:
		best = x
	case map[string]any:
		for _, e := range x {
			if s := longestString(e); len(s) > len(best) {
				best = s
			}
		}
	case []any:
		for _, e := range x {
			if s := longestString(e); len(s) > len(best) {
				best = s
			}
		}
	}
	return best
}

// flipChar changes the middle character of s, a hex or base64 encoding, to
// another character of the same alphabet.
func flipChar(s string) string {
	b := []byte(s)
	i := len(b) / 2
	switch c := b[i]; {
	case c == '0':
		b[i] = '1'
	case c >= '1' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		b[i] = '0'
	default: // a base64 character beyond hex
		b[i] = 'A'
	}
	return string(b)
}

func oneLineOf(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
