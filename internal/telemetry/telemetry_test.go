package telemetry_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/internal/telemetry"
	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/relayertest"
	"github.com/liaison-gw/liaison/relayer/sqlitestore"
)

// TestMetricsTracesAndHealth runs a real engine (fake ledgers, real store)
// with the telemetry a config asks for, then scrapes /metrics, asks
// /readyz, and reads the trace file.
func TestMetricsTracesAndHealth(t *testing.T) {
	dir := t.TempDir()
	var cfg config.Telemetry
	cfg.Listen = "127.0.0.1:0"
	cfg.ServiceName = "liaison-test"
	cfg.Log.Level, cfg.Log.Format = "info", "json"
	cfg.Traces.File = filepath.Join(dir, "traces.jsonl")
	var logs bytes.Buffer
	tel, err := telemetry.New(context.Background(), cfg, telemetry.Options{LogOutput: &logs, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + tel.Addr()
	if code, _ := get(t, base+"/readyz"); code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz before start = %d, want 503", code)
	}
	if code, _ := get(t, base+"/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz = %d", code)
	}

	store, err := sqlitestore.Open(filepath.Join(dir, "l.db"), sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	src := relayertest.NewChain("dept-a")
	dst := relayertest.NewDestination("dept-b")
	forged := src.Publish("dept-b", 5)[4].ID
	eng, err := relayer.NewEngine(relayer.Options{
		Store: store, Logger: tel.Logger, TracerProvider: tel.TracerProvider, MeterProvider: tel.MeterProvider,
		Routes: []relayer.Route{{
			Name: "a-to-b", SourceChain: "dept-a", DestChain: "dept-b",
			Source: &relayertest.Source{Chain: src}, Verifier: relayertest.Verifier{}, Destination: dst,
			Prover: &relayertest.Prover{Chain: src, Forge: func(r *relayer.Record) bool { return r.ID == forged }},
			Policy: relayer.RoutePolicy{PollInterval: time.Millisecond, Retry: relayer.RetryPolicy{MaxAttempts: 1}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// SetReady while /readyz is being asked (the race detector watches).
	asked := make(chan struct{})
	go func() {
		defer close(asked)
		for range 20 {
			if resp, err := http.Get(base + "/readyz"); err == nil {
				resp.Body.Close()
			}
		}
	}()
	tel.SetReady(eng.Ready)
	<-asked
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	deadline := time.Now().Add(20 * time.Second)
	for dst.Submits.Load() < 4 {
		if time.Now().After(deadline) {
			t.Fatal("records not delivered")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if code, _ := get(t, base+"/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz while running = %d, want 200", code)
	}
	want := []string{
		`liaison_records_delivered_total{route="a-to-b"} 4`,
		`liaison_route_dead{route="a-to-b"} 1`,
		`liaison_records_observed_total{route="a-to-b"} 5`,
		`liaison_records_dead_total{route="a-to-b"} 1`,
		`liaison_records_failures_total{route="a-to-b"} 1`,
		`liaison_route_backlog{route="a-to-b"} 0`,
		`liaison_route_oldest_pending_age_seconds{route="a-to-b"} 0`,
		`liaison_source_head{route="a-to-b"} 5`,
		`liaison_source_head_lag{route="a-to-b"} 0`,
		`liaison_route_halted{route="a-to-b"} 0`,
		`liaison_stage_duration_seconds_bucket{route="a-to-b",stage="verified"`,
		`liaison_record_latency_seconds_count{route="a-to-b"} 4`,
		`liaison_route_last_progress_timestamp_seconds{route="a-to-b"} 1.`,
	}
	// The counters move just before the store commits, so poll until
	// the whole picture is consistent.
	var missing []string
	for {
		_, body := get(t, base+"/metrics")
		missing = missing[:0]
		for _, w := range want {
			if !strings.Contains(body, w) {
				missing = append(missing, w)
			}
		}
		if len(missing) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/metrics lacks %v:\n%s", missing, grepLines(body, "liaison_"))
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := tel.Close(context.Background()); err != nil {
		t.Fatal(err)
	}

	// Every span line is JSON and carries the record it belongs to.
	f, err := os.Open(cfg.Traces.File)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	names := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l telemetry.SpanLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("trace line %q: %v", sc.Text(), err)
		}
		if l.Attributes["liaison.record_id"] == "" || len(l.TraceID) != 32 {
			t.Errorf("span %s without record id or trace id", l.Name)
		}
		names[l.Name]++
	}
	for _, n := range []string{"liaison.observe", "liaison.prove", "liaison.verify", "liaison.submit", "liaison.confirm"} {
		if names[n] == 0 {
			t.Errorf("no %s span in the trace file (have %v)", n, names)
		}
	}
	// Logs are JSON and name the record and trace of a failure.
	if !strings.Contains(logs.String(), `"record_id":"`+forged.String()) || !strings.Contains(logs.String(), `"trace_id":"`) {
		t.Errorf("the dead-letter log lacks record_id or trace_id:\n%s", logs.String())
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
