//go:build e2e

package e2e

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
)

// gethDevKey is geth's fixed, funded developer key in --dev mode.
var gethDevKey, _ = crypto.HexToECDSA("b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291")

// gethNode is a real geth --dev process on loopback.
type gethNode struct {
	name    string
	proc    *proc
	http    string
	client  *ethclient.Client
	chainID *big.Int

	nonceMu sync.Mutex
	nonces  map[common.Address]uint64 // the next nonce this test will use per sender
}

func gethBinary(t testing.TB) string {
	t.Helper()
	bin := os.Getenv("LIAISON_GETH")
	if bin == "" {
		t.Skip("LIAISON_GETH is not set: run `make e2e`, which builds and caches geth")
	}
	return bin
}

// startGeth starts geth --dev with one-second blocks and waits until it
// answers RPC.
func startGeth(t testing.TB, name string) *gethNode {
	t.Helper()
	dir := t.TempDir()
	httpPort := freePort(t)
	args := []string{
		"--dev", "--dev.period", "1", "--datadir", filepath.Join(dir, "data"),
		"--http", "--http.addr", "127.0.0.1", "--http.port", strconv.Itoa(httpPort), "--http.api", "eth,net,web3,txpool",
		"--authrpc.addr", "127.0.0.1", "--authrpc.port", strconv.Itoa(freePort(t)),
		"--port", strconv.Itoa(freePort(t)), "--nodiscover", "--maxpeers", "0", "--ipcdisable", "--verbosity", "2",
	}
	n := &gethNode{name: name, proc: startProc(t, "geth "+name, gethBinary(t), args...), http: fmt.Sprintf("http://127.0.0.1:%d", httpPort)}
	waitFor(t, "geth "+name+" RPC", 60*time.Second, func() bool {
		c, err := ethclient.Dial(n.http)
		if err != nil {
			return false
		}
		id, err := c.ChainID(context.Background())
		if err != nil {
			c.Close()
			return false
		}
		n.client, n.chainID = c, id
		return true
	})
	t.Cleanup(n.client.Close)
	return n
}

func (n *gethNode) opts(t testing.TB, key *ecdsa.PrivateKey) *bind.TransactOpts {
	t.Helper()
	o := bind.NewKeyedTransactor(key, n.chainID)
	o.Nonce = new(big.Int).SetUint64(n.nextNonce(t, o.From))
	return o
}

// nextNonce returns the nonce for the test's next transaction from. It is
// the larger of the node's pending nonce and the one after the test's last
// transaction: right after a new block, geth can briefly report a pending
// nonce that a queued transaction already holds, and a send with it fails
// with "replacement transaction underpriced".
func (n *gethNode) nextNonce(t testing.TB, from common.Address) uint64 {
	t.Helper()
	pending, err := n.client.PendingNonceAt(context.Background(), from)
	if err != nil {
		t.Fatalf("%s: pending nonce of %s: %v", n.name, from, err)
	}
	n.nonceMu.Lock()
	defer n.nonceMu.Unlock()
	if n.nonces == nil {
		n.nonces = map[common.Address]uint64{}
	}
	next := max(pending, n.nonces[from])
	n.nonces[from] = next + 1
	return next
}

// mined waits for tx and fails unless it succeeded.
func (n *gethNode) mined(t testing.TB, tx *types.Transaction) *types.Receipt {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := bind.WaitMined(ctx, n.client, tx.Hash())
	if err != nil {
		t.Fatalf("%s: wait for %s: %v", n.name, tx.Hash(), err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("%s: transaction %s reverted", n.name, tx.Hash())
	}
	return r
}

// fund sends ether from the dev key.
func (n *gethNode) fund(t testing.TB, to common.Address) {
	t.Helper()
	ctx := context.Background()
	nonce := n.nextNonce(t, crypto.PubkeyToAddress(gethDevKey.PublicKey))
	tip := big.NewInt(1e9)
	head, err := n.client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	fee := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip)
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: n.chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: fee, Gas: 21000, To: &to,
		Value: new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18))})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(n.chainID), gethDevKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.client.SendTransaction(ctx, signed); err != nil {
		t.Fatalf("%s: fund %s: %v", n.name, to, err)
	}
	n.mined(t, signed)
}

