package evm

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/proofs/qbft"
	"github.com/liaison-gw/liaison/proofs/qbft/qbfttest"
	"github.com/liaison-gw/liaison/relayer"
)

// Names of the test ledgers: records leave "registry" for "finance". Both
// live on the same simulated chain, which carries the Outbox of the one
// and the Inbox of the other.
const (
	srcName relayer.ChainID = "registry"
	dstName relayer.ChainID = "finance"
)

// account is a key derived from a label, so that addresses are the same on
// every run.
type account struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

func newAccount(t testing.TB, label string) account {
	t.Helper()
	key, err := crypto.ToECDSA(crypto.Keccak256([]byte("liaison evm adapter test: " + label)))
	if err != nil {
		t.Fatal(err)
	}
	return account{key: key, addr: crypto.PubkeyToAddress(key.PublicKey)}
}

// testNet is an in-process geth chain reachable over IPC, with an Outbox
// ("registry") and an Inbox ("finance", attestors a1..a3, threshold 2).
// Blocks are mined only by Commit, so tests never wait.
type testNet struct {
	t        testing.TB
	backend  *simulated.Backend
	client   simulated.Client
	ipc      string
	chainID  *big.Int
	deployer account
	att      [3]account
	stranger account
	outbox   common.Address
	inbox    common.Address

	deployerNonce uint64 // counted here: the pool's pending nonce may lag
}

func newTestNet(t testing.TB, backendOpts ...func(*node.Config, *ethconfig.Config)) *testNet {
	t.Helper()
	// Unix socket paths are limited to about 100 bytes: t.TempDir is too
	// long for long test names.
	dir, err := os.MkdirTemp("", "evm")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return newTestNetAt(t, filepath.Join(dir, "geth.ipc"), backendOpts...)
}

// newTestNetAt starts a test net serving IPC at path. The same accounts
// deploy the same contracts, so their addresses are the same on every net.
func newTestNetAt(t testing.TB, ipc string, backendOpts ...func(*node.Config, *ethconfig.Config)) *testNet {
	t.Helper()
	var err error
	n := &testNet{t: t, ipc: ipc, deployer: newAccount(t, "deployer"), stranger: newAccount(t, "stranger")}
	for i := range n.att {
		n.att[i] = newAccount(t, fmt.Sprintf("attestor %d", i+1))
	}
	alloc := types.GenesisAlloc{}
	balance := new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))
	for _, a := range append([]account{n.deployer, n.stranger}, n.att[:]...) {
		alloc[a.addr] = types.Account{Balance: balance}
	}
	backendOpts = append([]func(*node.Config, *ethconfig.Config){func(nc *node.Config, _ *ethconfig.Config) { nc.IPCPath = n.ipc }}, backendOpts...)
	n.backend = simulated.NewBackend(alloc, backendOpts...)
	t.Cleanup(func() { _ = n.backend.Close() })
	n.client = n.backend.Client()
	if n.chainID, err = n.client.ChainID(context.Background()); err != nil {
		t.Fatal(err)
	}
	n.outbox = n.deploy(&contracts.OutboxMetaData, contracts.NewOutbox().PackConstructor(string(srcName)))
	n.inbox = n.deploy(&contracts.InboxMetaData, contracts.NewInbox().PackConstructor(string(dstName), n.deployer.addr,
		[]common.Address{n.att[0].addr, n.att[1].addr, n.att[2].addr}, big.NewInt(2)))
	return n
}

// opts returns transaction options for a. The deployer sends many
// transactions per block, so its nonce is counted here rather than read
// from the pool, whose pending nonce may lag behind a just-sent
// transaction.
func (n *testNet) opts(a account) *bind.TransactOpts {
	o := bind.NewKeyedTransactor(a.key, n.chainID)
	if a.addr == n.deployer.addr {
		o.Nonce = new(big.Int).SetUint64(n.deployerNonce)
		n.deployerNonce++
	}
	return o
}

func (n *testNet) deploy(meta *bind.MetaData, args []byte) common.Address {
	n.t.Helper()
	addr, tx, err := bind.DeployContract(n.opts(n.deployer), common.FromHex(meta.Bin), n.client, args)
	if err != nil {
		n.t.Fatalf("deploy %s: %v", meta.ID, err)
	}
	n.mined(tx)
	return addr
}

