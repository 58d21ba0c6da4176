//go:build !nodemo

// The demo is left out of builds with -tags nodemo (make build): its
// in-process chains are not for production.

package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/spf13/cobra"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
	"github.com/liaison-gw/liaison/adapters/evm/devchain"
	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

type demoOptions struct {
	records   int
	ordered   bool
	batch     int // records per destination transaction; 0 or 1: one each
	dir       string
	blockTime time.Duration
	timeout   time.Duration
	quiet     bool
	serve     bool // keep the relayer and its HTTP API running until interrupted
}

func newDemoCmd() *cobra.Command {
	var o demoOptions
	c := &cobra.Command{
		Use:   "demo",
		Short: "Relay records between two in-process EVM chains, end to end",
		Long: `Demo starts two in-process EVM chains (go-ethereum's simulated backend), one for
department A and one for department B, and deploys the Outbox on A and the Inbox on B.
It writes a configuration for a route from A to B, starts the real relayer on it (real
engine, SQLite store and proof verification, chains reached over JSON-RPC), publishes
records on A and prints each one as it is delivered on B. Then it re-checks one
evidence bundle offline and shows that a forged copy is rejected. Nothing to install
beyond Go.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			return runDemo(ctx, cmd.OutOrStdout(), o)
		},
	}
	c.Flags().IntVar(&o.records, "records", 5, "records to publish")
	c.Flags().BoolVar(&o.ordered, "ordered", false, "deliver in source order (an ordered route)")
	c.Flags().IntVar(&o.batch, "batch", 0, "deliver up to this many records per destination transaction (a batching route)")
	c.Flags().StringVar(&o.dir, "dir", "", "directory for the config, store, logs and traces (default: a new temporary directory)")
	c.Flags().DurationVar(&o.blockTime, "block-time", time.Second, "block period of the in-process chains (blocks come at most once a second, so that their timestamps keep to the clock)")
	c.Flags().DurationVar(&o.timeout, "timeout", 2*time.Minute, "give up after this long (on delivering the records; --serve then runs until interrupted)")
	c.Flags().BoolVar(&o.serve, "serve", false, "after the records are delivered, keep the relayer and its HTTP API running and print its address; stop with Ctrl-C")
	return c
}

// demoRun is one demo: two chains, a config and a relayer.
type demoRun struct {
	o        demoOptions
	out      io.Writer
	dir      string
	cfgPath  string
	a, b     *devchain.Chain
	outbox   common.Address
	inbox    common.Address
	relayerK string

	latencies []time.Duration // of delivered records, sorted
}

func runDemo(ctx context.Context, out io.Writer, o demoOptions) error {
	interrupted := ctx // --serve runs until this ends
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	d := &demoRun{o: o, out: out}
	if err := d.setup(ctx); err != nil {
		return err
	}
	defer d.a.Close()
	defer d.b.Close()

	cfg, err := config.Load(d.cfgPath)
	if err != nil {
		return fmt.Errorf("demo config: %w", err)
	}
	logFile, err := os.Create(filepath.Join(d.dir, "liaison.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	p, err := openRelayer(ctx, cfg, logFile)
	if err != nil {
		return err
	}
	defer p.close()
	runParent := ctx
	if o.serve {
		runParent = interrupted
	}
	runCtx, stopRelayer := context.WithCancel(runParent)
	runErr := make(chan error, 1)
	go func() { runErr <- p.run(runCtx) }()

	published, err := d.publish(ctx)
	if err != nil {
		// Stop the relayer before the deferred close takes its store.
		stopRelayer()
		<-runErr
		return err
	}
	if err := d.follow(ctx, p.store, published); err != nil {
		stopRelayer()
		<-runErr
		return fmt.Errorf("%w (the relayer's log is %s)", err, logFile.Name())
	}
	if o.serve {
		err := d.recheck(ctx, p.store, published[0].id)
		if err == nil {
			d.serveUntil(interrupted, p)
		}
		stopRelayer()
		if rerr := <-runErr; err == nil {
			err = rerr
		}
		return err
	}
	stopRelayer()
	if err := <-runErr; err != nil {
		return err
	}
	return d.recheck(ctx, p.store, published[0].id)
}

// setup starts the chains, deploys the contracts and writes the config.
func (d *demoRun) setup(ctx context.Context) error {
	d.dir = d.o.dir
	if d.dir == "" {
		var err error
		if d.dir, err = os.MkdirTemp("", "liaison-demo-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return err
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		return err
	}
	attestor := crypto.PubkeyToAddress(key.PublicKey)
	d.relayerK = filepath.Join(d.dir, "relayer.key")
	if err := os.WriteFile(d.relayerK, []byte(hex.EncodeToString(crypto.FromECDSA(key))+"\n"), 0o600); err != nil {
		return err
	}
	say := func(format string, args ...any) {
		if !d.o.quiet {
			fmt.Fprintf(d.out, format, args...)
		}
	}
	say("Liaison demo: department A → department B on two in-process EVM chains\n")
	say("  workdir    %s\n", d.dir)
	for _, name := range []string{"a", "b"} {
		if err := os.MkdirAll(filepath.Join(d.dir, "chain-"+name), 0o755); err != nil {
			return err
		}
	}
	if d.a, err = devchain.Start(devchain.Options{Dir: filepath.Join(d.dir, "chain-a"), BlockTime: d.o.blockTime}); err != nil {
		return fmt.Errorf("start chain A: %w", err)
	}
	if d.b, err = devchain.Start(devchain.Options{Dir: filepath.Join(d.dir, "chain-b"), BlockTime: d.o.blockTime, Funded: []common.Address{attestor}}); err != nil {
		d.a.Close()
		return fmt.Errorf("start chain B: %w", err)
	}
	if d.outbox, err = d.a.DeployOutbox(ctx, "dept-a"); err != nil {
		return err
	}
	if d.inbox, err = d.b.DeployInbox(ctx, "dept-b", []common.Address{attestor}, 1); err != nil {
		return err
	}
	say("  chain A    Outbox %s (IPC %s)\n", d.outbox.Hex(), d.a.IPC)
	say("  chain B    Inbox  %s (attestor %s, threshold 1)\n", d.inbox.Hex(), attestor.Hex())
	ordering := "unordered"
	if d.o.ordered {
		ordering = "ordered"
	}
	d.cfgPath = filepath.Join(d.dir, "liaison.yaml")
	serveCfg := ""
	if d.o.serve {
		// Any free port on loopback; the API is read-only without tokens.
		serveCfg = "\n  listen: 127.0.0.1:0\napi:\n  listen: 127.0.0.1:0"
	}
	cfg := fmt.Sprintf(`# Written by liaison demo.
store:
  path: liaison.db
telemetry:
  log: {level: info}
  traces: {file: traces.jsonl}%s
chains:
  - name: dept-a
    kind: evm
    evm:
      rpc: [%s]
      chain_id: %d
      outbox: "%s"
      trust: {mode: finality, confirmations: 1}
  - name: dept-b
    kind: evm
    evm:
      rpc: [%s]
      chain_id: %d
      inbox: "%s"
      trust: {mode: finality, confirmations: 1}
      signer: {key: {file: relayer.key}, balance_warning: "10", balance_critical: "1"}
      gas: {stuck_after: 10s}
routes:
  - name: a-to-b
    source: {chain: dept-a}
    destination: {chain: dept-b, receiver: licensing}
    ordering: %s
    poll_interval: %s
    confirm_interval: %s
    retry: {initial_backoff: 100ms, max_backoff: 2s}
`, serveCfg, d.a.IPC, d.a.ChainID, d.outbox.Hex(), d.b.IPC, d.b.ChainID, d.inbox.Hex(), ordering, d.o.blockTime/2, d.o.blockTime/2)
	route := ordering + " route a-to-b"
	if d.o.batch > 1 {
		cfg += fmt.Sprintf("    batch: {max_records: %d, max_wait: %s}\n", d.o.batch, d.o.blockTime)
		route += fmt.Sprintf(", batches of up to %d", d.o.batch)
	}
	if err := os.WriteFile(d.cfgPath, []byte(cfg), 0o644); err != nil {
		return err
	}
	say("  config     %s (%s, rpc-finality trust, 1 confirmation)\n\n", d.cfgPath, route)
	return nil
}

type publishedRecord struct {
	id      relayer.RecordID
	seq     uint64
	tx      common.Hash
	started time.Time
}

// publish publishes the records on chain A, all at once, and waits for
// them to be mined.
func (d *demoRun) publish(ctx context.Context) ([]publishedRecord, error) {
	ob := contracts.NewOutbox()
	type sent struct {
		tx      *types.Transaction
		started time.Time
	}
	msgs := make([]devchain.Message, d.o.records)
	for i := range msgs {
		payload := fmt.Sprintf(`{"type":"e-licence","licence":"LIC-%04d","holder":"Company %d","valid_until":"2027-12-31"}`, i+1, i+1)
		msgs[i] = devchain.Message{Destination: "dept-b", Receiver: "licensing", ContentType: "application/json", Payload: []byte(payload)}
	}
	started := time.Now()
	sentTxs, err := d.a.Publish(ctx, d.outbox, msgs)
	if err != nil {
		return nil, err
	}
	txs := make([]sent, len(sentTxs))
	for i, tx := range sentTxs {
		txs[i] = sent{tx, started}
	}
	var out []publishedRecord
	for _, s := range txs {
		r, err := d.a.Wait(ctx, s.tx)
		if err != nil {
			return nil, err
		}
		for _, l := range r.Logs {
			ev, err := ob.UnpackRecordPublishedEvent(l)
			if err != nil {
				continue
			}
			out = append(out, publishedRecord{id: ev.Id, seq: ev.Sequence, tx: s.tx.Hash(), started: s.started})
		}
	}
	if !d.o.quiet {
		fmt.Fprintf(d.out, "Published %d records on A; relaying:\n", len(out))
	}
	return out, nil
}

// follow prints each record as it is confirmed on B.
func (d *demoRun) follow(ctx context.Context, store relayer.Store, recs []publishedRecord) error {
	pending := map[relayer.RecordID]publishedRecord{}
	for _, r := range recs {
		pending[r.id] = r
	}
	var latencies []time.Duration
	// The run spans the first publish to the last confirmation: follow
	// starts once every publish is mined, when some records are already
	// delivered.
	var first, last time.Time
	for _, r := range recs {
		if first.IsZero() || r.started.Before(first) {
			first = r.started
		}
	}
	for len(pending) > 0 {
		for id, p := range pending {
			es, err := store.Get(ctx, id)
			if err != nil || len(es) == 0 {
				continue
			}
			e := es[0]
			switch e.State {
			case relayer.StateConfirmed:
				lat := e.UpdatedAt.Sub(p.started)
				latencies = append(latencies, lat)
				if e.UpdatedAt.After(last) {
					last = e.UpdatedAt
				}
				ev, _ := relayer.DecodeEvidence(e.Evidence)
				model := "?"
				if ev != nil {
					model = ev.TrustModel
				}
				if !d.o.quiet {
					fmt.Fprintf(d.out, "  #%-3d %s\n       source tx %s → dest tx %s\n       proof verified (%s), delivered in %s\n",
						p.seq, id, p.tx.Hex(), e.DestTx, model, lat.Round(time.Millisecond))
				}
				delete(pending, id)
			case relayer.StateDead:
				return fmt.Errorf("record %s is dead: %s", id, e.LastError)
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d record(s) not delivered in time: %w", len(pending), ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	d.latencies = latencies
	// "Exactly once" is what chain B says, not what the relayer's store
	// says: one RecordDelivered event of the Inbox per published record.
	if err := d.deliveredOnceOnB(ctx, recs); err != nil {
		return err
	}
	if !d.o.quiet {
		fmt.Fprintf(d.out, "\nDelivered %d/%d records exactly once (chain B's Inbox emitted one RecordDelivered event for each), %s from the first publish to the last confirmation; median latency %s (blocks every %s, 1 confirmation on each side).\n",
			len(latencies), len(recs), last.Sub(first).Round(time.Millisecond), latencies[len(latencies)/2].Round(time.Millisecond), d.o.blockTime)
	}
	return nil
}

// deliveredOnceOnB checks, from chain B's own logs, that the Inbox
// delivered each of recs exactly once and nothing else.
func (d *demoRun) deliveredOnceOnB(ctx context.Context, recs []publishedRecord) error {
	ib := contracts.NewInbox()
	logs, err := d.b.Client.FilterLogs(ctx, ethereum.FilterQuery{Addresses: []common.Address{d.inbox}, FromBlock: big.NewInt(0)})
	if err != nil {
		return fmt.Errorf("read the Inbox's events on B: %w", err)
	}
	count := map[relayer.RecordID]int{}
	for i := range logs {
		if ev, err := ib.UnpackRecordDeliveredEvent(&logs[i]); err == nil {
			count[relayer.RecordID(ev.Id)]++
		}
	}
	for _, r := range recs {
		if n := count[r.id]; n != 1 {
			return fmt.Errorf("record %s: chain B's Inbox delivered it %d times, want exactly once", r.id, n)
		}
		delete(count, r.id)
	}
	for id, n := range count {
		return fmt.Errorf("chain B's Inbox delivered record %s (%d times), which the demo never published", id, n)
	}
	return nil
}

// recheck exports one bundle, verifies it offline, and shows a forged copy
// rejected.
// serveUntil prints where the relayer's HTTP API answers and waits for
// ctx to end (Ctrl-C).
func (d *demoRun) serveUntil(ctx context.Context, p *relayerProcess) {
	base := "http://" + p.api.Addr() + "/api/v1"
	fmt.Fprintf(d.out, "\nThe relayer keeps running. Open the explorer in a browser:\n  http://%s/explorer/\n", p.api.Addr())
	fmt.Fprintf(d.out, "Its HTTP API (read-only, on this machine only):\n")
	fmt.Fprintf(d.out, "  %s/routes\n  %s/records\n  %s/stats?since=all\n  %s/openapi.yaml\n", base, base, base, base)
	fmt.Fprintf(d.out, "  and /metrics at http://%s/metrics\n", p.tel.Addr())
	fmt.Fprintf(d.out, "Stop with Ctrl-C.\n")
	<-ctx.Done()
	fmt.Fprintf(d.out, "Stopping.\n")
}

func (d *demoRun) recheck(ctx context.Context, store relayer.Store, id relayer.RecordID) error {
	es, err := store.Get(ctx, id)
	if err != nil {
		return err
	}
	bundle := filepath.Join(d.dir, "evidence-"+id.String()[:8]+".json")
	if err := os.WriteFile(bundle, es[0].Evidence, 0o644); err != nil {
		return err
	}
	anchor, err := store.LatestAnchor(ctx, "dept-a")
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "\nRe-checking evidence offline: liaison evidence verify %s --anchor-digest %s\n"+
		"(the demo's simulated chains use rpc-finality, so the verdict is \"unproven\" and the exit code 3: no consensus signature exists to check)\n", bundle, anchor.Digest)
	v, err := verifyBundle(es[0].Evidence, anchorPin{digest: anchor.Digest}, time.Now())
	if err != nil {
		return fmt.Errorf("re-check of %s failed: %w", bundle, err)
	}
	printVerdict(d.out, es[0].Evidence, v, false, false)
	ev := v.Evidence

	// Forge a copy: another licence number, with the payload hash updated
	// so that the record itself looks consistent. Only the proof can tell.
	forgedEv := *ev
	forgedEv.Record.Payload = []byte(strings.Replace(string(ev.Record.Payload), "LIC-0001", "LIC-9999", 1))
	forgedEv.Record.PayloadHash = relayer.PayloadDigest(forgedEv.Record.Payload)
	forged, err := relayer.EncodeEvidence(&forgedEv)
	if err != nil {
		return err
	}
	forgedPath := filepath.Join(d.dir, "evidence-forged.json")
	if err := os.WriteFile(forgedPath, forged, 0o644); err != nil {
		return err
	}
	_, err = verifyBundle(forged, anchorPin{digest: anchor.Digest}, time.Now())
	if err == nil {
		return fmt.Errorf("a forged bundle (%s) verified: this is a bug", forgedPath)
	}
	fmt.Fprintf(d.out, "\nA forged copy (licence LIC-0001 changed to LIC-9999, payload hash updated to match) is rejected:\n  liaison evidence verify %s\n  %v\n", forgedPath, err)
	sum := sha256.Sum256(es[0].Evidence)
	onChain, err := d.attestedEvidenceHash(ctx, id)
	if err != nil {
		return err
	}
	if onChain != sum {
		return fmt.Errorf("the Inbox on B holds evidence hash %x for %s, but the bundle hashes to %x", onChain, id, sum)
	}
	fmt.Fprintf(d.out, "\nThe Inbox on B holds the same evidence hash in its Attested event: 0x%s\n", hex.EncodeToString(sum[:]))
	fmt.Fprintf(d.out, "\nTrace a record across both chains:\n  liaison trace %s -c %s\n", id, d.cfgPath)
	fmt.Fprintf(d.out, "Spans (OpenTelemetry, one JSON per line): %s\n", filepath.Join(d.dir, "traces.jsonl"))
	fmt.Fprintf(d.out, "Relayer log: %s\n", filepath.Join(d.dir, "liaison.log"))
	return nil
}

// attestedEvidenceHash reads the evidence hash of the record's Attested
// event from the Inbox on chain B.
func (d *demoRun) attestedEvidenceHash(ctx context.Context, id relayer.RecordID) ([32]byte, error) {
	ib := contracts.NewInbox()
	logs, err := d.b.Client.FilterLogs(ctx, ethereum.FilterQuery{Addresses: []common.Address{d.inbox}, FromBlock: big.NewInt(0)})
	if err != nil {
		return [32]byte{}, fmt.Errorf("read Inbox events on B: %w", err)
	}
	for i := range logs {
		if ev, err := ib.UnpackAttestedEvent(&logs[i]); err == nil && ev.Id == id {
			return ev.EvidenceHash, nil
		}
	}
	return [32]byte{}, fmt.Errorf("no Attested event on B for record %s", id)
}
