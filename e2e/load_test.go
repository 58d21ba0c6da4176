//go:build e2e

package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
	"github.com/liaison-gw/liaison/relayer"
)

// BenchmarkLoad is the load harness (issue #6). For each pair of ledgers
// (two geth nodes; Fabric and geth; a Cosmos devnet and geth) it starts
// liaison with an unordered route each way, publishes N records on every
// route while liaison runs (N is LIAISON_LOAD_N, default 200), waits until
// /metrics counts them all delivered, stops liaison and reads `liaison
// stats --json`. At the end it prints one table with every route: records
// per second from the first observation to the last confirmation, and the
// p50/p95/p99 of each leg (source finality, proof fetch, verification,
// submission, destination commit, end to end). Each setup runs once,
// whatever b.N; select one with -bench 'Load/fabric'.
//
//	LIAISON_GETH=$(scripts/gobin.sh geth) go test -tags e2e -run '^$' -bench '^BenchmarkLoad$' -benchtime 1x -timeout 60m ./e2e/
//
// Records are published as fast as each ledger's client allows: on geth
// all at once, on Fabric one after another (each publish increments the
// chaincode's sequence, so concurrent ones would conflict), on Cosmos 50
// MsgPublishRecord a transaction (`tx records publish-batch`). The -batch
// setups publish many records per transaction (Outbox.publishBatch,
// PublishRecords) and deliver in batches. Where publishing is slower than relaying, the
// route's records/s is the publishing rate.
func BenchmarkLoad(b *testing.B) {
	n := loadN(b)
	var all []loadRoute
	for _, s := range []struct {
		name string
		run  func(b *testing.B, n int) []loadRoute
	}{
		{"evm-evm", loadEVMEVM},
		{"evm-evm-batch", loadEVMEVMBatch},
		{"fabric-evm", loadFabricEVM},
		{"fabric-evm-batch", loadFabricEVMBatch},
		{"evm-fabric-batch", loadEVMFabricBatch},
		{"cosmos-evm", loadCosmosEVM},
	} {
		b.Run(s.name, func(b *testing.B) {
			routes := s.run(b, n)
			for i := range routes {
				routes[i].Setup = s.name
			}
			for _, r := range routes {
				b.ReportMetric(r.RecordsPerSec, r.Route+"-records/s")
			}
			all = append(all, routes...)
		})
	}
	if len(all) > 0 {
		fmt.Printf("\nLoad harness: %d records published on each route while liaison runs\n\n", n)
		printLoadTable(os.Stdout, all)
		fmt.Println()
	}
}

// loadN reads LIAISON_LOAD_N.
func loadN(t testing.TB) int {
	s := os.Getenv("LIAISON_LOAD_N")
	if s == "" {
		return 200
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		t.Fatalf("LIAISON_LOAD_N=%q: want a positive number", s)
	}
	return n
}

func loadEVMEVM(b *testing.B, n int) []loadRoute {
	x := setupEVMEVM(b, "unordered")
	// Published before liaison starts, so that the blocks of the window
	// measured carry deliveries only, as the capacity run's do.
	x.a.publish(b, x.outA, "chain-b", n, "load-ab")
	x.b.publish(b, x.outB, "chain-a", n, "load-ba")
	lp := x.startLiaison(b)
	routes := loadFinish(b, lp, x.cfgPath, x.metrics, n, "a-to-b", "b-to-a")
	x.capacity(b, routes, n, 1)
	return routes
}

// relayerKey reads the EVM key the setups write for liaison in dir.
func relayerKey(b *testing.B, dir string) *ecdsa.PrivateKey {
	b.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "relayer.key"))
	if err != nil {
		b.Fatal(err)
	}
	key, err := crypto.HexToECDSA(strings.TrimSpace(string(raw)))
	if err != nil {
		b.Fatal(err)
	}
	return key
}

