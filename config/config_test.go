package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const validYAML = `
store:
  path: state/liaison.db
telemetry:
  listen: 127.0.0.1:9464
chains:
  - name: registry
    kind: evm
    evm:
      rpc: [http://127.0.0.1:8545]
      chain_id: 1337
      outbox: "0x5FbDB2315678afecb367f032d93F642f64180aa3"
      inbox: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
      trust: {mode: finality, confirmations: 2}
      signer: {key: {env: REGISTRY_KEY}}
  - name: procurement
    kind: evm
    evm:
      rpc: [ws://127.0.0.1:8546]
      chain_id: 1338
      outbox: "0x5FbDB2315678afecb367f032d93F642f64180aa3"
      inbox: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
      trust:
        mode: qbft
        validators: ["0x2ae0a0bd3df5c2d6a6ae04b0ce2a2d7ee8a1a8f4"]
      signer: {key: {env: PROCUREMENT_KEY}}
routes:
  - name: licences
    source: {chain: registry}
    destination: {chain: procurement}
    ordering: ordered
    retry: {max_attempts: 5, initial_backoff: 200ms, max_backoff: 30s}
`

func parse(t *testing.T, y string) (*Config, error) {
	t.Helper()
	return Parse(strings.NewReader(y), "/etc/liaison")
}

func TestValidConfig(t *testing.T) {
	c, err := parse(t, validYAML)
	if err != nil {
		t.Fatal(err)
	}
	if c.Store.Path != "/etc/liaison/state/liaison.db" {
		t.Errorf("store path = %q, want it relative to the config", c.Store.Path)
	}
	r := c.Routes[0]
	if r.Source.Selector.Destination != "procurement" {
		t.Errorf("selector destination defaults to %q", r.Source.Selector.Destination)
	}
	if r.Retry.InitialBackoff.Milliseconds() != 200 {
		t.Errorf("initial backoff = %s", r.Retry.InitialBackoff)
	}
	if c.Chains[0].EVM.MaxBlockRange != DefaultMaxBlockRange {
		t.Errorf("max block range default not applied")
	}
	// Trust parameters default for the qbft chain, not the finality one.
	if tr := c.Chains[1].EVM.Trust; tr.TrustingPeriod != DefaultEVMTrustingPeriod || tr.MaxClockDrift != DefaultEVMClockDrift ||
		tr.ExpiryWarning != DefaultEVMTrustingPeriod/3 {
		t.Errorf("qbft trust parameters: %+v", tr)
	}
	if tr := c.Chains[0].EVM.Trust; tr.TrustingPeriod != 0 || tr.MaxClockDrift != 0 || tr.ExpiryWarning != 0 {
		t.Errorf("finality chain got trust parameters: %+v", tr)
	}
	y := strings.Replace(validYAML, "ordering: ordered", "ordering: ordered\n    batch: {max_records: 50, max_wait: 200ms, concurrency: 2}", 1)
	if c, err = parse(t, y); err != nil {
		t.Fatal(err)
	}
	if b := c.Routes[0].Batch; b.MaxRecords != 50 || b.MaxWait != 200*time.Millisecond || b.Concurrency != 2 {
		t.Errorf("batch settings: %+v", b)
	}
	y = strings.Replace(validYAML, "mode: qbft", "mode: qbft\n        trusting_period: 72h\n        max_clock_drift: 2s", 1)
	if c, err = parse(t, y); err != nil {
		t.Fatal(err)
	}
	if tr := c.Chains[1].EVM.Trust; tr.TrustingPeriod != 72*time.Hour || tr.MaxClockDrift != 2*time.Second || tr.ExpiryWarning != 24*time.Hour {
		t.Errorf("configured trust parameters: %+v", tr)
	}
}

