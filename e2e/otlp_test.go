//go:build e2e

package e2e

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/sdk/resource"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/liaison-gw/liaison/config"
)

// The spans every delivered record's trace holds, observe first.
var stageSpans = []string{"liaison.observe", "liaison.prove", "liaison.verify", "liaison.submit", "liaison.confirm"}

// TestOTLPTracesInJaeger exports liaison's traces over OTLP/gRPC to a real
// Jaeger (v2, in-memory storage) and reads them back from Jaeger's query
// API. Liaison relays records between two geth --dev nodes; it is killed
// with SIGKILL while every record is submitted on the destination but not
// yet final there, and restarted. Each record's trace, found by the trace
// id `liaison trace --json` prints, must hold the observe, prove, verify,
// submit and confirm spans with the record's id and the service name, all
// under the one observe span, including a confirm span written by the
// second process.
func TestOTLPTracesInJaeger(t *testing.T) {
	// Runs beside the other geth-only tests: it mostly waits on blocks.
	t.Parallel()
	jaegerBin := jaegerBinary(t)
	gethBinary(t) // skip before starting anything when geth is missing
	j := startJaeger(t, jaegerBin)
	a, b := startGeth(t, "a"), startGeth(t, "b")
	dir := t.TempDir()
	outA, inA, outB, inB := deployBothWays(t, a, b, dir)

	// chain-b calls a transaction final 12 blocks (about 12 s) deep: the
	// window in which a record is submitted but not confirmed, and
	// liaison is killed.
	metrics := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cfgPath := filepath.Join(dir, "liaison.yaml")
	writeFile(t, cfgPath, fmt.Sprintf(`
store: {path: liaison.db}
telemetry:
  listen: %s
  traces:
    file: traces.jsonl
    otlp: {endpoint: "%s", insecure: true}
chains:
%s%sroutes:
  - name: a-to-b
    source: {chain: chain-a}
    destination: {chain: chain-b, receiver: e2e}
    poll_interval: 200ms
    confirm_interval: 200ms
`, metrics, j.otlp, evmChainYAML("chain-a", a.http, a.chainID, outA, inA, 1, "relayer.key"),
		evmChainYAML("chain-b", b.http, b.chainID, outB, inB, 12, "relayer.key")), 0o644)
	mustLiaison(t, "config", "validate", cfgPath)

	start := func() *proc { return startLiaison(t, cfgPath, metrics) }

	lp := start()
	ids := idStrings(a.publish(t, outA, "chain-b", 3, "otlp"))

	// Kill liaison once every record is submitted on B, not final there,
	// and its submit span is in Jaeger (spans are exported in batches
	// every second; a SIGKILL loses the last batch).
	waitFor(t, "every record submitted, not final, with its submit span in Jaeger", 2*time.Minute, func() bool {
		for _, id := range ids {
			st := recordTraceState(t, cfgPath, id)
			switch st.State {
			case "submitted":
			case "confirmed":
				t.Fatalf("record %s was confirmed before liaison could be killed mid-flight: raise chain-b's confirmations", id)
			default:
				return false
			}
			tr := j.trace(t, st.TraceID)
			if tr == nil || len(tr.spansNamed("liaison.submit")) == 0 {
				return false
			}
		}
		return true
	})
	killed := time.Now()
	lp.stop(t, syscall.SIGKILL)
	restarted := time.Now()
	lp = start()

	states := map[string]recordTraceJSON{}
	waitFor(t, "every record confirmed after the restart", 2*time.Minute, func() bool {
		for _, id := range ids {
			st := recordTraceState(t, cfgPath, id)
			if st.State != "confirmed" {
				return false
			}
			states[id] = st
		}
		return true
	})
	att := b.attestations(t, inB)
	for _, id := range ids {
		var raw [32]byte
		copy(raw[:], common.FromHex(id))
		if att[raw] != 1 {
			t.Errorf("record %s attested %d times on chain-b, want 1", id, att[raw])
		}
	}

	for _, id := range ids {
		st := states[id]
		if len(st.TraceID) != 32 {
			t.Fatalf("liaison trace %s --json: trace_id %q", id, st.TraceID)
		}
		// Poll until the second process's confirm span has arrived.
		var tr *jaegerTrace
		waitFor(t, "record "+id+"'s full trace in Jaeger", time.Minute, func() bool {
			tr = j.trace(t, st.TraceID)
			if tr == nil {
				return false
			}
			for _, name := range stageSpans {
				if len(tr.spansNamed(name)) == 0 {
					return false
				}
			}
			for _, s := range tr.spansNamed("liaison.confirm") {
				if s.start().After(restarted) && s.tag("liaison.destination.tx") == st.DestTx {
					return true
				}
			}
			return false
		})
		checkRecordTrace(t, tr, id, st.TraceID, "a-to-b")
		before, after := 0, 0
		for _, s := range tr.Spans {
			switch {
			case s.start().Before(killed):
				before++
			case s.start().After(restarted):
				after++
			}
		}
		if len(tr.spansNamed("liaison.submit")) == 0 || !tr.spansNamed("liaison.submit")[0].start().Before(killed) {
			t.Errorf("trace %s: no liaison.submit span from before the SIGKILL", st.TraceID)
		}
		t.Logf("record %s: trace %s in Jaeger: %s; %d spans from the first process, %d from the second",
			id, st.TraceID, tr.census(), before, after)
	}

	if code := lp.stop(t, syscall.SIGTERM); code != 0 {
		t.Errorf("liaison exited %d on SIGTERM, want 0", code)
	}
}

