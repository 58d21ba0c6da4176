package evm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

func TestNewChainRefusesWrongChainID(t *testing.T) {
	n := newTestNet(t)
	p := newRPCProxy(t, n.ipc)
	cfg := n.evmConfig("finality", 1)
	cfg.RPC = []string{p.URL()}
	cfg.ChainID = 4242
	_, err := NewChain(context.Background(), srcName, cfg, Options{})
	if err == nil {
		t.Fatal("NewChain accepted an endpoint of another chain")
	}
	msg := err.Error()
	if strings.Contains(msg, "s3cret") || strings.Contains(msg, "operator") || !strings.Contains(msg, "127.0.0.1") || !strings.Contains(msg, "1337") || !strings.Contains(msg, "4242") || strings.Contains(msg, "\n") {
		t.Fatalf("want one line naming the redacted endpoint and both chain ids, got %q", msg)
	}
}

func TestNewChainUnreachableEndpoint(t *testing.T) {
	n := newTestNet(t)
	cfg := n.evmConfig("finality", 1)
	cfg.RPC = []string{"http://127.0.0.1:1"}
	if _, err := NewChain(context.Background(), srcName, cfg, Options{}); !errors.Is(err, relayer.ErrUnavailable) {
		t.Fatalf("got %v, want ErrUnavailable", err)
	}
	cfg.RPC = []string{n.ipc + ".missing"}
	if _, err := NewChain(context.Background(), srcName, cfg, Options{}); !errors.Is(err, relayer.ErrUnavailable) {
		t.Fatalf("missing IPC socket: got %v, want ErrUnavailable", err)
	}
}

func TestNewChainRefusesReadableKeyFile(t *testing.T) {
	n := newTestNet(t)
	cfg := withKey(t, n.evmConfig("finality", 1), n.att[0])
	if err := os.Chmod(cfg.Signer.Key.File, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := NewChain(context.Background(), dstName, cfg, Options{})
	if err == nil || !strings.Contains(err.Error(), "chmod 600") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("got %v, want one line asking for chmod 600", err)
	}
}

// TestSourceBoundedRanges reads records spread over many blocks and checks
// that no eth_getLogs call spans more than max_block_range blocks.
func TestSourceBoundedRanges(t *testing.T) {
	n := newTestNet(t)
	p := newRPCProxy(t, n.ipc)
	for i := range 12 {
		n.publish(string(dstName), "r", "text/plain", []byte(fmt.Sprintf("record %d", i)))
		n.commit(1 + i%3)
	}
	cfg := n.evmConfig("qbft", 0)
	cfg.RPC = []string{p.URL()}
	cfg.MaxBlockRange = 3
	c := newChain(t, srcName, cfg, Options{})
	recs, cur := pollAll(t, c.Source(config.Selector{Destination: string(dstName)}, 0), 12)
	for i, r := range recs {
		if r.Source.Sequence != uint64(i+1) || string(r.Payload) != fmt.Sprintf("record %d", i) {
			t.Fatalf("record %d: sequence %d payload %q", i, r.Source.Sequence, r.Payload)
		}
		if err := r.Check(); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(r.Source.TxID, "0x") || len(r.Source.TxID) != 66 || common.BytesToAddress(r.Source.Emitter) != n.outbox {
			t.Fatalf("record %d: tx %q emitter %x", i, r.Source.TxID, r.Source.Emitter)
		}
	}
	calls := p.callsOf("eth_getLogs")
	if len(calls) == 0 {
		t.Fatal("no eth_getLogs call went through the proxy")
	}
	for _, call := range calls {
		var q struct{ FromBlock, ToBlock hexutil.Uint64 }
		if err := json.Unmarshal(call.Params[0], &q); err != nil {
			t.Fatal(err)
		}
		if q.ToBlock < q.FromBlock || q.ToBlock-q.FromBlock+1 > 3 {
			t.Errorf("eth_getLogs over blocks %d..%d: more than max_block_range 3", q.FromBlock, q.ToBlock)
		}
	}
	// Nothing new: the same cursor comes back.
	b, err := c.Source(config.Selector{Destination: string(dstName)}, 0).Poll(context.Background(), cur, 10)
	if err != nil || len(b.Records) != 0 || b.Next != cur {
		t.Fatalf("idle poll: %d records, next %q (was %q), err %v", len(b.Records), b.Next, cur, err)
	}
	if b.Head != relayer.Height(n.head()) || b.Reached != b.Head {
		t.Fatalf("idle poll: head %d reached %d, chain head %d", b.Head, b.Reached, n.head())
	}
}