// capacity measures, for each route of x, what its destination node
// commits on its own with transactions of the shape liaison sends: the
// relayer's key attests n fresh records straight to the Inbox, per records
// a transaction, all sent at once; records/s runs from the first send to
// the last receipt. It runs after liaison stopped, on the same nodes, with
// both nodes attesting at once as liaison did. It sets Capacity on each
// route.
func (x *evmEVM) capacity(b *testing.B, routes []loadRoute, n, per int) {
	b.Helper()
	key := relayerKey(b, x.dir)
	dests := map[string]struct {
		node  *gethNode
		inbox common.Address
		chain string
	}{"a-to-b": {x.b, x.inB, "chain-b"}, "b-to-a": {x.a, x.inA, "chain-a"}}
	type result struct {
		route string
		rate  float64
		err   error
	}
	results := make(chan result, len(routes))
	for _, r := range routes {
		d := dests[r.Route]
		go func() {
			rate, err := d.node.attestCapacity(key, d.inbox, d.chain, n, per)
			results <- result{r.Route, rate, err}
		}()
	}
	got := map[string]float64{}
	for range routes {
		res := <-results
		if res.err != nil {
			b.Fatalf("capacity of %s's destination: %v", res.route, res.err)
		}
		got[res.route] = res.rate
	}
	for i := range routes {
		routes[i].Capacity = got[routes[i].Route]
	}
}

