package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/relayertest"
	"github.com/liaison-gw/liaison/relayer/sqlitestore"
)

// cli runs the command line in-process and returns its exit code and
// output.
func cli(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// relayedStore runs a real engine with fake ledgers until 4 records are
// confirmed and 1 (with forged evidence) is dead, and returns the
// database path and the records.
func relayedStore(t *testing.T) (string, []relayer.Record) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "liaison.db")
	store, err := sqlitestore.Open(path, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	src := relayertest.NewChain("registry")
	recs := src.Publish("procurement", 5)
	eng, err := relayer.NewEngine(relayer.Options{Store: store, Routes: []relayer.Route{{
		Name: "licences", SourceChain: "registry", DestChain: "procurement",
		Source: &relayertest.Source{Chain: src}, Verifier: relayertest.Verifier{},
		Prover:      &relayertest.Prover{Chain: src, Forge: func(r *relayer.Record) bool { return r.ID == recs[2].ID }},
		Destination: relayertest.NewDestination("procurement"),
		Policy:      relayer.RoutePolicy{PollInterval: time.Millisecond, Retry: relayer.RetryPolicy{MaxAttempts: 2, InitialBackoff: time.Millisecond}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		es, _ := store.List(ctx, relayer.Filter{States: []relayer.State{relayer.StateConfirmed, relayer.StateDead}})
		if len(es) == 5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("engine did not finish")
		}
		time.Sleep(2 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return path, recs
}

func TestRecordsCommands(t *testing.T) {
	db, recs := relayedStore(t)
	dead := recs[2].ID.String()

	code, out, _ := cli("records", "list", "--db", db, "--state", "dead")
	if code != 0 || !strings.Contains(out, dead) || strings.Count(out, "\n") != 2 {
		t.Fatalf("records list --state dead: %d\n%s", code, out)
	}
	code, out, _ = cli("records", "show", recs[0].ID.String(), "--db", db)
	if code != 0 || !strings.Contains(out, `"state": "confirmed"`) || !strings.Contains(out, `{\"licence\":1}`) {
		t.Fatalf("records show: %d\n%s", code, out)
	}
	code, out, _ = cli("trace", dead, "--db", db)
	for _, want := range []string{"observed", "retry-scheduled", "dead", "evidence rejected", "MAC"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("trace lacks %q (exit %d):\n%s", want, code, out)
		}
	}
	code, out, _ = cli("records", "retry", dead, "--db", db, "--reason", "prover fixed", "--actor", "alice")
	if code != 0 || !strings.Contains(out, "dead → observed") {
		t.Fatalf("records retry: %d %s", code, out)
	}
	code, _, errOut := cli("records", "skip", recs[0].ID.String(), "--db", db, "--reason", "x")
	if code != 1 || !strings.Contains(errOut, "already confirmed") {
		t.Fatalf("skip of a confirmed record: %d %s", code, errOut)
	}
	code, out, _ = cli("records", "skip", dead, "--db", db, "--reason", "withdrawn", "--actor", "bob")
	if code != 0 || !strings.Contains(out, "observed → skipped") {
		t.Fatalf("records skip: %d %s", code, out)
	}
	code, out, _ = cli("records", "audit", "--db", db)
	if code != 0 || !strings.Contains(out, "alice") || !strings.Contains(out, "prover fixed") || !strings.Contains(out, "bob") || !strings.Contains(out, "withdrawn") {
		t.Fatalf("records audit: %d\n%s", code, out)
	}
	code, out, _ = cli("trace", dead, "--db", db)
	if !strings.Contains(out, "retry by alice: prover fixed") || !strings.Contains(out, "skip by bob: withdrawn") {
		t.Fatalf("operator actions missing from the trace:\n%s", out)
	}
	if code, _, errOut := cli("trace", strings.Repeat("ab", 32), "--db", db); code != 1 || !strings.Contains(errOut, "not found") {
		t.Fatalf("trace of an unknown record: %d %s", code, errOut)
	}
	if code, _, _ := cli("trace", "nothex", "--db", db); code != 2 {
		t.Fatalf("trace of a malformed id: exit %d, want 2", code)
	}
}

func TestConfigValidateCommand(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte(`
chains:
  - name: registry
    kind: evm
    evm: {rpc: ["http://127.0.0.1:1"], chain_id: 1, outbox: "0x5FbDB2315678afecb367f032d93F642f64180aa3", trust: {mode: finality}}
routes:
  - name: r
    source: {chain: registry}
    destination: {chain: finance}
    ordering: sideways
`), 0o644)
	code, _, errOut := cli("config", "validate", bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{`routes[0].destination.chain: unknown chain "finance" (defined: registry)`, `routes[0].ordering: "sideways": use ordered or unordered`, "2 problem(s)"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("output lacks %q:\n%s", want, errOut)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	if code, _, _ := cli("records", "skip", strings.Repeat("ab", 32), "--db", "x.db"); code != 1 {
		// --reason is required: cobra reports it before opening anything.
		t.Fatalf("skip without --reason: exit %d", code)
	}
	if code, out, _ := cli("version"); code != 0 || !strings.HasPrefix(out, "liaison ") {
		t.Fatalf("version: %d %q", code, out)
	}
}

// TestStartUnreachableRPC checks that `liaison start` on a chain whose RPC
// endpoint refuses connections fails with one line naming the chain and
// the endpoint, closes what it opened, and leaves a store a second start
// can open.
func TestStartUnreachableRPC(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "liaison.yaml")
	os.WriteFile(cfg, []byte(`
store: {path: liaison.db}
chains:
  - name: registry
    kind: evm
    evm: {rpc: ["http://127.0.0.1:1"], chain_id: 1, outbox: "0x5FbDB2315678afecb367f032d93F642f64180aa3", trust: {mode: finality}}
  - name: procurement
    kind: evm
    evm: {rpc: ["http://127.0.0.1:1"], chain_id: 2, inbox: "0x5FbDB2315678afecb367f032d93F642f64180aa3", trust: {mode: finality},
      signer: {key: {file: relayer.key}}}
routes:
  - name: r
    source: {chain: registry}
    destination: {chain: procurement}
`), 0o644)
	os.WriteFile(filepath.Join(dir, "relayer.key"), []byte(strings.Repeat("11", 32)), 0o600)
	for range 2 {
		code, _, errOut := cli("start", "-c", cfg)
		if code != 1 {
			t.Fatalf("exit %d, want 1; stderr:\n%s", code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		last := lines[len(lines)-1]
		for _, want := range []string{"liaison: chain ", "ledger unavailable", "http://127.0.0.1:1"} {
			if !strings.Contains(last, want) {
				t.Errorf("last line lacks %q: %q", want, last)
			}
		}
	}
}