// deploy deploys the Outbox and the Inbox for chainName with the given
// attestors and threshold.
func (n *gethNode) deploy(t testing.TB, chainName string, attestors []common.Address, threshold int64) (outbox, inbox common.Address) {
	t.Helper()
	ob, ib := contracts.NewOutbox(), contracts.NewInbox()
	outbox, tx, err := bind.DeployContract(n.opts(t, gethDevKey), common.FromHex(contracts.OutboxMetaData.Bin), n.client, ob.PackConstructor(chainName))
	if err != nil {
		t.Fatalf("%s: deploy outbox: %v", n.name, err)
	}
	n.mined(t, tx)
	admin := crypto.PubkeyToAddress(gethDevKey.PublicKey)
	inbox, tx, err = bind.DeployContract(n.opts(t, gethDevKey), common.FromHex(contracts.InboxMetaData.Bin), n.client,
		ib.PackConstructor(chainName, admin, attestors, big.NewInt(threshold)))
	if err != nil {
		t.Fatalf("%s: deploy inbox: %v", n.name, err)
	}
	n.mined(t, tx)
	return outbox, inbox
}

// publish publishes records on the Outbox and returns their IDs in order.
func (n *gethNode) publish(t testing.TB, outbox common.Address, dest string, count int, tag string) [][32]byte {
	t.Helper()
	payloads := make([][]byte, count)
	for i := range payloads {
		payloads[i] = fmt.Appendf(nil, `{"record":"%s-%d"}`, tag, i)
	}
	ids, _ := n.recordIDs(t, n.sendPublishes(t, outbox, dest, "e2e", payloads))
	return ids
}

// publishBatched publishes count records with Outbox.publishBatch, per
// records a transaction, and returns their IDs in order.
func (n *gethNode) publishBatched(t testing.TB, outbox common.Address, dest string, count, per int, tag string) [][32]byte {
	t.Helper()
	ob := contracts.NewOutbox()
	inst := ob.Instance(n.client, outbox)
	var txs []*types.Transaction
	for first := 0; first < count; first += per {
		var msgs []contracts.OutboxMessage
		for i := first; i < min(first+per, count); i++ {
			msgs = append(msgs, contracts.OutboxMessage{Destination: dest, Receiver: "e2e", ContentType: "application/json",
				Payload: fmt.Appendf(nil, `{"record":"%s-%d"}`, tag, i)})
		}
		opts := n.opts(t, gethDevKey)
		opts.GasLimit = uint64(len(msgs)) * 250_000
		tx, err := bind.Transact(inst, opts, ob.PackPublishBatch(msgs))
		if err != nil {
			t.Fatalf("%s: publishBatch: %v", n.name, err)
		}
		txs = append(txs, tx)
	}
	var ids [][32]byte
	for _, tx := range txs {
		for _, l := range n.mined(t, tx).Logs {
			if ev, err := ob.UnpackRecordPublishedEvent(l); err == nil {
				ids = append(ids, ev.Id)
			}
		}
	}
	if len(ids) != count {
		t.Fatalf("%s: %d RecordPublished events for %d records", n.name, len(ids), count)
	}
	return ids
}

// sendPublishes sends one Outbox.publish per payload, in order, without
// waiting for them to be mined.
func (n *gethNode) sendPublishes(t testing.TB, outbox common.Address, dest, receiver string, payloads [][]byte) []*types.Transaction {
	t.Helper()
	ob := contracts.NewOutbox()
	inst := ob.Instance(n.client, outbox)
	txs := make([]*types.Transaction, 0, len(payloads))
	for _, payload := range payloads {
		opts := n.opts(t, gethDevKey)
		// A publish of a short payload takes about 100k gas; a tight
		// limit lets a block take many of them.
		opts.GasLimit = 300_000 + 64*uint64(len(payload))
		tx, err := bind.Transact(inst, opts, ob.PackPublish(dest, receiver, "application/json", payload))
		if err != nil {
			t.Fatalf("%s: publish: %v", n.name, err)
		}
		txs = append(txs, tx)
	}
	return txs
}