func TestValidationMessages(t *testing.T) {
	cases := []struct {
		name    string
		edit    func(string) string
		want    []string
		wantOne bool
	}{
		{"unknown destination chain", func(s string) string {
			return strings.Replace(s, "destination: {chain: procurement}", "destination: {chain: finance}", 1)
		}, []string{`routes[0].destination.chain: unknown chain "finance" (defined: procurement, registry)`}, true},
		{"unknown field", func(s string) string {
			return strings.Replace(s, "ordering: ordered", "ordering: ordered\n    orderin: x", 1)
		}, []string{"field orderin not found"}, true},
		{"type errors reported by path, with the other problems", func(s string) string {
			s = strings.Replace(s, "trust: {mode: finality, confirmations: 2}", "trust: {mode: finality, confirmations: -1}", 1)
			s = strings.Replace(s, "ordering: ordered", "ordering: ordered\n    batch: {max_records: many, max_wait: soon}\n    orderin: x", 1)
			return strings.Replace(s, "mode: qbft", "mode: pow", 1)
		}, []string{"chains[0].evm.trust.confirmations: the number \"-1\" is not a whole number of 0 or more",
			`routes[0].batch.max_records: the text "many" is not a whole number`,
			`routes[0].batch.max_wait: the text "soon" is not a duration (like 500ms, 30s, 2h)`,
			"routes[0].orderin: unknown setting",
			`chains[1].evm.trust.mode: "pow": use qbft, ibft2 or finality`}, false},
		{"api open to the network without tokens, and a bad token", func(s string) string {
			return strings.Replace(s, "routes:", "api:\n  listen: 0.0.0.0:9465\nroutes:", 1)
		}, []string{`api.listen: "0.0.0.0:9465" is not a loopback address: an API reachable from other machines needs api.tokens`}, true},
		{"api tokens", func(s string) string {
			return strings.Replace(s, "routes:", "api:\n  listen: 127.0.0.1:9465\n  tokens:\n    - {name: ops, file: /nonexistent/token, role: admin}\n    - {name: ops, role: read}\nroutes:", 1)
		}, []string{`api.tokens[0].role: "admin": use read or operator`, "api.tokens[0].file: ", `api.tokens[1].name: "ops" is used twice`,
			"api.tokens[1].file: is required"}, false},
		{"api tls", func(s string) string {
			return strings.Replace(s, "routes:", "api:\n  listen: 0.0.0.0:9465\n  tls:\n    cert: /nonexistent/server.crt\n    clients: [{name: alice, role: root}]\nroutes:", 1)
		}, []string{"api.tls: cert and key are both required to serve TLS", "api.tls.cert: open /nonexistent/server.crt",
			"api.tls.clients: need client_ca", `api.listen: "0.0.0.0:9465" is not a loopback address`}, false},
		{"bad address and mode", func(s string) string {
			s = strings.Replace(s, `outbox: "0x5FbDB2315678afecb367f032d93F642f64180aa3"`, `outbox: "0x1234"`, 1)
			return strings.Replace(s, "mode: finality", "mode: pow", 1)
		}, []string{`chains[0].evm.outbox: "0x1234" is not a 20-byte hex address`, `chains[0].evm.trust.mode: "pow": use qbft, ibft2 or finality`}, false},
		{"cosmos kind without its section", func(s string) string {
			return strings.Replace(s, "kind: evm\n    evm:\n      rpc: [ws", "kind: cosmos\n    evm:\n      rpc: [ws", 1)
		}, []string{"chains[1].cosmos: is required for kind cosmos", `chains[1].evm: is set but the chain's kind is "cosmos"`}, false},
		{"fabric kind without its section", func(s string) string {
			return strings.Replace(s, "kind: evm\n    evm:\n      rpc: [ws", "kind: fabric\n    evm:\n      rpc: [ws", 1)
		}, []string{"chains[1].fabric: is required for kind fabric", `chains[1].evm: is set but the chain's kind is "fabric"`}, false},
		{"same source and destination", func(s string) string {
			return strings.Replace(s, "destination: {chain: procurement}", "destination: {chain: registry}", 1)
		}, []string{`routes[0].destination.chain: is the route's source chain "registry"; a route must cross ledgers`}, true},
		{"bad ordering and negative retry", func(s string) string {
			s = strings.Replace(s, "ordering: ordered", "ordering: fifo", 1)
			return strings.Replace(s, "max_attempts: 5", "max_attempts: -1", 1)
		}, []string{`routes[0].ordering: "fifo": use ordered or unordered`, "routes[0].retry.max_attempts: must not be negative"}, false},
		{"qbft without validators", func(s string) string {
			return strings.Replace(s, `validators: ["0x2ae0a0bd3df5c2d6a6ae04b0ce2a2d7ee8a1a8f4"]`, "validators: []", 1)
		}, []string{"chains[1].evm.trust.validators: qbft trust needs the validator set at the checkpoint"}, true},
		{"duplicate route and chain", func(s string) string {
			s = strings.Replace(s, "name: procurement", "name: registry", 1)
			return s
		}, []string{`chains[1].name: chain "registry" is defined twice`}, false},
		{"postgres", func(s string) string {
			return strings.Replace(s, "path: state/liaison.db", "driver: postgres", 1)
		}, []string{"store.driver: postgres is not available in this build yet; use sqlite"}, true},
		{"negative trusting period", func(s string) string {
			return strings.Replace(s, "mode: qbft", "mode: qbft\n        trusting_period: -1h", 1)
		}, []string{"chains[1].evm.trust.trusting_period: must be positive"}, true},
		{"expiry warning not shorter than the trusting period", func(s string) string {
			return strings.Replace(s, "mode: qbft", "mode: qbft\n        trusting_period: 24h\n        expiry_warning: 24h", 1)
		}, []string{"chains[1].evm.trust.expiry_warning: 24h0m0s must be positive and shorter than the trusting period 24h0m0s"}, true},
		{"negative clock drift", func(s string) string {
			return strings.Replace(s, "mode: qbft", "mode: qbft\n        max_clock_drift: -1s", 1)
		}, []string{"chains[1].evm.trust.max_clock_drift: must be positive"}, true},
		{"trusting period in finality mode", func(s string) string {
			return strings.Replace(s, "trust: {mode: finality, confirmations: 2}", "trust: {mode: finality, confirmations: 2, trusting_period: 24h}", 1)
		}, []string{"chains[0].evm.trust.trusting_period: is for qbft or ibft2 mode"}, true},
		{"unknown trust model", func(s string) string {
			return strings.Replace(s, "ordering: ordered", "ordering: ordered\n    proof: {accept: [magic]}", 1)
		}, []string{`routes[0].proof.accept[0]: unknown trust model "magic"`}, true},
		{"negative batch settings", func(s string) string {
			return strings.Replace(s, "ordering: ordered", "ordering: ordered\n    batch: {max_records: -1, max_wait: -1s, concurrency: -2}", 1)
		}, []string{"routes[0].batch.max_records: must not be negative", "routes[0].batch.max_wait: must not be negative",
			"routes[0].batch.concurrency: must not be negative"}, false},
		{"signer balance thresholds", func(s string) string {
			s = strings.Replace(s, "signer: {key: {env: REGISTRY_KEY}}", "signer: {key: {env: REGISTRY_KEY}, balance_warning: \"0.1\", balance_critical: \"0.5\"}", 1)
			return strings.Replace(s, "signer: {key: {env: PROCUREMENT_KEY}}", "signer: {key: {env: PROCUREMENT_KEY}, balance_warning: \"-1\", balance_critical: \"1e3\"}", 1)
		}, []string{"chains[0].evm.signer.balance_warning: 0.1 is below balance_critical 0.5",
			`chains[1].evm.signer.balance_warning: "-1" is negative`, `chains[1].evm.signer.balance_critical: "1e3" is not a decimal amount`}, false},
		{"batch into a destination that cannot batch", func(s string) string {
			s = strings.Replace(s, "kind: evm\n    evm:\n      rpc: [ws", "kind: cosmos\n    evm:\n      rpc: [ws", 1)
			return strings.Replace(s, "ordering: ordered", "ordering: ordered\n    batch: {max_records: 50}", 1)
		}, []string{`routes[0].batch.max_records: chain "procurement" (cosmos) cannot take batches yet`}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse(t, tc.edit(validYAML))
			if err == nil {
				t.Fatal("invalid config accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
			var ps Problems
			if tc.wantOne && errors.As(err, &ps) && len(ps) != 1 {
				t.Errorf("want exactly one problem, got %d:\n%v", len(ps), err)
			}
		})
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "key.hex")
	const secret = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
	if err := os.WriteFile(key, []byte(secret+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	y := strings.Replace(validYAML, "signer: {key: {env: REGISTRY_KEY}}", "signer: {key: {file: "+key+"}}", 1)
	_, err := parse(t, y)
	if err == nil || !strings.Contains(err.Error(), "readable by group or others") || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("world-readable key accepted or unclear: %v", err)
	}
	if strings.Contains(err.Error(), secret) {
		t.Fatal("the error prints the secret")
	}
	os.Chmod(key, 0o600)
	c, err := parse(t, y)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Chains[0].EVM.Signer.Key
	if strings.Contains(s.String(), secret) {
		t.Fatal("Secret.String prints the secret")
	}
	got, err := s.Resolve()
	if err != nil || string(got) != secret {
		t.Fatalf("Resolve = %q, %v", got, err)
	}
	if _, err := (Secret{Env: "LIAISON_TEST_UNSET_VAR"}).Resolve(); err == nil || !strings.Contains(err.Error(), "LIAISON_TEST_UNSET_VAR is not set") {
		t.Fatalf("unset env: %v", err)
	}
}

func TestRedactURL(t *testing.T) {
	got := RedactURL("https://user:pass@rpc.example/v1?apikey=abc&x=1")
	if strings.Contains(got, "pass") || strings.Contains(got, "abc") {
		t.Fatalf("credentials left in %q", got)
	}
}

func TestEmptyConfig(t *testing.T) {
	if _, err := parse(t, ""); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("empty config: %v", err)
	}
}

func TestWei(t *testing.T) {
	for in, want := range map[string]string{"0.5": "500000000000000000", "1": "1000000000000000000", "0": "0",
		"12.000000000000000001": "12000000000000000001"} {
		got, err := Wei(in)
		if err != nil || got.String() != want {
			t.Errorf("Wei(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-0.1", "1/2", "1e18", "0.0000000000000000001", "ten"} {
		if got, err := Wei(in); err == nil {
			t.Errorf("Wei(%q) = %v, want an error", in, got)
		}
	}
}