// attestCapacity sends n fresh records to the Inbox with key, per records
// a transaction (attest for 1, attestBatch above), and returns records/s
// committed.
// It runs on its own goroutine, so it returns its errors instead of
// failing the benchmark.
func (node *gethNode) attestCapacity(key *ecdsa.PrivateKey, inbox common.Address, chain string, n, per int) (float64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ib := contracts.NewInbox()
	inst := ib.Instance(node.client, inbox)
	// As liaison's EVM adapter, a batch takes at most half a block.
	head, err := node.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return 0, err
	}
	from := crypto.PubkeyToAddress(key.PublicKey)
	nonce, err := node.client.PendingNonceAt(ctx, from)
	if err != nil {
		return 0, err
	}
	emitter := make([]byte, 20)
	_, _ = rand.Read(emitter)
	call := func(first, count int) []byte {
		var recs []contracts.InboxRecord
		var hashes [][32]byte
		for i := first; i < first+count; i++ {
			recs = append(recs, contracts.InboxRecord{SourceChain: "capacity", Emitter: emitter, Sequence: uint64(i + 1),
				Destination: chain, Receiver: "e2e", ContentType: "application/json", Payload: fmt.Appendf(nil, `{"record":"capacity-%d"}`, i)})
			hashes = append(hashes, sha256.Sum256([]byte(fmt.Sprint(i))))
		}
		if count == 1 {
			return ib.PackAttest(recs[0], hashes[0])
		}
		return ib.PackAttestBatch(recs, hashes)
	}
	// Size the transactions by the node's own estimate, as liaison's
	// adapter does: a delivering attestation costs what this node's rules
	// say, and a batch takes at most half a block.
	estimate := func(count int) (uint64, error) {
		return node.client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &inbox, Data: call(0, count)})
	}
	g1, err := estimate(1)
	if err != nil {
		return 0, fmt.Errorf("%s: estimate one attestation: %w", node.name, err)
	}
	per = max(1, min(per, int(head.GasLimit/2/(g1+g1/4))))
	gas, err := estimate(per)
	if err != nil {
		return 0, fmt.Errorf("%s: estimate a batch of %d: %w", node.name, per, err)
	}
	fmt.Printf("capacity on %s: %d records a transaction, %d gas estimated (%d a record; one attestation alone %d), block gas limit %d\n",
		node.name, per, gas, gas/uint64(per), g1, head.GasLimit)
	gas = min(gas+gas/4, head.GasLimit/2)
	var txs []*types.Transaction
	start := time.Now()
	for first := 0; first < n; first += per {
		data := call(first, min(per, n-first))
		opts := bind.NewKeyedTransactor(key, node.chainID)
		opts.Nonce = new(big.Int).SetUint64(nonce)
		opts.Context = ctx
		nonce++
		opts.GasLimit = gas
		tx, err := bind.Transact(inst, opts, data)
		if err != nil {
			return 0, fmt.Errorf("%s: send: %w", node.name, err)
		}
		txs = append(txs, tx)
	}
	for _, tx := range txs {
		r, err := bind.WaitMined(ctx, node.client, tx.Hash())
		if err != nil {
			return 0, fmt.Errorf("%s: wait for %s: %w", node.name, tx.Hash(), err)
		}
		if r.Status != types.ReceiptStatusSuccessful {
			// Replay it for the reason.
			_, callErr := node.client.CallContract(ctx, ethereum.CallMsg{From: from, To: tx.To(), Gas: tx.Gas(), Data: tx.Data()},
				new(big.Int).Sub(r.BlockNumber, big.NewInt(1)))
			return 0, fmt.Errorf("%s: %s reverted (gas used %d of %d): %v", node.name, tx.Hash(), r.GasUsed, tx.Gas(), callErr)
		}
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// capacity measures both destinations' own capacity after liaison
// stopped, at once, as liaison delivered into both: the EVM Inbox with
// attestCapacity, the chaincode with attestCapacityFabric.
func (x *fabricEVM) capacity(b *testing.B, routes []loadRoute, n, per int) {
	b.Helper()
	key := relayerKey(b, x.dir)
	evm := make(chan error, 1)
	var evmRate float64
	go func() {
		var err error
		evmRate, err = x.b.attestCapacity(key, x.inB, "ledger-b", n, per)
		evm <- err
	}()
	fabRate, fabErr := x.fab.client(b, 1, "User1").attestCapacity(x.fab.ChainName, n, per)
	if err := <-evm; err != nil {
		b.Fatalf("capacity of fabric-to-evm's destination: %v", err)
	}
	if fabErr != nil {
		b.Fatalf("capacity of evm-to-fabric's destination: %v", fabErr)
	}
	for i := range routes {
		switch routes[i].Route {
		case "fabric-to-evm":
			routes[i].Capacity = evmRate
		case "evm-to-fabric":
			routes[i].Capacity = fabRate
		}
	}
}

// attestCapacity sends n fresh records to the records chaincode as the
// client's identity (the relayer's attestor), per records an AttestBatch,
// all at once, and returns records/s from the first send to the last
// commit. Every transaction must commit VALID.
func (c *fabricClient) attestCapacity(chain string, n, per int) (float64, error) {
	type record struct {
		ID          string `json:"id"`
		SourceChain string `json:"source_chain"`
		Emitter     string `json:"emitter"`
		Sequence    uint64 `json:"sequence"`
		Destination string `json:"destination"`
		Receiver    string `json:"receiver"`
		ContentType string `json:"content_type"`
		Payload     string `json:"payload"`
		PayloadHash string `json:"payload_hash"`
	}
	emitter := make([]byte, 20)
	_, _ = rand.Read(emitter)
	var commits []*client.Commit
	start := time.Now()
	for first := 0; first < n; first += per {
		var recs []record
		var hashes []string
		for i := first; i < min(first+per, n); i++ {
			r := relayer.NewTestRecord("capacity", emitter, uint64(i+1), fmt.Appendf(nil, `{"record":"capacity-%d"}`, i))
			recs = append(recs, record{ID: r.ID.String(), SourceChain: "capacity", Emitter: "0x" + hex.EncodeToString(emitter),
				Sequence: uint64(i + 1), Destination: chain, Receiver: "e2e", ContentType: "application/json",
				Payload: base64.StdEncoding.EncodeToString(r.Payload), PayloadHash: "0x" + hex.EncodeToString(r.PayloadHash[:])})
			h := sha256.Sum256([]byte(fmt.Sprint(i)))
			hashes = append(hashes, hex.EncodeToString(h[:]))
		}
		rj, _ := json.Marshal(recs)
		hj, _ := json.Marshal(hashes)
		_, commit, err := c.contract.SubmitAsync("AttestBatch", client.WithArguments(string(rj), string(hj)))
		if err != nil {
			return 0, fmt.Errorf("AttestBatch: %w", err)
		}
		commits = append(commits, commit)
	}
	for _, commit := range commits {
		st, err := commit.Status()
		if err != nil {
			return 0, fmt.Errorf("AttestBatch %s: %w", commit.TransactionID(), err)
		}
		if !st.Successful {
			return 0, fmt.Errorf("AttestBatch %s: %s", commit.TransactionID(), st.Code)
		}
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// loadEVMEVMBatch is evm-evm with batches on both sides: records are
// published 20 per Outbox.publishBatch, and delivered up to 100 per
// attestBatch.
func loadEVMEVMBatch(b *testing.B, n int) []loadRoute {
	x := setupEVMEVMWith(b, "unordered", "    batch: {max_records: 100, max_wait: 500ms, concurrency: 4}\n")
	x.a.publishBatched(b, x.outA, "chain-b", n, 20, "load-ab")
	x.b.publishBatched(b, x.outB, "chain-a", n, 20, "load-ba")
	lp := x.startLiaison(b) // after publishing, as in evm-evm
	routes := loadFinish(b, lp, x.cfgPath, x.metrics, n, "a-to-b", "b-to-a")
	x.capacity(b, routes, n, 100)
	return routes
}

func loadFabricEVM(b *testing.B, n int) []loadRoute {
	x := setupFabricEVM(b, "unordered")
	lp := x.startLiaison(b)
	x.b.publish(b, x.outB, x.fab.ChainName, n, "load-ef")
	x.fab.client(b, 2, "User1").publish(b, "ledger-b", n, "load-fe")
	return loadFinish(b, lp, x.cfgPath, x.metrics, n, "fabric-to-evm", "evm-to-fabric")
}

// loadFabricEVMBatch is fabric-evm with batches on both sides: records are
// published 100 per PublishRecords transaction (its bound) on Fabric and 20 per
// Outbox.publishBatch on geth, and delivered up to 100 per attestBatch or
// AttestBatch.
func loadFabricEVMBatch(b *testing.B, n int) []loadRoute {
	x := setupFabricEVMWith(b, "unordered", "    batch: {max_records: 100, max_wait: 500ms, concurrency: 4}\n")
	// Published before liaison starts, as in evm-evm: the window measured
	// carries deliveries only, as the capacity runs do.
	x.b.publishBatched(b, x.outB, x.fab.ChainName, n, 20, "load-ef")
	fc := x.fab.client(b, 2, "User1")
	fc.publishBatched(b, "ledger-b", n, 100, "load-fe")
	lp := x.startLiaison(b)
	routes := loadFinish(b, lp, x.cfgPath, x.metrics, n, "fabric-to-evm", "evm-to-fabric")
	x.capacity(b, routes, n, 100)
	fc.printConflicts(b)
	return routes
}

// printConflicts prints the MVCC conflict rate of the batches delivered
// into Fabric, and of the batch publishes.
func (c *fabricClient) printConflicts(b *testing.B) {
	for fn, codes := range c.txCodes(b) {
		if fn != "AttestBatch" && fn != "PublishRecords" {
			continue
		}
		total, conflicts := 0, codes[peer.TxValidationCode_MVCC_READ_CONFLICT]
		for _, k := range codes {
			total += k
		}
		fmt.Printf("Fabric %s transactions: %d, of which %d MVCC read conflicts (%.1f%%); by code %v\n",
			fn, total, conflicts, 100*float64(conflicts)/float64(max(total, 1)), codes)
	}
}

// loadEVMFabricBatch runs EVM -> Fabric alone, in batches: the geth node
// serves the proofs and nothing else, and the channel commits liaison's
// batches and then the capacity run's.
func loadEVMFabricBatch(b *testing.B, n int) []loadRoute {
	x := setupFabricEVMWith(b, "unordered", "    batch: {max_records: 100, max_wait: 500ms, concurrency: 4}\n")
	x.b.publishBatched(b, x.outB, x.fab.ChainName, n, 20, "load-ef")
	lp := x.startLiaison(b)
	routes := loadFinish(b, lp, x.cfgPath, x.metrics, n, "evm-to-fabric")
	fc := x.fab.client(b, 1, "User1")
	rate, err := fc.attestCapacity(x.fab.ChainName, n, 100)
	if err != nil {
		b.Fatalf("capacity of evm-to-fabric's destination: %v", err)
	}
	for i := range routes {
		routes[i].Capacity = rate
	}
	fc.printConflicts(b)
	return routes
}

func loadCosmosEVM(b *testing.B, n int) []loadRoute {
	x := setupCosmosEVM(b, "unordered")
	lp := x.startLiaison(b)
	x.b.publish(b, x.outB, x.name, n, "load-ec")
	x.cn.publishBatched(b, x.client, "ledger-b", n, 50, "load-ce")
	return loadFinish(b, lp, x.cfgPath, x.metrics, n, "cosmos-to-evm", "evm-to-cosmos")
}

// loadFinish waits until /metrics counts n records delivered on each
// route, stops liaison and returns what `liaison stats` says of the
// routes.
func loadFinish(b *testing.B, lp *proc, cfgPath, metrics string, n int, routes ...string) []loadRoute {
	b.Helper()
	waitFor(b, fmt.Sprintf("%d records delivered on %s", n, strings.Join(routes, " and ")), 20*time.Minute, func() bool {
		_, body := httpGet("http://" + metrics + "/metrics")
		for _, r := range routes {
			if delivered(body, r) < n {
				return false
			}
		}
		return true
	})
	if code := lp.stop(b, syscall.SIGTERM); code != 0 {
		b.Errorf("liaison exited %d on SIGTERM", code)
	}
	out := mustLiaisonStdout(b, "stats", "-c", cfgPath, "--since", "all", "--json")
	var doc struct {
		Routes []loadRoute `json:"routes"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		b.Fatalf("liaison stats --json: %v\n%s", err, out)
	}
	var got []loadRoute
	for _, want := range routes {
		for _, r := range doc.Routes {
			if r.Route == want {
				if r.Records != n {
					b.Errorf("route %s: stats counts %d confirmed records, want %d", want, r.Records, n)
				}
				got = append(got, r)
			}
		}
	}
	if len(got) != len(routes) {
		b.Fatalf("liaison stats lists routes %+v, want %v", doc.Routes, routes)
	}
	return got
}

// loadRoute is the part of a route in `liaison stats --json` that the table
// shows.
type loadRoute struct {
	Route         string  `json:"route"`
	Records       int     `json:"records"`
	RecordsPerSec float64 `json:"records_per_s"`
	// Capacity is the destination's own records/s with transactions of
	// the same shape (see evmEVM.capacity); zero when not measured.
	Capacity float64 `json:"-"`
	Setup    string  `json:"-"` // the harness setup that ran the route
	Stages   []struct {
		Stage string  `json:"stage"`
		N     int     `json:"n"`
		P50   float64 `json:"p50_ms"`
		P95   float64 `json:"p95_ms"`
		P99   float64 `json:"p99_ms"`
	} `json:"stages"`
}

// printLoadTable writes a Markdown table: one row per route, one column per
// leg with its p50 / p95 / p99.
func printLoadTable(w io.Writer, routes []loadRoute) {
	var stages []string
	for _, s := range routes[0].Stages {
		stages = append(stages, s.Stage)
	}
	fmt.Fprintf(w, "| setup | route | records | records/s | destination capacity | share | %s |\n", strings.Join(stages, " | "))
	fmt.Fprintf(w, "| --- | --- | ---: | ---: | ---: | ---: |%s\n", strings.Repeat(" ---: |", len(stages)))
	for _, r := range routes {
		cells := make([]string, len(stages))
		for i, name := range stages {
			cells[i] = "n/a"
			for _, s := range r.Stages {
				if s.Stage == name && s.N > 0 {
					cells[i] = fmt.Sprintf("%s / %s / %s", loadMS(s.P50), loadMS(s.P95), loadMS(s.P99))
				}
			}
		}
		capacity, share := "n/a", "n/a"
		if r.Capacity > 0 {
			capacity, share = fmt.Sprintf("%.1f", r.Capacity), fmt.Sprintf("%.0f%%", 100*r.RecordsPerSec/r.Capacity)
		}
		fmt.Fprintf(w, "| %s | %s | %d | %.1f | %s | %s | %s |\n", r.Setup, r.Route, r.Records, r.RecordsPerSec, capacity, share, strings.Join(cells, " | "))
	}
}

// loadMS prints milliseconds with two or three significant digits.
func loadMS(ms float64) string {
	abs := ms
	if abs < 0 {
		abs = -abs
	}
	switch {
	case abs >= 1000:
		return fmt.Sprintf("%.2f s", ms/1000)
	case abs >= 10:
		return fmt.Sprintf("%.0f ms", ms)
	default:
		return fmt.Sprintf("%.2f ms", ms)
	}
}