// checkRecordTrace checks one record's trace as Jaeger returns it: one
// root, the observe span; every other liaison span its child; the record's
// id and route on every liaison span; the service name on every span.
func checkRecordTrace(t testing.TB, tr *jaegerTrace, id, traceID, route string) {
	t.Helper()
	if tr.TraceID != traceID {
		t.Errorf("Jaeger returned trace %s for %s", tr.TraceID, traceID)
	}
	observe := tr.spansNamed("liaison.observe")
	if len(observe) != 1 {
		t.Fatalf("trace %s: %d liaison.observe spans, want 1", traceID, len(observe))
	}
	root := observe[0]
	for _, s := range tr.Spans {
		if svc := tr.Processes[s.ProcessID].ServiceName; svc != config.DefaultServiceName {
			t.Errorf("trace %s: span %s has service %q, want %q", traceID, s.OperationName, svc, config.DefaultServiceName)
		}
		if !strings.HasPrefix(s.OperationName, "liaison.") {
			continue
		}
		if got := s.tag("liaison.record_id"); got != id {
			t.Errorf("trace %s: span %s has liaison.record_id %q, want %q", traceID, s.OperationName, got, id)
		}
		if got := s.tag("liaison.route"); got != route {
			t.Errorf("trace %s: span %s has liaison.route %q, want %s", traceID, s.OperationName, got, route)
		}
		parent := s.parent()
		switch {
		case s.SpanID == root.SpanID && parent != "":
			t.Errorf("trace %s: the observe span has parent %s, want none", traceID, parent)
		case s.SpanID != root.SpanID && parent != root.SpanID:
			t.Errorf("trace %s: span %s has parent %q, want the observe span %s", traceID, s.OperationName, parent, root.SpanID)
		}
	}
}

// recordTraceJSON is the part of `liaison trace ID --json` this test reads.
type recordTraceJSON struct {
	State   string `json:"state"`
	TraceID string `json:"trace_id"`
	DestTx  string `json:"dest_tx"`
}

// recordTraceState returns the record's state on its one route, or the
// zero value while liaison has not observed it.
func recordTraceState(t testing.TB, cfgPath, id string) recordTraceJSON {
	t.Helper()
	cmd := exec.Command(liaisonBin, "trace", id, "-c", cfgPath, "--json")
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 && strings.Contains(string(ee.Stderr), "not found") {
		return recordTraceJSON{}
	}
	if err != nil {
		t.Fatalf("liaison trace %s --json: %v\n%s", id, err, out)
	}
	var rs []recordTraceJSON
	if err := json.Unmarshal(out, &rs); err != nil || len(rs) != 1 {
		t.Fatalf("liaison trace %s --json: want one route, got %v:\n%s", id, err, out)
	}
	return rs[0]
}

// jaegerBinary returns $LIAISON_JAEGER or skips the test.
func jaegerBinary(t testing.TB) string {
	t.Helper()
	bin := os.Getenv("LIAISON_JAEGER")
	if bin == "" {
		t.Skip("LIAISON_JAEGER is not set: run `make e2e`, which builds and caches Jaeger with scripts/jaeger.sh build")
	}
	return bin
}

// jaegerServer is a Jaeger v2 process on loopback: an OTLP/gRPC receiver
// into in-memory storage, and the query service.
type jaegerServer struct {
	otlp  string // host:port of the OTLP/gRPC receiver
	query string // host:port of the query HTTP API
}

// jaegerConfig is a minimal Jaeger v2 configuration: the OTLP gRPC
// receiver, memory storage and the query extension, each on a loopback
// port of the test's choosing. It listens on nothing else: no internal
// metrics (Prometheus on :8888 by default), no health check, zpages,
// pprof, remote sampling or other receivers, and query's self-tracing
// is off.
const jaegerConfig = `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics: {level: none}
    logs: {level: info}
extensions:
  jaeger_storage:
    backends:
      memstore:
        memory: {max_traces: 10000}
  jaeger_query:
    storage: {traces: memstore}
    enable_tracing: false
    http: {endpoint: "%s"}
    grpc: {endpoint: "%s"}
receivers:
  otlp:
    protocols:
      grpc: {endpoint: "%s"}
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`