// TestSourceResumesMidBlock puts five records in one block and reads them
// two at a time: the cursor must resume inside the block.
func TestSourceResumesMidBlock(t *testing.T) {
	n := newTestNet(t)
	for i := range 5 {
		n.publish(string(dstName), "r", "text/plain", []byte{byte(i)})
	}
	n.commit(1)
	block := n.head()
	c := newChain(t, srcName, n.evmConfig("qbft", 0), Options{})
	src := c.Source(config.Selector{}, 0)
	var cur relayer.Cursor
	var got []uint64
	for _, want := range []int{2, 2, 1, 0} {
		b, err := src.Poll(context.Background(), cur, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Records) != want {
			t.Fatalf("batch of %d records, want %d (cursor %q)", len(b.Records), want, cur)
		}
		for _, r := range b.Records {
			got = append(got, r.Source.Sequence)
			if uint64(r.Source.Height) != block {
				t.Fatalf("record at height %d, want %d", r.Source.Height, block)
			}
		}
		if want == 2 && !strings.HasPrefix(string(b.Next), fmt.Sprintf("evm1:%d:", block)) {
			t.Fatalf("mid-block cursor %q does not resume at block %d", b.Next, block)
		}
		if want == 2 && b.Reached != relayer.Height(block-1) {
			t.Fatalf("mid-block batch reached %d, want %d (the last fully read block)", b.Reached, block-1)
		}
		cur = b.Next
	}
	if fmt.Sprint(got) != "[1 2 3 4 5]" {
		t.Fatalf("sequences %v", got)
	}
}

// TestSourceRespectsFinality checks that records above the final height
// are not returned: head minus confirmations, and the "finalized" tag.
func TestSourceRespectsFinality(t *testing.T) {
	n := newTestNet(t)
	n.publish(string(dstName), "r", "text/plain", []byte("one"))
	n.commit(1)
	c := newChain(t, srcName, n.evmConfig("finality", 3), Options{})
	src := c.Source(config.Selector{}, 0)
	b, err := src.Poll(context.Background(), "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Records) != 0 || b.Head != relayer.Height(n.head()-3) {
		t.Fatalf("before 3 confirmations: %d records, head %d (chain head %d)", len(b.Records), b.Head, n.head())
	}
	n.commit(2)
	if b, err = src.Poll(context.Background(), b.Next, 10); err != nil || len(b.Records) != 0 {
		t.Fatalf("after 2 confirmations: %d records, %v", len(b.Records), err)
	}
	n.commit(1)
	if b, err = src.Poll(context.Background(), b.Next, 10); err != nil || len(b.Records) != 1 {
		t.Fatalf("after 3 confirmations: %d records, %v", len(b.Records), err)
	}

	// The finalized tag: the simulated beacon finalizes every 32 blocks.
	fin := newChain(t, srcName, n.evmConfig("finality", 0), Options{})
	n.publish(string(dstName), "r", "text/plain", []byte("two"))
	n.commit(1)
	src = fin.Source(config.Selector{}, 0)
	b, err = src.Poll(context.Background(), "", 10)
	if err != nil || len(b.Records) != 0 {
		t.Fatalf("before finalization: %d records, %v", len(b.Records), err)
	}
	n.commit(int(64 - n.head()))
	recs, _ := pollAll(t, src, 2)
	if string(recs[1].Payload) != "two" {
		t.Fatalf("after finalization: %q", recs[1].Payload)
	}
}

func TestSourceSelector(t *testing.T) {
	n := newTestNet(t)
	n.publish(string(dstName), "alice", "text/plain", []byte("1"))
	n.publish("elsewhere", "alice", "text/plain", []byte("2"))
	n.publish(string(dstName), "bob", "application/json", []byte("3"))
	n.publish(string(dstName), "alice", "application/json", []byte("4"))
	n.commit(1)
	c := newChain(t, srcName, n.evmConfig("qbft", 0), Options{})
	for _, tc := range []struct {
		sel  config.Selector
		want string
	}{
		{config.Selector{}, "1234"},
		{config.Selector{Destination: string(dstName)}, "134"},
		{config.Selector{Destination: string(dstName), Receiver: "alice"}, "14"},
		{config.Selector{Destination: string(dstName), ContentType: "application/json"}, "34"},
		{config.Selector{Destination: "elsewhere", Receiver: "bob"}, ""},
	} {
		b, err := c.Source(tc.sel, 0).Poll(context.Background(), "", 10)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, r := range b.Records {
			got += string(r.Payload)
		}
		if got != tc.want {
			t.Errorf("selector %+v: got %q, want %q", tc.sel, got, tc.want)
		}
	}
}

