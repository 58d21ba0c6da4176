//go:build e2e

package e2e

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
)

// fabricEVM is a real Fabric network and a real geth --dev node with a
// liaison configuration that routes records both ways between them.
type fabricEVM struct {
	fab          *fabricNet
	b            *gethNode
	outB, inB    common.Address
	dir, cfgPath string
	metrics      string
	start        time.Time
}

// setupFabricEVM starts both ledgers, deploys the EVM contracts and writes
// the config; evmToFabric is the ordering of the EVM→Fabric route.
func setupFabricEVM(t testing.TB, evmToFabric string) *fabricEVM {
	return setupFabricEVMWith(t, evmToFabric, "")
}

// setupFabricEVMWith is setupFabricEVM with extra YAML lines (indented as
// route fields) added to both routes.
func setupFabricEVMWith(t testing.TB, evmToFabric, routeExtra string) *fabricEVM {
	t.Helper()
	gethBinary(t) // skip early without geth
	start := time.Now()
	fab := startFabric(t)
	b := startGeth(t, "b")
	t.Logf("ledgers up after %s", time.Since(start).Round(time.Millisecond))

	dir := t.TempDir()
	key, _ := crypto.GenerateKey()
	attestor := crypto.PubkeyToAddress(key.PublicKey)
	keyPath := filepath.Join(dir, "relayer.key")
	writeFile(t, keyPath, hex.EncodeToString(crypto.FromECDSA(key)), 0o600)
	b.fund(t, attestor)
	outB, inB := b.deploy(t, "ledger-b", []common.Address{attestor}, 1)

	metrics := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cfgPath := filepath.Join(dir, "liaison.yaml")
	o1, o2 := fab.Orgs[0], fab.Orgs[1]
	writeFile(t, cfgPath, fmt.Sprintf(`
store: {path: liaison.db}
telemetry:
  listen: %s
  traces: {file: traces.jsonl}
chains:
  - name: %s
    kind: fabric
    fabric:
      peers:
        - {address: "%s", tls_ca: %s, server_name: %s}
        - {address: "%s", tls_ca: %s, server_name: %s}
      msp_id: %s
      identity:
        cert: %s
        key: {file: %s}
      channel: %s
      chaincode: %s
      trust:
        config_block: %s
        endorsement_policy: majority
  - name: ledger-b
    kind: evm
    evm:
      rpc: [%s]
      chain_id: %d
      outbox: "%s"
      inbox: "%s"
      trust: {mode: finality, confirmations: 1}
      signer: {key: {file: relayer.key}}
routes:
  - name: fabric-to-evm
    source: {chain: %s}
    destination: {chain: ledger-b}
    proof: {accept: [fabric-orderer+endorsement]}
    poll_interval: 200ms
    confirm_interval: 200ms
%s  - name: evm-to-fabric
    source: {chain: ledger-b}
    destination: {chain: %s}
    ordering: %s
    poll_interval: 200ms
    confirm_interval: 200ms
%s`, metrics, fab.ChainName,
		o1.Peer.Address, o1.Peer.TLSCA, o1.Peer.Host, o2.Peer.Address, o2.Peer.TLSCA, o2.Peer.Host,
		o1.MSPID, o1.Users["User1"].Cert, o1.Users["User1"].Key, fab.Channel, fab.Chaincode,
		filepath.Join(fab.Dir, "channel", fab.Channel+".block"),
		b.http, b.chainID, outB.Hex(), inB.Hex(), fab.ChainName, routeExtra, fab.ChainName, evmToFabric, routeExtra), 0o644)
	mustLiaison(t, "config", "validate", cfgPath)
	return &fabricEVM{fab: fab, b: b, outB: outB, inB: inB, dir: dir, cfgPath: cfgPath, metrics: metrics, start: start}
}

// startLiaison starts liaison on the config and waits until it is ready.
func (x *fabricEVM) startLiaison(t testing.TB) *proc {
	t.Helper()
	return startLiaison(t, x.cfgPath, x.metrics)
}

