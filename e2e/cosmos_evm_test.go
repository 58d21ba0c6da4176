//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// cosmosNet is a running liaison-simd devnet (e2e/cosmos/devnet.sh).
type cosmosNet struct {
	env map[string]string // devnet.env
}

// startCosmos brings up a devnet on free ports; it is stopped when the test
// ends.
func startCosmos(t testing.TB) *cosmosNet {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cosmos")
	cmd := exec.Command(filepath.Join("cosmos", "devnet.sh"), "up", dir)
	cmd.Env = append(os.Environ(), "COSMOS_BASE_PORT="+strconv.Itoa(cosmosBasePort(t)))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("devnet.sh up: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command(filepath.Join("cosmos", "devnet.sh"), "down", dir).CombinedOutput(); err != nil {
			t.Errorf("devnet.sh down: %v\n%s", err, out)
		}
	})
	f, err := os.Open(filepath.Join(dir, "devnet.env"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := &cosmosNet{env: map[string]string{}}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && !strings.HasPrefix(k, "#") {
			n.env[k] = v
		}
	}
	return n
}

// rpc GETs a CometBFT RPC path and decodes its result.
func (n *cosmosNet) rpc(t testing.TB, path string, out any) {
	t.Helper()
	code, body := httpGet(n.env["COSMOS_RPC"] + path)
	if code != 200 {
		t.Fatalf("cosmos rpc %s: status %d: %s", path, code, body)
	}
	var env struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		t.Fatalf("cosmos rpc %s: %v", path, err)
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		t.Fatalf("cosmos rpc %s: %v", path, err)
	}
}

// trustedBlock returns the latest block's height and hash, as an operator
// would take them from a node they trust to configure trust.height/hash.
func (n *cosmosNet) trustedBlock(t testing.TB) (string, string) {
	t.Helper()
	var c struct {
		SignedHeader struct {
			Header struct {
				Height string `json:"height"`
			} `json:"header"`
			Commit struct {
				BlockID struct {
					Hash string `json:"hash"`
				} `json:"block_id"`
			} `json:"commit"`
		} `json:"signed_header"`
	}
	n.rpc(t, "/commit", &c)
	return c.SignedHeader.Header.Height, c.SignedHeader.Commit.BlockID.Hash
}

// txs returns the hashes of the transactions with an event attribute.
func (n *cosmosNet) txs(t testing.TB, event, key, value string) []string {
	t.Helper()
	var r struct {
		Txs []struct {
			Hash string `json:"hash"`
		} `json:"txs"`
	}
	q := url.QueryEscape(fmt.Sprintf(`"%s.%s='%s'"`, event, key, value))
	n.rpc(t, "/tx_search?per_page=100&query="+q, &r)
	var out []string
	for _, tx := range r.Txs {
		out = append(out, tx.Hash)
	}
	return out
}

// publish publishes count records to dest over the gateway client, from
// the devnet's validator account (the relayer account is liaison's), and
// returns their IDs and transaction hashes.
func (n *cosmosNet) publish(t testing.TB, client, dest string, count int, tag string) (ids []string, txs []string) {
	t.Helper()
	for i := 0; i < count; i++ {
		hash := n.broadcast(t, "publish", client, dest, "e2e", "application/json", fmt.Sprintf(`{"record":"%s-%d"}`, tag, i))
		got := n.publishedIDs(t, hash)
		if len(got) != 1 {
			t.Fatalf("cosmos publish %s published %d records", hash, len(got))
		}
		ids, txs = append(ids, got[0]), append(txs, hash)
	}
	return ids, txs
}

// publishBatched publishes count records with `tx records publish-batch`,
// per records a transaction, and returns their IDs and transaction hashes
// in order.
func (n *cosmosNet) publishBatched(t testing.TB, client, dest string, count, per int, tag string) (ids []string, txs []string) {
	t.Helper()
	type entry struct {
		Destination string `json:"destination"`
		Receiver    string `json:"receiver"`
		ContentType string `json:"content_type"`
		Payload     []byte `json:"payload"`
	}
	dir := t.TempDir()
	for first := 0; first < count; first += per {
		var es []entry
		for i := first; i < min(first+per, count); i++ {
			es = append(es, entry{Destination: dest, Receiver: "e2e", ContentType: "application/json",
				Payload: fmt.Appendf(nil, `{"record":"%s-%d"}`, tag, i)})
		}
		file := filepath.Join(dir, fmt.Sprintf("batch-%d.json", first))
		raw, _ := json.Marshal(es)
		writeFile(t, file, string(raw), 0o644)
		hash := n.broadcast(t, "publish-batch", client, file, "--gas", "auto", "--gas-adjustment", "1.5")
		got := n.publishedIDs(t, hash)
		if len(got) != len(es) {
			t.Fatalf("cosmos publish-batch %s published %d records, want %d", hash, len(got), len(es))
		}
		for range got {
			txs = append(txs, hash)
		}
		ids = append(ids, got...)
	}
	return ids, txs
}