// recordIDs waits for publish transactions and returns their record IDs
// and transaction hashes, in order.
func (n *gethNode) recordIDs(t testing.TB, txs []*types.Transaction) ([][32]byte, []string) {
	t.Helper()
	ob := contracts.NewOutbox()
	var ids [][32]byte
	var hashes []string
	for _, tx := range txs {
		r := n.mined(t, tx)
		for _, l := range r.Logs {
			if ev, err := ob.UnpackRecordPublishedEvent(l); err == nil {
				ids, hashes = append(ids, ev.Id), append(hashes, tx.Hash().Hex())
			}
		}
	}
	if len(ids) != len(txs) {
		t.Fatalf("%s: %d RecordPublished events for %d publishes", n.name, len(ids), len(txs))
	}
	return ids, hashes
}

// delivered reports whether the Inbox delivered the record.
func (n *gethNode) delivered(t testing.TB, inbox common.Address, id [32]byte) bool {
	t.Helper()
	ib := contracts.NewInbox()
	ok, err := bind.Call(ib.Instance(n.client, inbox), nil, ib.PackIsDelivered(id), ib.UnpackIsDelivered)
	if err != nil {
		t.Fatalf("%s: isDelivered: %v", n.name, err)
	}
	return ok
}

// attestations counts Attested events per record ID on the Inbox.
func (n *gethNode) attestations(t testing.TB, inbox common.Address) map[[32]byte]int {
	t.Helper()
	ib := contracts.NewInbox()
	logs, err := n.client.FilterLogs(context.Background(), ethereumFilter(inbox))
	if err != nil {
		t.Fatalf("%s: logs: %v", n.name, err)
	}
	out := map[[32]byte]int{}
	for _, l := range logs {
		if ev, err := ib.UnpackAttestedEvent(&l); err == nil {
			out[ev.Id]++
		}
	}
	return out
}

// evmChainYAML is one `kind: evm` entry of a liaison config's chains list.
// A zero outbox or inbox is left out, and so is the signer when keyFile
// is empty.
func evmChainYAML(name, rpc string, chainID *big.Int, outbox, inbox common.Address, confirmations int, keyFile string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  - name: %s\n    kind: evm\n    evm:\n      rpc: [%s]\n      chain_id: %d\n", name, rpc, chainID)
	if outbox != (common.Address{}) {
		fmt.Fprintf(&b, "      outbox: %q\n", outbox.Hex())
	}
	if inbox != (common.Address{}) {
		fmt.Fprintf(&b, "      inbox: %q\n", inbox.Hex())
	}
	fmt.Fprintf(&b, "      trust: {mode: finality, confirmations: %d}\n", confirmations)
	if keyFile != "" {
		fmt.Fprintf(&b, "      signer: {key: {file: %s}}\n", keyFile)
	}
	return b.String()
}

// deployBothWays makes a relayer key (dir/relayer.key, mode 0600), funds
// it on a and b, and deploys an Outbox and an Inbox on each, named
// chain-a and chain-b, with the relayer as each Inbox's one attestor.
func deployBothWays(t testing.TB, a, b *gethNode, dir string) (outA, inA, outB, inB common.Address) {
	t.Helper()
	key, _ := crypto.GenerateKey()
	attestor := crypto.PubkeyToAddress(key.PublicKey)
	writeFile(t, filepath.Join(dir, "relayer.key"), hex.EncodeToString(crypto.FromECDSA(key)), 0o600)
	a.fund(t, attestor)
	b.fund(t, attestor)
	outA, inA = a.deploy(t, "chain-a", []common.Address{attestor}, 1)
	outB, inB = b.deploy(t, "chain-b", []common.Address{attestor}, 1)
	return outA, inA, outB, inB
}