// TestFabricEVMBothDirections relays between a real two-org Fabric network
// (e2e/fabric/network.sh, Raft, TLS, the records chaincode as a service)
// and a real geth --dev node, with liaison as a separate process:
// Fabric→EVM (published through the gateway, attested on the Inbox) and
// EVM→Fabric (published on the Outbox, attested on the chaincode's Inbox
// by Org1's User1, one of its attestors). It kills liaison with SIGKILL
// mid-run, publishes on both sides while it is down, and restarts it. It
// then checks exactly-once delivery on both ledgers (one Attested event
// per record on the EVM Inbox; one VALID Attest transaction per record on
// Fabric), `liaison trace` with the transactions of both ledgers, offline
// verification of a Fabric bundle (and that tampered copies fail), and a
// clean exit on SIGTERM.
func TestFabricEVMBothDirections(t *testing.T) {
	x := setupFabricEVM(t, "ordered")
	fab, b, outB, inB, dir, cfgPath, metrics, start := x.fab, x.b, x.outB, x.inB, x.dir, x.cfgPath, x.metrics, x.start
	o1 := fab.Orgs[0]
	startLiaison := func() *proc { return x.startLiaison(t) }
	publisher := fab.client(t, 2, "User1") // Org2 publishes; Org1's User1 is the relayer
	fabricDelivered := func(ids []string) func() bool {
		return func() bool {
			for _, id := range ids {
				if !publisher.delivered(t, id) {
					return false
				}
			}
			return true
		}
	}
	evmDelivered := func(ids [][32]byte) func() bool {
		return func() bool {
			for _, id := range ids {
				if !b.delivered(t, inB, id) {
					return false
				}
			}
			return true
		}
	}

	lp := startLiaison()
	relayStart := time.Now()
	fe, feTx := publisher.publish(t, "ledger-b", 4, "fe")
	ef := b.publish(t, outB, fab.ChainName, 3, "ef")
	waitFor(t, "Fabric→EVM records delivered on the EVM Inbox", 2*time.Minute, evmDelivered(hexIDs(t, fe)))
	waitFor(t, "EVM→Fabric records delivered on the chaincode", 2*time.Minute, fabricDelivered(idStrings(ef)))
	t.Logf("first batch relayed both ways in %s", time.Since(relayStart).Round(time.Millisecond))

	// Kill liaison without warning, publish while it is down, restart.
	lp.stop(t, syscall.SIGKILL)
	// Three records in one PublishRecords transaction.
	fe2, _ := publisher.publishBatched(t, "ledger-b", 3, 3, "fe-while-down")
	ef2 := b.publish(t, outB, fab.ChainName, 2, "ef-while-down")
	lp = startLiaison()
	waitFor(t, "records published while liaison was down", 2*time.Minute, func() bool {
		return evmDelivered(hexIDs(t, fe2))() && fabricDelivered(idStrings(ef2))()
	})

	// Exactly once on the EVM Inbox: one Attested event per record.
	feAll := hexIDs(t, append(fe, fe2...))
	att := b.attestations(t, inB)
	if len(att) != len(feAll) {
		t.Errorf("EVM Inbox: %d records attested, want %d", len(att), len(feAll))
	}
	for _, id := range feAll {
		if att[id] != 1 {
			t.Errorf("EVM Inbox: record %x attested %d times, want 1", id, att[id])
		}
	}
	// Exactly once on Fabric: one VALID Attest transaction per record, by
	// the relayer's MSP, and no other Attest transaction at all.
	efAll := idStrings(append(ef, ef2...))
	attests := publisher.attests(t)
	validBy := map[string][]string{}
	for _, a := range attests {
		if a.valid {
			validBy[a.recordID] = append(validBy[a.recordID], a.txID)
		} else {
			t.Logf("invalid Attest transaction %s for %s (a lost race is allowed; it changed nothing)", a.txID, a.recordID)
		}
		if a.creatorMSP != o1.MSPID {
			t.Errorf("Attest %s submitted by %s", a.txID, a.creatorMSP)
		}
	}
	if len(validBy) != len(efAll) {
		t.Errorf("Fabric: VALID Attest transactions for %d records, want %d", len(validBy), len(efAll))
	}
	for _, id := range efAll {
		if n := len(validBy[id]); n != 1 {
			t.Errorf("Fabric: record %s has %d VALID Attest transactions, want 1", id, n)
		}
	}

	t.Logf("liaison records list:\n%s", mustLiaison(t, "records", "list", "-c", cfgPath))

	// The timelines show both ledgers' transactions.
	tr := mustLiaison(t, "trace", fe[0], "-c", cfgPath)
	t.Logf("liaison trace %s:\n%s", fe[0], tr)
	for _, want := range []string{"observed", "verified", "confirmed", fab.ChainName, "ledger-b", "fabric-orderer+endorsement", feTx[0]} {
		if !strings.Contains(tr, want) {
			t.Errorf("liaison trace %s lacks %q:\n%s", fe[0], want, tr)
		}
	}
	evmTx := attestTxHash(t, b, inB, hexIDs(t, fe[:1])[0])
	if !strings.Contains(tr, evmTx) {
		t.Errorf("liaison trace %s lacks the EVM attestation %s:\n%s", fe[0], evmTx, tr)
	}
	efID := efAll[0]
	tr = mustLiaison(t, "trace", efID, "-c", cfgPath)
	for _, want := range []string{"confirmed", fab.ChainName, "ledger-b", validBy[efID][0]} {
		if !strings.Contains(tr, want) {
			t.Errorf("liaison trace %s lacks %q:\n%s", efID, want, tr)
		}
	}

	// Fabric evidence verifies offline; tampered copies do not.
	bundle := filepath.Join(dir, "fabric-evidence.json")
	mustLiaison(t, "evidence", "export", fe[0], "-c", cfgPath, "-o", bundle)
	out := mustLiaison(t, "evidence", "verify", bundle, "-c", cfgPath)
	if !strings.Contains(out, "valid: record "+fe[0]) {
		t.Errorf("evidence verify: %s", out)
	}
	data, _ := os.ReadFile(bundle)
	tamper := map[string]func(doc map[string]any){
		"receiver": func(doc map[string]any) { doc["record"].(map[string]any)["receiver"] = "attacker" },
		"sequence": func(doc map[string]any) { doc["record"].(map[string]any)["sequence"] = 99 },
		"block": func(doc map[string]any) {
			inc := doc["inclusion"].(map[string]any)
			blk := []byte(inc["block"].(string))
			blk[len(blk)/2] ^= 0x01 // one base64 character
			inc["block"] = string(blk)
		},
		"tx index": func(doc map[string]any) { doc["inclusion"].(map[string]any)["tx_index"] = 1 },
	}
	for name, edit := range tamper {
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		edit(doc)
		forged, _ := json.MarshalIndent(doc, "", "  ")
		bad := filepath.Join(dir, "forged-"+strings.ReplaceAll(name, " ", "-")+".json")
		writeFile(t, bad, string(forged), 0o644)
		if code, out := liaison(t, "evidence", "verify", bad); code != 1 {
			t.Errorf("evidence with a changed %s: exit %d, want 1\n%s", name, code, out)
		}
	}

	waitFor(t, "empty backlogs on /metrics", 30*time.Second, func() bool {
		_, body := httpGet("http://" + metrics + "/metrics")
		return strings.Contains(body, `liaison_route_backlog{route="fabric-to-evm"} 0`) &&
			strings.Contains(body, `liaison_route_backlog{route="evm-to-fabric"} 0`)
	})
	if code := lp.stop(t, syscall.SIGTERM); code != 0 {
		t.Errorf("liaison exited %d on SIGTERM, want 0", code)
	}
	t.Logf("total %s", time.Since(start).Round(time.Millisecond))
}

func hexIDs(t testing.TB, ids []string) [][32]byte {
	t.Helper()
	out := make([][32]byte, len(ids))
	for i, s := range ids {
		b, err := hex.DecodeString(s)
		if err != nil || len(b) != 32 {
			t.Fatalf("record id %q", s)
		}
		copy(out[i][:], b)
	}
	return out
}

func idStrings(ids [][32]byte) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = hex.EncodeToString(id[:])
	}
	return out
}

// attestTxHash returns the transaction of the Inbox's Attested event for
// the record.
func attestTxHash(t testing.TB, n *gethNode, inbox common.Address, id [32]byte) string {
	t.Helper()
	ib := contracts.NewInbox()
	logs, err := n.client.FilterLogs(context.Background(), ethereumFilter(inbox))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range logs {
		if ev, err := ib.UnpackAttestedEvent(&l); err == nil && ev.Id == id {
			return l.TxHash.Hex()
		}
	}
	t.Fatalf("no Attested event for %x", id)
	return ""
}