// broadcast runs `tx records ARGS…` as the validator and returns the
// transaction hash once the node accepted it into its mempool.
func (n *cosmosNet) broadcast(t testing.TB, args ...string) string {
	t.Helper()
	e := n.env
	args = append([]string{"tx", "records"}, args...)
	args = append(args, "--timeout-seconds", "3600",
		"--from", "validator", "--keyring-backend", "test", "--home", e["COSMOS_HOME"], "--chain-id", e["COSMOS_CHAIN_ID"],
		"--node", e["COSMOS_NODE"], "--broadcast-mode", "sync", "--yes", "--output", "json")
	out, err := exec.Command(e["COSMOS_BIN"], args...).CombinedOutput()
	var res struct {
		Code   int    `json:"code"`
		TxHash string `json:"txhash"`
	}
	// --gas auto prints the estimate before the JSON.
	js := out
	if i := bytes.IndexByte(out, '{'); i > 0 {
		js = out[i:]
	}
	if err != nil || json.Unmarshal(js, &res) != nil || res.Code != 0 {
		t.Fatalf("cosmos %s: %v\n%s", args[2], err, out)
	}
	return res.TxHash
}

// publishedIDs waits for the transaction to commit and returns the record
// IDs its liaison.record_published events name, in order.
func (n *cosmosNet) publishedIDs(t testing.TB, hash string) []string {
	t.Helper()
	var ids []string
	waitFor(t, "cosmos transaction "+hash, 30*time.Second, func() bool {
		var tx struct {
			TxResult struct {
				Code   int `json:"code"`
				Events []struct {
					Type       string `json:"type"`
					Attributes []struct{ Key, Value string }
				} `json:"events"`
			} `json:"tx_result"`
		}
		if code, body := httpGet(n.env["COSMOS_RPC"] + "/tx?hash=0x" + hash); code != 200 || json.Unmarshal([]byte(jsonResult(body)), &tx) != nil {
			return false
		}
		if tx.TxResult.Code != 0 {
			t.Fatalf("cosmos transaction %s failed: code %d", hash, tx.TxResult.Code)
		}
		for _, ev := range tx.TxResult.Events {
			for _, a := range ev.Attributes {
				if ev.Type == "liaison.record_published" && a.Key == "id" {
					ids = append(ids, a.Value)
				}
			}
		}
		return true
	})
	return ids
}

func jsonResult(body string) string {
	var env struct {
		Result json.RawMessage `json:"result"`
	}
	if json.Unmarshal([]byte(body), &env) != nil {
		return "null"
	}
	return string(env.Result)
}

// delivered reports whether the records module holds the record as
// delivered.
func (n *cosmosNet) delivered(t testing.TB, id string) bool {
	t.Helper()
	e := n.env
	err := exec.Command(e["COSMOS_BIN"], "query", "records", "delivered", id, "--node", e["COSMOS_NODE"], "--output", "json").Run()
	return err == nil
}

// cosmosEVM is a real liaison-simd devnet and a real geth --dev node with a
// liaison configuration that routes records both ways between them, and
// the gateway's solomachine client already set up on the devnet.
type cosmosEVM struct {
	cn                   *cosmosNet
	b                    *gethNode
	outB, inB            common.Address
	dir, cfgPath, client string
	name, metrics        string
	start                time.Time
}