// TestSourceUnavailableKeepsCursor switches the endpoint off in two ways
// (HTTP 503, and hanging up) and checks that Poll fails with
// ErrUnavailable and resumes from the same cursor once it is back.
func TestSourceUnavailableKeepsCursor(t *testing.T) {
	n := newTestNet(t)
	p := newRPCProxy(t, n.ipc)
	cfg := n.evmConfig("qbft", 0)
	cfg.RPC = []string{p.URL()}
	c := newChain(t, srcName, cfg, Options{})
	src := c.Source(config.Selector{}, 0)
	n.publish(string(dstName), "r", "text/plain", []byte("a"))
	n.commit(1)
	b, err := src.Poll(context.Background(), "", 10)
	if err != nil || len(b.Records) != 1 {
		t.Fatalf("first poll: %d records, %v", len(b.Records), err)
	}
	cur := b.Next
	n.publish(string(dstName), "r", "text/plain", []byte("b"))
	n.commit(1)
	for _, mode := range []int32{proxy503, proxyHangUp} {
		p.mode.Store(mode)
		if _, err := src.Poll(context.Background(), cur, 10); !errors.Is(err, relayer.ErrUnavailable) {
			t.Fatalf("endpoint down (mode %d): got %v, want ErrUnavailable", mode, err)
		}
	}
	p.mode.Store(proxyUp)
	b, err = src.Poll(context.Background(), cur, 10)
	if err != nil || len(b.Records) != 1 || string(b.Records[0].Payload) != "b" {
		t.Fatalf("after the endpoint came back: %v, %v", b.Records, err)
	}

	// With a second endpoint, the source moves on to the one that answers.
	cfg.RPC = []string{p.URL(), n.ipc}
	two := newChain(t, srcName, cfg, Options{})
	p.mode.Store(proxy503)
	b, err = two.Source(config.Selector{}, 0).Poll(context.Background(), cur, 10)
	if err != nil || len(b.Records) != 1 {
		t.Fatalf("failover: %d records, %v", len(b.Records), err)
	}
}

// TestSourceReconnectsIPC stops the node behind an IPC endpoint and starts
// another on the same socket: Poll fails with ErrUnavailable while it is
// down, and the same Chain reads from the new node once it is up (the
// go-ethereum client redials IPC on the next call).
func TestSourceReconnectsIPC(t *testing.T) {
	n := newTestNet(t)
	n.publish(string(dstName), "r", "text/plain", []byte("first node"))
	n.commit(1)
	c := newChain(t, srcName, n.evmConfig("qbft", 0), Options{})
	src := c.Source(config.Selector{}, 0)
	if b, err := src.Poll(context.Background(), "", 10); err != nil || len(b.Records) != 1 {
		t.Fatalf("first node: %d records, %v", len(b.Records), err)
	}
	if err := n.backend.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Poll(context.Background(), "", 10); !errors.Is(err, relayer.ErrUnavailable) {
		t.Fatalf("node down: got %v, want ErrUnavailable", err)
	}
	again := newTestNetAt(t, n.ipc)
	again.publish(string(dstName), "r", "text/plain", []byte("second node"))
	again.commit(1)
	var (
		b   relayer.Batch
		err error
	)
	for range 2 { // the first call after a restart may still hit the old connection
		if b, err = src.Poll(context.Background(), "", 10); err == nil {
			break
		}
	}
	if err != nil || len(b.Records) != 1 || string(b.Records[0].Payload) != "second node" {
		t.Fatalf("node back: %v, %v", b.Records, err)
	}
}