// mined commits a block and fails unless tx succeeded in it.
func (n *testNet) mined(tx *types.Transaction) *types.Receipt {
	n.t.Helper()
	from, err := types.Sender(types.LatestSignerForChainID(n.chainID), tx)
	if err != nil {
		n.t.Fatal(err)
	}
	n.waitPending(from, tx.Nonce()+1)
	n.commit(1)
	r, err := n.client.TransactionReceipt(context.Background(), tx.Hash())
	if err != nil || r.Status != types.ReceiptStatusSuccessful {
		n.t.Fatalf("transaction %s: receipt %+v, err %v", tx.Hash(), r, err)
	}
	return r
}

// commit mines k blocks, after the pool has taken in every transaction the
// deployer sent.
func (n *testNet) commit(k int) {
	n.t.Helper()
	n.waitPending(n.deployer.addr, n.deployerNonce)
	for range k {
		n.backend.Commit()
	}
}

// waitPending polls until the pool's pending nonce of addr reaches want.
// The simulated pool moves a new transaction to its pending set
// asynchronously, and a block committed before that leaves it out.
func (n *testNet) waitPending(addr common.Address, want uint64) {
	n.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := n.client.PendingNonceAt(context.Background(), addr)
		if err != nil {
			n.t.Fatal(err)
		}
		if got >= want {
			return
		}
		if time.Now().After(deadline) {
			n.t.Fatalf("the pool's pending nonce of %s stays at %d, want %d", addr, got, want)
		}
		time.Sleep(time.Millisecond)
	}
}

func (n *testNet) head() uint64 {
	n.t.Helper()
	h, err := n.client.BlockNumber(context.Background())
	if err != nil {
		n.t.Fatal(err)
	}
	return h
}

// publish sends Outbox.publish without mining it.
func (n *testNet) publish(dest, receiver, contentType string, payload []byte) *types.Transaction {
	n.t.Helper()
	ob := contracts.NewOutbox()
	opts := n.opts(n.deployer)
	opts.GasLimit = 500000
	tx, err := bind.Transact(ob.Instance(n.client, n.outbox), opts, ob.PackPublish(dest, receiver, contentType, payload))
	if err != nil {
		n.t.Fatalf("publish: %v", err)
	}
	return tx
}

// send sends data to a contract from a, and mines it.
func (n *testNet) send(a account, to common.Address, data []byte) *types.Receipt {
	n.t.Helper()
	c := bind.NewBoundContract(to, contracts.NewInbox().GetABI(), n.client, n.client, n.client)
	tx, err := bind.Transact(c, n.opts(a), data)
	if err != nil {
		n.t.Fatalf("transact: %v", err)
	}
	return n.mined(tx)
}

// evmConfig is a chain section for the test net.
func (n *testNet) evmConfig(mode string, confirmations uint64) config.EVM {
	var cfg config.EVM
	cfg.RPC = []string{n.ipc}
	cfg.ChainID = n.chainID.Uint64()
	cfg.Outbox = n.outbox.Hex()
	cfg.Inbox = n.inbox.Hex()
	cfg.Trust.Mode = mode
	cfg.Trust.Confirmations = confirmations
	cfg.Timeout = 5 * time.Second
	return cfg
}