// setupCosmosEVM starts both ledgers, deploys the EVM contracts, sets up
// the gateway client with `liaison cosmos setup-client` and writes the
// config; evmToCosmos is the ordering of the EVM→Cosmos route.
func setupCosmosEVM(t testing.TB, evmToCosmos string) *cosmosEVM {
	t.Helper()
	gethBinary(t) // skip early without geth
	start := time.Now()
	cn := startCosmos(t)
	b := startGeth(t, "b")
	t.Logf("ledgers up after %s", time.Since(start).Round(time.Millisecond))

	dir := t.TempDir()
	key, _ := crypto.GenerateKey()
	attestor := crypto.PubkeyToAddress(key.PublicKey)
	writeFile(t, filepath.Join(dir, "relayer.key"), hex.EncodeToString(crypto.FromECDSA(key)), 0o600)
	b.fund(t, attestor)
	outB, inB := b.deploy(t, "ledger-b", []common.Address{attestor}, 1)
	cosmosKey, err := os.ReadFile(cn.env["COSMOS_RELAYER_KEY_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "cosmos.key"), string(cosmosKey), 0o600)

	name := cn.env["COSMOS_CHAIN_NAME"]
	height, hash := cn.trustedBlock(t)
	metrics := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cfgPath := filepath.Join(dir, "liaison.yaml")
	config := func(clientID string) string {
		return fmt.Sprintf(`
store: {path: liaison.db}
telemetry:
  listen: %s
  traces: {file: traces.jsonl}
chains:
  - name: %s
    kind: cosmos
    cosmos:
      nodes:
        - {rpc: "%s", grpc: "%s"}
      chain_id: %s
      trust: {height: %s, hash: "%s", trusting_period: 24h}
      account: {key: {file: cosmos.key}}
      gateway: {client_id: "%s"}
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
  - name: cosmos-to-evm
    source: {chain: %s}
    destination: {chain: ledger-b}
    proof: {accept: [tendermint]}
    poll_interval: 200ms
    confirm_interval: 200ms
  - name: evm-to-cosmos
    source: {chain: ledger-b}
    destination: {chain: %s}
    ordering: %s
    poll_interval: 200ms
    confirm_interval: 200ms
`, metrics, name, cn.env["COSMOS_RPC"], cn.env["COSMOS_GRPC"], cn.env["COSMOS_CHAIN_ID"], height, hash, clientID,
			b.http, b.chainID, outB.Hex(), inB.Hex(), name, name, evmToCosmos)
	}
	writeFile(t, cfgPath, config(""), 0o644)
	if code, out := liaison(t, "config", "validate", cfgPath); code != 1 || !strings.Contains(out, "setup-client") {
		t.Fatalf("config without a gateway client: exit %d\n%s", code, out)
	}
	client := strings.TrimSpace(mustLiaisonStdout(t, "cosmos", "setup-client", "-c", cfgPath, "--chain", name))
	if !strings.HasPrefix(client, "06-solomachine-") {
		t.Fatalf("setup-client printed %q", client)
	}
	writeFile(t, cfgPath, config(client), 0o644)
	mustLiaison(t, "config", "validate", cfgPath)
	t.Logf("gateway client %s set up after %s", client, time.Since(start).Round(time.Millisecond))

	return &cosmosEVM{cn: cn, b: b, outB: outB, inB: inB, dir: dir, cfgPath: cfgPath, client: client, name: name, metrics: metrics, start: start}
}

// startLiaison starts liaison on the config and waits until it is ready.
func (x *cosmosEVM) startLiaison(t testing.TB) *proc {
	t.Helper()
	return startLiaison(t, x.cfgPath, x.metrics)
}

// TestCosmosEVMBothDirections relays between a real liaison-simd devnet
// (CometBFT, the records module, IBC v2) and a real geth --dev node, with
// liaison as a separate process: Cosmos→EVM (records published as IBC v2
// packets, proven with ICS-23 against light-client-verified headers, then
// attested on the Inbox) and EVM→Cosmos (delivered with MsgRecvPacket
// through the 06-solomachine gateway client that `liaison cosmos
// setup-client` creates). It kills liaison with SIGKILL mid-run, publishes
// while it is down, restarts it, and checks on both chains that every
// record was delivered exactly once; then the trace, offline evidence
// verification and a tampered copy.
func TestCosmosEVMBothDirections(t *testing.T) {
	x := setupCosmosEVM(t, "ordered")
	cn, b, outB, inB, dir, cfgPath, client, name, metrics, start := x.cn, x.b, x.outB, x.inB, x.dir, x.cfgPath, x.client, x.name, x.metrics, x.start
	startLiaison := func() *proc { return x.startLiaison(t) }
	evmDelivered := func(ids []string) func() bool {
		return func() bool {
			for _, id := range ids {
				var raw [32]byte
				copy(raw[:], common.FromHex(id))
				if !b.delivered(t, inB, raw) {
					return false
				}
			}
			return true
		}
	}
	cosmosDelivered := func(ids [][32]byte) func() bool {
		return func() bool {
			for _, id := range ids {
				if !cn.delivered(t, hex.EncodeToString(id[:])) {
					return false
				}
			}
			return true
		}
	}

	lp := startLiaison()
	ce, ceTxs := cn.publish(t, client, "ledger-b", 3, "ce")
	ec := b.publish(t, outB, name, 3, "ec")
	waitFor(t, "Cosmos→EVM records on the Inbox", 90*time.Second, evmDelivered(ce))
	waitFor(t, "EVM→Cosmos records in the records module", 90*time.Second, cosmosDelivered(ec))
	t.Logf("first records relayed both ways after %s", time.Since(start).Round(time.Millisecond))

	// Kill liaison without warning, publish while it is down, restart.
	lp.stop(t, syscall.SIGKILL)
	// Three records in one transaction of three MsgPublishRecord.
	ce2, _ := cn.publishBatched(t, client, "ledger-b", 3, 3, "ce-while-down")
	ec2 := b.publish(t, outB, name, 2, "ec-while-down")
	lp = startLiaison()
	waitFor(t, "records published while liaison was down", 90*time.Second, func() bool {
		return evmDelivered(ce2)() && cosmosDelivered(ec2)()
	})
	t.Logf("all records relayed after %s", time.Since(start).Round(time.Millisecond))

	// Exactly once: one Attested event per record on EVM; one delivery
	// and no refused duplicate per record on Cosmos.
	att := b.attestations(t, inB)
	all := append(ce, ce2...)
	if len(att) != len(all) {
		t.Errorf("EVM: %d records attested, want %d", len(att), len(all))
	}
	for _, id := range all {
		var raw [32]byte
		copy(raw[:], common.FromHex(id))
		if att[raw] != 1 {
			t.Errorf("EVM: record %s attested %d times, want 1", id, att[raw])
		}
	}
	for _, id := range append(ec, ec2...) {
		h := hex.EncodeToString(id[:])
		if n := len(cn.txs(t, "liaison.record_delivered", "id", h)); n != 1 {
			t.Errorf("Cosmos: record %s delivered in %d transactions, want 1", h, n)
		}
		if n := len(cn.txs(t, "ibccallbackerror-liaison.record_refused", "ibccallbackerror-id", h)); n != 0 {
			t.Errorf("Cosmos: record %s refused %d times", h, n)
		}
	}

	// The trace shows both ledgers' transactions: Cosmos publish → EVM
	// attest, and EVM publish → Cosmos MsgRecvPacket.
	tr := mustLiaison(t, "trace", ce[0], "-c", cfgPath)
	for _, want := range []string{"confirmed", name, "ledger-b", "tendermint", ceTxs[0], "dest tx  0x"} {
		if !strings.Contains(tr, want) {
			t.Errorf("liaison trace %s lacks %q:\n%s", ce[0], want, tr)
		}
	}
	ecID := hex.EncodeToString(ec[0][:])
	recv := cn.txs(t, "liaison.record_delivered", "id", ecID)
	tr = mustLiaison(t, "trace", ecID, "-c", cfgPath)
	for _, want := range append([]string{"confirmed", "tx 0x"}, recv...) {
		if !strings.Contains(tr, want) {
			t.Errorf("liaison trace %s lacks %q:\n%s", ecID, want, tr)
		}
	}

	// Tendermint evidence verifies offline; changed copies do not.
	bundle := filepath.Join(dir, "evidence.json")
	mustLiaison(t, "evidence", "export", ce[0], "-c", cfgPath, "-o", bundle)
	if out := mustLiaison(t, "evidence", "verify", bundle, "-c", cfgPath); !strings.Contains(out, "valid: record "+ce[0]) {
		t.Errorf("evidence verify: %s", out)
	}
	data, _ := os.ReadFile(bundle)
	for what, edit := range map[string]func(map[string]any){
		"receiver": func(d map[string]any) { d["record"].(map[string]any)["receiver"] = "attacker" },
		"proof": func(d map[string]any) {
			inc := d["inclusion"].(map[string]any)
			p := []byte(inc["proof"].(string))
			p[len(p)/2] ^= 0x02 // a base64 character
			inc["proof"] = string(p)
		},
		"app hash": func(d map[string]any) {
			st := d["anchor"].(map[string]any)["state"].(map[string]any)
			st["app_hash"] = strings.Repeat("0", 64)
		},
	} {
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		edit(doc)
		forged, _ := json.MarshalIndent(doc, "", "  ")
		bad := filepath.Join(dir, "forged-"+strings.ReplaceAll(what, " ", "-")+".json")
		writeFile(t, bad, string(forged), 0o644)
		if code, out := liaison(t, "evidence", "verify", bad); code != 1 {
			t.Errorf("evidence with a changed %s: exit %d, want 1\n%s", what, code, out)
		}
	}

	waitFor(t, "empty backlogs on /metrics", 30*time.Second, func() bool {
		_, body := httpGet("http://" + metrics + "/metrics")
		return strings.Contains(body, `liaison_route_backlog{route="cosmos-to-evm"} 0`) &&
			strings.Contains(body, `liaison_route_backlog{route="evm-to-cosmos"} 0`)
	})
	if code := lp.stop(t, syscall.SIGTERM); code != 0 {
		t.Errorf("liaison exited %d on SIGTERM, want 0", code)
	}
	t.Logf("done after %s", time.Since(start).Round(time.Millisecond))
}

// mustLiaisonStdout runs the CLI and returns its standard output; it
// fails the test on a non-zero exit.
func mustLiaisonStdout(t testing.TB, args ...string) string {
	t.Helper()
	cmd := exec.Command(liaisonBin, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("liaison %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	t.Logf("liaison %s: %s", strings.Join(args, " "), strings.TrimSpace(stderr.String()))
	return string(out)
}