// TestSourceDetectsReorgBelowFinal reads to the head of a qbft-mode chain
// (where the head is final), then forks the chain below it: the next poll
// must refuse with both hashes.
func TestSourceDetectsReorgBelowFinal(t *testing.T) {
	n := newTestNet(t)
	forkPoint := n.head()
	fp, err := n.client.HeaderByNumber(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	n.publish(string(dstName), "r", "text/plain", []byte("a"))
	n.commit(3)
	c := newChain(t, srcName, n.evmConfig("qbft", 0), Options{})
	src := c.Source(config.Selector{}, 0)
	b, err := src.Poll(context.Background(), "", 10)
	if err != nil || len(b.Records) != 1 {
		t.Fatalf("poll: %d records, %v", len(b.Records), err)
	}
	read := n.head()
	was, err := n.client.HeaderByNumber(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}

	if err := n.backend.Fork(fp.Hash()); err != nil {
		t.Fatal(err)
	}
	// A different transaction makes the new branch's blocks differ.
	tx, err := types.SignNewTx(n.stranger.key, types.LatestSignerForChainID(n.chainID), &types.DynamicFeeTx{
		ChainID: n.chainID, Nonce: 0, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(1_000_000_000_000), Gas: 21000, To: &n.stranger.addr,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.client.SendTransaction(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
	n.waitPending(n.stranger.addr, 1)
	n.commit(int(read-forkPoint) + 2)
	now, err := n.client.HeaderByNumber(context.Background(), new(big.Int).SetUint64(read))
	if err != nil {
		t.Fatal(err)
	}
	if now.Hash() == was.Hash() {
		t.Fatal("the fork did not replace the block the source read")
	}

	_, err = src.Poll(context.Background(), b.Next, 10)
	var re *relayer.ForkError
	if !errors.As(err, &re) || !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("got %v, want a *relayer.ForkError wrapping ErrPermanent", err)
	}
	if re.Height != read || !bytes.Equal(re.Was, was.Hash().Bytes()) || !bytes.Equal(re.Now, now.Hash().Bytes()) ||
		!strings.Contains(err.Error(), was.Hash().Hex()) || !strings.Contains(err.Error(), now.Hash().Hex()) {
		t.Fatalf("reorg error %+v does not name block %d's hashes %s and %s", re, read, was.Hash(), now.Hash())
	}
}

// TestSourceReturnsRecordWithForeignID deploys an Outbox under another
// chain name: its record IDs do not follow from this chain's name, so the
// records are returned as they are and fail Record.Check.
func TestSourceReturnsRecordWithForeignID(t *testing.T) {
	n := newTestNet(t)
	n.publish(string(dstName), "r", "text/plain", []byte("x"))
	n.commit(1)
	c := newChain(t, "not-registry", n.evmConfig("qbft", 0), Options{})
	b, err := c.Source(config.Selector{}, 0).Poll(context.Background(), "", 10)
	if err != nil || len(b.Records) != 1 {
		t.Fatalf("poll: %d records, %v", len(b.Records), err)
	}
	if err := b.Records[0].Check(); !errors.Is(err, relayer.ErrRecordMismatch) {
		t.Fatalf("Check: got %v, want ErrRecordMismatch", err)
	}
}

func TestCursorFormat(t *testing.T) {
	h := common.HexToHash("0x01")
	for _, c := range []cursor{{next: 7}, {next: 9, skip: 3, hash: h}} {
		got, err := parseCursor(c.encode(), 0)
		if err != nil || got != c {
			t.Fatalf("round trip of %+v: %+v, %v", c, got, err)
		}
	}
	if c, err := parseCursor("", 42); err != nil || c.next != 42 {
		t.Fatalf("empty cursor: %+v, %v", c, err)
	}
	for _, bad := range []relayer.Cursor{"fabric:1", "evm1:x:0:-", "evm1:1:0:0x12", "evm1:1:0"} {
		if _, err := parseCursor(bad, 0); !errors.Is(err, relayer.ErrPermanent) {
			t.Errorf("cursor %q: got %v, want ErrPermanent", bad, err)
		}
	}
}

// TestSourceTime checks that records carry their block's timestamp, from
// the logs when the node sends it, else from one header read per block.
func TestSourceTime(t *testing.T) {
	n := newTestNet(t)
	for i := range 6 {
		n.publish(string(dstName), "r", "text/plain", []byte(fmt.Sprintf("record %d", i)))
		if i%2 == 1 {
			n.commit(1) // two records per block
		}
	}
	n.commit(1) // the cursor's block, read for its hash, holds no record
	for _, noLogTime := range []bool{false, true} {
		t.Run(fmt.Sprintf("noLogTime=%v", noLogTime), func(t *testing.T) {
			p := newRPCProxy(t, n.ipc)
			p.noLogTime.Store(noLogTime)
			cfg := n.evmConfig("qbft", 0)
			cfg.RPC = []string{p.URL()}
			c := newChain(t, srcName, cfg, Options{})
			recs, _ := pollAll(t, c.Source(config.Selector{Destination: string(dstName)}, 0), 6)
			blocks := map[uint64]bool{}
			for _, r := range recs {
				h, err := n.client.HeaderByNumber(context.Background(), new(big.Int).SetUint64(uint64(r.Source.Height)))
				if err != nil {
					t.Fatal(err)
				}
				if want := time.Unix(int64(h.Time), 0).UTC(); !r.Source.Time.Equal(want) || r.Source.Time.Location() != time.UTC {
					t.Errorf("record %d in block %d: time %v, the block's is %v", r.Source.Sequence, r.Source.Height, r.Source.Time, want)
				}
				blocks[uint64(r.Source.Height)] = true
			}
			// Header reads of the records' blocks: none when the logs carry
			// the time, one per block when they do not.
			reads := map[uint64]int{}
			for _, call := range p.callsOf("eth_getBlockByNumber") {
				var num hexutil.Uint64
				if json.Unmarshal(call.Params[0], &num) == nil && blocks[uint64(num)] {
					reads[uint64(num)]++
				}
			}
			for b := range blocks {
				want := 0
				if noLogTime {
					want = 1
				}
				if got := reads[b]; got != want {
					t.Errorf("block %d read %d times, want %d", b, got, want)
				}
			}
		})
	}
}