// withKey sets the signer key of cfg to a's key, in a 0600 file.
func withKey(t testing.TB, cfg config.EVM, a account) config.EVM {
	t.Helper()
	path := filepath.Join(t.TempDir(), "key.hex")
	if err := os.WriteFile(path, []byte(hex.EncodeToString(crypto.FromECDSA(a.key))+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg.Signer.Key = config.Secret{File: path}
	return cfg
}

// newChain connects a Chain, closed at the end of the test.
func newChain(t testing.TB, name relayer.ChainID, cfg config.EVM, opts Options) *Chain {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = testLogger(t)
	}
	c, err := NewChain(context.Background(), name, cfg, opts)
	if err != nil {
		t.Fatalf("NewChain: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// testLogger logs to the test's output when -v is given.
func testLogger(t testing.TB) *slog.Logger {
	if !testing.Verbose() {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

// fakeClock is a clock that moves only when told to.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// rpcProxy is an HTTP JSON-RPC endpoint that forwards to the test net over
// IPC. It can be switched off (503, or hanging up on the client), and it
// logs the calls it forwards.
type rpcProxy struct {
	srv     *httptest.Server
	backend *rpc.Client
	mode    atomic.Int32 // proxyUp, proxy503, proxyHangUp
	// noLogTime drops blockTimestamp from eth_getLogs results, as nodes
	// older than geth 1.16 (and Besu, GoQuorum) answer.
	noLogTime atomic.Bool
	// rewrite, when set, changes the result of every call it is given.
	rewrite atomic.Pointer[func(method string, result json.RawMessage) json.RawMessage]

	mu    sync.Mutex
	calls []proxyCall
}

const (
	proxyUp int32 = iota
	proxy503
	proxyHangUp
)

type proxyCall struct {
	Method string
	Params []json.RawMessage
}

func newRPCProxy(t testing.TB, ipc string) *rpcProxy {
	t.Helper()
	backend, err := rpc.Dial(ipc)
	if err != nil {
		t.Fatal(err)
	}
	p := &rpcProxy{backend: backend}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(func() {
		p.srv.Close()
		backend.Close()
	})
	return p
}

// URL returns the proxy's URL with credentials, which messages must redact.
func (p *rpcProxy) URL() string {
	return "http://operator:s3cret@" + p.srv.Listener.Addr().String()
}

func (p *rpcProxy) serve(w http.ResponseWriter, r *http.Request) {
	switch p.mode.Load() {
	case proxy503:
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
		return
	case proxyHangUp:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.(*net.TCPConn).SetLinger(0)
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	var req struct {
		ID     json.RawMessage   `json:"id"`
		Method string            `json:"method"`
		Params []json.RawMessage `json:"params"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	p.calls = append(p.calls, proxyCall{Method: req.Method, Params: req.Params})
	p.mu.Unlock()
	args := make([]any, len(req.Params))
	for i, a := range req.Params {
		args[i] = a
	}
	var result json.RawMessage
	resp := map[string]any{"jsonrpc": "2.0", "id": req.ID}
	if err := p.backend.CallContext(r.Context(), &result, req.Method, args...); err != nil {
		e := map[string]any{"code": -32000, "message": err.Error()}
		if re, ok := err.(rpc.Error); ok {
			e["code"] = re.ErrorCode()
		}
		if de, ok := err.(rpc.DataError); ok {
			e["data"] = de.ErrorData()
		}
		resp["error"] = e
	} else {
		if req.Method == "eth_getLogs" && p.noLogTime.Load() {
			result = dropField(result, "blockTimestamp")
		}
		if f := p.rewrite.Load(); f != nil {
			result = (*f)(req.Method, result)
		}
		resp["result"] = result
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

// dropField removes a field from every object of a JSON array.
func dropField(list json.RawMessage, field string) json.RawMessage {
	var objs []map[string]json.RawMessage
	if err := json.Unmarshal(list, &objs); err != nil {
		return list
	}
	for _, o := range objs {
		delete(o, field)
	}
	out, _ := json.Marshal(objs)
	return out
}

// callsOf returns the logged calls of method.
func (p *rpcProxy) callsOf(method string) []proxyCall {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []proxyCall
	for _, c := range p.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// resealer re-seals the simulated chain's headers as QBFT blocks, keeping
// every field but the extra data and the parent hash, so that the state root
// stays real and eth_getProof proofs verify against it. schedule says which
// of the sealer's keys are the validators of each height (all of them seal)
// and which vote the header carries.
type resealer struct {
	inner    HeaderReader
	variant  qbft.Variant
	sealer   *qbfttest.Sealer
	schedule func(height uint64) (validators []int, vote *qbft.Vote)

	mu    sync.Mutex
	cache map[uint64]*types.Header
}

func newResealer(inner HeaderReader, variant qbft.Variant, sealer *qbfttest.Sealer, schedule func(uint64) ([]int, *qbft.Vote)) *resealer {
	return &resealer{inner: inner, variant: variant, sealer: sealer, schedule: schedule, cache: map[uint64]*types.Header{}}
}

// fixedSet is a schedule in which validators never change.
func fixedSet(n int) func(uint64) ([]int, *qbft.Vote) {
	return func(uint64) ([]int, *qbft.Vote) { return qbfttest.All(n), nil }
}

func (r *resealer) HeaderByNumber(ctx context.Context, n rpc.BlockNumber) (*types.Header, common.Hash, error) {
	h, _, err := r.inner.HeaderByNumber(ctx, n)
	if err != nil {
		return nil, common.Hash{}, err
	}
	out, err := r.resealed(ctx, h.Number.Uint64(), h)
	if err != nil {
		return nil, common.Hash{}, err
	}
	hash, err := qbft.BlockHash(r.variant, out)
	return types.CopyHeader(out), hash, err
}

// resealed returns the re-sealed header at height, re-sealing every lower
// height first (parent hashes chain through the re-sealed headers).
func (r *resealer) resealed(ctx context.Context, height uint64, h *types.Header) (*types.Header, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if out, ok := r.cache[height]; ok {
		return out, nil
	}
	from := height
	for from > 0 {
		if _, ok := r.cache[from-1]; ok {
			break
		}
		from--
	}
	for n := from; n <= height; n++ {
		raw := h
		if n != height {
			var err error
			if raw, _, err = r.inner.HeaderByNumber(ctx, rpc.BlockNumber(n)); err != nil {
				return nil, err
			}
		}
		cpy := types.CopyHeader(raw)
		if n == 0 {
			// The simulated genesis is dated 1970, which a trusting period
			// refuses: date it like block 1 (mined when the net started).
			if h1, _, err := r.inner.HeaderByNumber(ctx, 1); err == nil {
				cpy.Time = h1.Time
			}
		}
		// The simulated beacon dates a block parent+1 when blocks come
		// faster than one a second, so a burst of them runs ahead of the
		// wall clock, and the light client refuses headers dated in its
		// future. A real chain's blocks are never ahead of time: date them
		// no later than now. Heights are re-sealed in order, so the times
		// still never decrease.
		cpy.Time = min(cpy.Time, uint64(time.Now().Unix()))
		if n > 0 {
			parent, err := qbft.BlockHash(r.variant, r.cache[n-1])
			if err != nil {
				return nil, err
			}
			cpy.ParentHash = parent
		}
		idx, vote := r.schedule(n)
		vals := make([]common.Address, len(idx))
		for i, j := range idx {
			vals[i] = r.sealer.Address(j)
		}
		out, err := qbfttest.WithExtra(r.variant, cpy, vals, vote)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			if out, err = r.sealer.TrySeal(r.variant, out, 0, idx); err != nil {
				return nil, err
			}
		}
		r.cache[n] = out
	}
	return r.cache[height], nil
}

// qbftChain connects a Chain in qbft mode whose headers are re-sealed by
// sealer along schedule; the configured validators are those of height 0.
func qbftChain(t testing.TB, n *testNet, sealer *qbfttest.Sealer, schedule func(uint64) ([]int, *qbft.Vote)) (*Chain, *resealer) {
	t.Helper()
	return bftChain(t, n, qbft.QBFT, sealer, schedule)
}

// bftChain is qbftChain for either variant.
func bftChain(t testing.TB, n *testNet, variant qbft.Variant, sealer *qbfttest.Sealer, schedule func(uint64) ([]int, *qbft.Vote)) (*Chain, *resealer) {
	t.Helper()
	cfg := n.evmConfig(variant.String(), 0)
	idx, _ := schedule(0)
	for _, i := range idx {
		cfg.Trust.Validators = append(cfg.Trust.Validators, sealer.Address(i).Hex())
	}
	var rs *resealer
	c := newChain(t, srcName, cfg, Options{WrapHeaders: func(_ string, r HeaderReader) HeaderReader {
		rs = newResealer(r, variant, sealer, schedule)
		return rs
	}})
	return c, rs
}

// recordsOf polls src from the start until it has k records.
func pollAll(t testing.TB, src relayer.Source, k int) ([]relayer.Record, relayer.Cursor) {
	t.Helper()
	var (
		recs []relayer.Record
		cur  relayer.Cursor
	)
	for range 100 {
		b, err := src.Poll(context.Background(), cur, 1000)
		if err != nil {
			t.Fatalf("poll: %v", err)
		}
		recs = append(recs, b.Records...)
		if len(recs) >= k || b.Next == cur {
			cur = b.Next
			break
		}
		cur = b.Next
	}
	if len(recs) != k {
		t.Fatalf("got %d records, want %d", len(recs), k)
	}
	return recs, cur
}

// proveAndCheck proves rec against the prover's bootstrap anchor and checks
// the evidence with the chain's verifier.
func proveAndCheck(t testing.TB, c *Chain, rec *relayer.Record, anchor relayer.Anchor) (*relayer.Evidence, relayer.Anchor) {
	t.Helper()
	ev, err := c.Prover().Prove(context.Background(), rec, anchor)
	if err != nil {
		t.Fatalf("prove: %v", err)
	}
	// Round-trip through the bundle's JSON, as the engine stores it.
	raw, err := relayer.EncodeEvidence(ev)
	if err != nil {
		t.Fatal(err)
	}
	if ev, err = relayer.DecodeEvidence(raw); err != nil {
		t.Fatalf("decode evidence: %v", err)
	}
	v, err := relayer.VerifyEvidence(ev, anchor, c.Verifier(), ev.ProvenAt)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return ev, v.Next
}

func bootstrap(t testing.TB, c *Chain) relayer.Anchor {
	t.Helper()
	a, err := c.Prover().(relayer.TrustBootstrapper).Bootstrap(context.Background())
	if err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	if err := a.CheckDigest(); err != nil {
		t.Fatal(err)
	}
	return a
}
