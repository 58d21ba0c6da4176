//go:build e2e

package e2e

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
)

func ethereumFilter(addr common.Address) ethereum.FilterQuery {
	return ethereum.FilterQuery{Addresses: []common.Address{addr}, FromBlock: big.NewInt(0)}
}

// evmEVM is two real geth --dev nodes with a liaison configuration that
// routes records both ways between them.
type evmEVM struct {
	a, b                  *gethNode
	outA, inA, outB, inB  common.Address
	dir, cfgPath, metrics string
}

// setupEVMEVM starts both nodes, deploys the contracts on each and writes
// the config: route a-to-b unordered, route b-to-a with the given ordering.
func setupEVMEVM(t testing.TB, bToA string) *evmEVM { return setupEVMEVMWith(t, bToA, "") }

// setupEVMEVMWith is setupEVMEVM with extra YAML lines (indented as route
// fields) added to both routes.
func setupEVMEVMWith(t testing.TB, bToA, routeExtra string) *evmEVM {
	t.Helper()
	a, b := startGeth(t, "a"), startGeth(t, "b")
	dir := t.TempDir()
	outA, inA, outB, inB := deployBothWays(t, a, b, dir)

	metrics := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cfgPath := filepath.Join(dir, "liaison.yaml")
	writeFile(t, cfgPath, fmt.Sprintf(`
store: {path: liaison.db}
telemetry:
  listen: %s
  traces: {file: traces.jsonl}
chains:
%s%sroutes:
  - name: a-to-b
    source: {chain: chain-a}
    destination: {chain: chain-b, receiver: e2e}
    poll_interval: 200ms
    confirm_interval: 200ms
%s  - name: b-to-a
    source: {chain: chain-b}
    destination: {chain: chain-a, receiver: e2e}
    ordering: %s
    poll_interval: 200ms
    confirm_interval: 200ms
%s`, metrics, evmChainYAML("chain-a", a.http, a.chainID, outA, inA, 1, "relayer.key"),
		evmChainYAML("chain-b", b.http, b.chainID, outB, inB, 1, "relayer.key"), routeExtra, bToA, routeExtra), 0o644)
	mustLiaison(t, "config", "validate", cfgPath)
	return &evmEVM{a: a, b: b, outA: outA, inA: inA, outB: outB, inB: inB, dir: dir, cfgPath: cfgPath, metrics: metrics}
}

// startLiaison starts liaison on the config and waits until it is ready.
func (x *evmEVM) startLiaison(t testing.TB) *proc {
	t.Helper()
	return startLiaison(t, x.cfgPath, x.metrics)
}

// TestEVMBothDirections relays between two real geth --dev nodes, A→B
// unordered and B→A ordered, with liaison as a separate process. It kills
// liaison with SIGKILL mid-run, publishes while it is down, restarts it,
// and checks on chain that every record was attested exactly once. It then
// checks `liaison trace`, evidence export and offline verification (and
// that a tampered copy fails), /metrics, and a clean exit on SIGTERM.
func TestEVMBothDirections(t *testing.T) {
	// Runs beside the other geth-only tests: it mostly waits on blocks.
	t.Parallel()
	x := setupEVMEVM(t, "ordered")
	a, b, outA, inA, outB, inB, dir, cfgPath, metrics := x.a, x.b, x.outA, x.inA, x.outB, x.inB, x.dir, x.cfgPath, x.metrics
	start := func() *proc { return x.startLiaison(t) }
	allDelivered := func(n *gethNode, inbox common.Address, ids [][32]byte) func() bool {
		return func() bool {
			for _, id := range ids {
				if !n.delivered(t, inbox, id) {
					return false
				}
			}
			return true
		}
	}

	lp := start()
	ab := a.publish(t, outA, "chain-b", 6, "ab")
	ba := b.publish(t, outB, "chain-a", 4, "ba")
	waitFor(t, "A→B records delivered on B", 2*time.Minute, allDelivered(b, inB, ab))
	waitFor(t, "B→A records delivered on A", 2*time.Minute, allDelivered(a, inA, ba))

	// Kill liaison without warning, publish while it is down, restart.
	lp.stop(t, syscall.SIGKILL)
	ab2 := a.publish(t, outA, "chain-b", 4, "ab-while-down")
	ba2 := b.publish(t, outB, "chain-a", 2, "ba-while-down")
	lp = start()
	waitFor(t, "records published while liaison was down", 2*time.Minute, func() bool {
		return allDelivered(b, inB, ab2)() && allDelivered(a, inA, ba2)()
	})

	// Exactly once, on chain: one Attested event per record.
	for _, c := range []struct {
		n     *gethNode
		inbox common.Address
		ids   [][32]byte
	}{{b, inB, append(ab, ab2...)}, {a, inA, append(ba, ba2...)}} {
		att := c.n.attestations(t, c.inbox)
		if len(att) != len(c.ids) {
			t.Errorf("%s: %d records attested, want %d", c.n.name, len(att), len(c.ids))
		}
		for _, id := range c.ids {
			if att[id] != 1 {
				t.Errorf("%s: record %x attested %d times, want 1", c.n.name, id, att[id])
			}
		}
	}

	// The timeline shows both chains' transactions.
	id := hex.EncodeToString(ab[0][:])
	tr := mustLiaison(t, "trace", id, "-c", cfgPath)
	for _, want := range []string{"observed", "verified", "confirmed", "chain-a", "chain-b", "rpc-finality"} {
		if !strings.Contains(tr, want) {
			t.Errorf("liaison trace lacks %q:\n%s", want, tr)
		}
	}

	// Evidence verifies offline; one changed byte does not.
	bundle := filepath.Join(dir, "evidence.json")
	mustLiaison(t, "evidence", "export", id, "-c", cfgPath, "-o", bundle)
	verifyEndpointEvidence(t, cfgPath, bundle, id)
	data, _ := os.ReadFile(bundle)
	for field, value := range map[string]any{"receiver": "attacker", "sequence": 99, "content_type": "text/plain"} {
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		doc["record"].(map[string]any)[field] = value
		forged, _ := json.MarshalIndent(doc, "", "  ")
		bad := filepath.Join(dir, "forged-"+field+".json")
		writeFile(t, bad, string(forged), 0o644)
		if code, out := liaison(t, "evidence", "verify", bad); code != 1 {
			t.Errorf("evidence with a changed %s: exit %d, want 1\n%s", field, code, out)
		}
	}

	// The relayer confirms a block after the Inbox shows delivery; then the
	// backlog is empty on both routes.
	waitFor(t, "empty backlogs on /metrics", 30*time.Second, func() bool {
		_, body := httpGet("http://" + metrics + "/metrics")
		return strings.Contains(body, `liaison_records_delivered_total{route="a-to-b"}`) &&
			strings.Contains(body, `liaison_route_backlog{route="a-to-b"} 0`) &&
			strings.Contains(body, `liaison_route_backlog{route="b-to-a"} 0`)
	})
	if code := lp.stop(t, syscall.SIGTERM); code != 0 {
		t.Errorf("liaison exited %d on SIGTERM, want 0", code)
	}
}