// startJaeger starts Jaeger with jaegerConfig and waits until a probe span
// sent over OTLP can be read back from the query API.
func startJaeger(t testing.TB, bin string) *jaegerServer {
	t.Helper()
	j := &jaegerServer{otlp: fmt.Sprintf("127.0.0.1:%d", freePort(t)), query: fmt.Sprintf("127.0.0.1:%d", freePort(t))}
	queryGRPC := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cfg := filepath.Join(t.TempDir(), "jaeger.yaml")
	writeFile(t, cfg, fmt.Sprintf(jaegerConfig, j.query, queryGRPC, j.otlp), 0o644)
	startProc(t, "jaeger", bin, "--config", cfg)

	var probe trace.TraceID
	rand.Read(probe[:])
	waitFor(t, "Jaeger's OTLP receiver to accept a probe span", 60*time.Second, func() bool {
		return j.sendProbe(probe) == nil
	})
	waitFor(t, "Jaeger's query API to return the probe span", 30*time.Second, func() bool {
		tr := j.trace(t, probe.String())
		return tr != nil && len(tr.spansNamed("liaison-e2e.probe")) == 1
	})
	return j
}

// sendProbe exports one span of trace id over OTLP/gRPC, without retries.
func (j *jaegerServer) sendProbe(id trace.TraceID) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	exp, err := otlptracegrpc.New(ctx, otlptracegrpc.WithEndpoint(j.otlp), otlptracegrpc.WithInsecure(),
		otlptracegrpc.WithRetry(otlptracegrpc.RetryConfig{Enabled: false}))
	if err != nil {
		return err
	}
	defer exp.Shutdown(context.Background())
	var sid trace.SpanID
	rand.Read(sid[:])
	now := time.Now()
	span := tracetest.SpanStub{
		Name:        "liaison-e2e.probe",
		SpanContext: trace.NewSpanContext(trace.SpanContextConfig{TraceID: id, SpanID: sid, TraceFlags: trace.FlagsSampled}),
		StartTime:   now,
		EndTime:     now.Add(time.Millisecond),
		Resource:    resource.NewSchemaless(attribute.String("service.name", "liaison-e2e-probe")),
	}
	return exp.ExportSpans(ctx, tracetest.SpanStubs{span}.Snapshots())
}

// trace returns the trace from Jaeger's v1-compatible HTTP API
// (GET /api/traces/ID), or nil while Jaeger does not have it.
func (j *jaegerServer) trace(t testing.TB, traceID string) *jaegerTrace {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+j.query+"/api/traces/"+traceID, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("Jaeger query API: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil
	}
	var body struct {
		Data   []jaegerTrace `json:"data"`
		Errors []struct {
			Msg string `json:"msg"`
		} `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("Jaeger query API: status %d: decode: %v", resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK || len(body.Data) != 1 {
		t.Fatalf("Jaeger query API: status %d, %d traces, errors %v", resp.StatusCode, len(body.Data), body.Errors)
	}
	return &body.Data[0]
}

// jaegerTrace is a trace in the JSON of Jaeger's v1-compatible query API.
type jaegerTrace struct {
	TraceID   string       `json:"traceID"`
	Spans     []jaegerSpan `json:"spans"`
	Processes map[string]struct {
		ServiceName string      `json:"serviceName"`
		Tags        []jaegerTag `json:"tags"`
	} `json:"processes"`
}

type jaegerSpan struct {
	TraceID       string `json:"traceID"`
	SpanID        string `json:"spanID"`
	OperationName string `json:"operationName"`
	References    []struct {
		RefType string `json:"refType"`
		TraceID string `json:"traceID"`
		SpanID  string `json:"spanID"`
	} `json:"references"`
	StartTime int64       `json:"startTime"` // µs since the Unix epoch
	Duration  int64       `json:"duration"`  // µs
	Tags      []jaegerTag `json:"tags"`
	ProcessID string      `json:"processID"`
}

type jaegerTag struct {
	Key   string `json:"key"`
	Type  string `json:"type"`
	Value any    `json:"value"`
}

func (tr *jaegerTrace) spansNamed(name string) []jaegerSpan {
	var out []jaegerSpan
	for _, s := range tr.Spans {
		if s.OperationName == name {
			out = append(out, s)
		}
	}
	return out
}

// census counts the spans per name, in stage order.
func (tr *jaegerTrace) census() string {
	var parts []string
	staged := 0
	for _, name := range stageSpans {
		n := len(tr.spansNamed(name))
		staged += n
		parts = append(parts, fmt.Sprintf("%s ×%d", name, n))
	}
	if other := len(tr.Spans) - staged; other > 0 {
		parts = append(parts, fmt.Sprintf("%d other", other))
	}
	return strings.Join(parts, ", ")
}

// tag returns the span's tag as a string, or "" if it has none.
func (s jaegerSpan) tag(key string) string {
	for _, kv := range s.Tags {
		if kv.Key == key {
			return fmt.Sprint(kv.Value)
		}
	}
	return ""
}

// parent returns the span id the span is a CHILD_OF, or "".
func (s jaegerSpan) parent() string {
	for _, r := range s.References {
		if r.RefType == "CHILD_OF" {
			return r.SpanID
		}
	}
	return ""
}

func (s jaegerSpan) start() time.Time { return time.UnixMicro(s.StartTime) }
