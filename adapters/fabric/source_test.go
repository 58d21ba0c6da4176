package fabric

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
	"github.com/liaison-gw/liaison/relayer"
)

// fakeBlocks serves blocks like a peer's block event stream: in order from
// the start block, then it waits (as a peer does for blocks to come) until
// the context ends. With failAt it ends the stream before that block.
type fakeBlocks struct {
	list   []*common.Block
	failAt uint64 // 0: never
}

func (f *fakeBlocks) name() string { return "fake-peer" }

func (f *fakeBlocks) height(context.Context) (uint64, error) { return uint64(len(f.list)), nil }

func (f *fakeBlocks) blocks(ctx context.Context, from uint64) (<-chan *common.Block, error) {
	ch := make(chan *common.Block)
	go func() {
		defer close(ch)
		for n := from; n < uint64(len(f.list)); n++ {
			if f.failAt != 0 && n == f.failAt {
				return
			}
			select {
			case ch <- f.list[n]:
			case <-ctx.Done():
				return
			}
		}
		<-ctx.Done()
	}()
	return ch, nil
}

// chainOfBlocks builds a channel with fabrictest: block 0 is the genesis
// block, then one block per element of txs, each transaction given as
// (record sequence, destination, validation code, chaincode); sequence 0
// makes a transaction of another kind (no RecordPublished event).
type txSpec struct {
	seq       uint64
	dest      string
	flag      byte
	batch     int // > 1: a PublishRecords of sequences seq to seq+batch-1
	chaincode string
}

func chainOfBlocks(t *testing.T, blocks ...[]txSpec) (*fakeBlocks, map[uint64]string) {
	t.Helper()
	n, err := fabrictest.NewNetwork(fabrictest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	genesis, err := n.GenesisBlock()
	if err != nil {
		t.Fatal(err)
	}
	raws := [][]byte{genesis}
	txIDs := map[uint64]string{}
	for i, txs := range blocks {
		var envs [][]byte
		var flags []byte
		for _, s := range txs {
			cc := s.chaincode
			if cc == "" {
				cc = "records"
			}
			spec := fabrictest.TxSpec{Creator: n.AppOrgs[0].Client, Chaincode: cc, Endorsers: []*fabrictest.Identity{n.AppOrgs[0].Peer(), n.AppOrgs[1].Peer()}}
			if s.seq > 0 {
				var event []chaincodeRecord
				for seq := s.seq; seq < s.seq+uint64(max(s.batch, 1)); seq++ {
					rec := relayer.NewTestRecord("registry", []byte(cc), seq, []byte("payload"))
					rec.Destination, rec.Receiver, rec.ContentType = relayer.ChainID(s.dest), "licensing", "text/plain"
					d, _ := RecordDigest(&rec)
					event = append(event, toChaincode(&rec))
					spec.Writes = append(spec.Writes, fabrictest.Write{Namespace: cc, Key: StateKey(rec.ID), Value: d[:]})
				}
				if s.batch > 1 {
					spec.Event = EventRecordsPublished
					spec.EventBody, _ = json.Marshal(event)
				} else {
					spec.Event = EventRecordPublished
					spec.EventBody, _ = json.Marshal(event[0])
				}
			} else {
				spec.Event, spec.EventBody = "ConfigChanged", []byte("{}")
			}
			env, txID, err := n.EndorserTx(spec)
			if err != nil {
				t.Fatal(err)
			}
			if s.seq > 0 && s.flag == 0 && cc == "records" {
				for seq := s.seq; seq < s.seq+uint64(max(s.batch, 1)); seq++ {
					txIDs[seq] = txID
				}
			}
			envs = append(envs, env)
			flags = append(flags, s.flag)
		}
		prev, err := fabrictest.BlockHash(raws[len(raws)-1])
		if err != nil {
			t.Fatal(err)
		}
		raw, err := n.Block(fabrictest.BlockSpec{Number: uint64(i + 1), PrevHash: prev, Envelopes: envs, Flags: flags})
		if err != nil {
			t.Fatal(err)
		}
		raws = append(raws, raw)
	}
	f := &fakeBlocks{}
	for _, raw := range raws {
		var b common.Block
		if err := proto.Unmarshal(raw, &b); err != nil {
			t.Fatal(err)
		}
		f.list = append(f.list, &b)
	}
	return f, txIDs
}

func testSource(sel config.Selector, start uint64) *source {
	cfg := config.Fabric{Chaincode: "records"}
	cfg.ApplyDefaults()
	c := &Chain{name: "registry", cfg: cfg, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return &source{c: c, sel: sel, start: start}
}

// drain polls until the source has nothing new, with the given limit.
func drain(t *testing.T, s *source, bs blockSource, cur relayer.Cursor, limit int) ([]relayer.Record, relayer.Cursor, int) {
	t.Helper()
	var out []relayer.Record
	for polls := 1; polls < 100; polls++ {
		c, err := parseCursor(cur, s.start)
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.poll(context.Background(), bs, c, cur, limit)
		if err != nil {
			t.Fatalf("poll %d from %s: %v", polls, cur, err)
		}
		// Only the records of one PublishRecords transaction, which
		// come together, may pass the limit.
		if n := len(b.Records); n > limit && b.Records[limit-1].Source.TxID != b.Records[n-1].Source.TxID {
			t.Fatalf("%d records for limit %d", len(b.Records), limit)
		}
		out = append(out, b.Records...)
		if len(b.Records) == 0 && b.Next == cur {
			return out, cur, polls
		}
		if b.Head != relayer.Height(len(bs.(*fakeBlocks).list)-1) {
			t.Errorf("head %d", b.Head)
		}
		cur = b.Next
	}
	t.Fatal("the source never ran dry")
	return nil, "", 0
}

// A PublishRecords transaction's records come in one poll, in order,
// whatever the limit; the next poll starts after that transaction.
func TestSourceReadsPublishRecords(t *testing.T) {
	bs, txIDs := chainOfBlocks(t,
		[]txSpec{{seq: 1, dest: "procurement"}, {seq: 2, dest: "procurement", batch: 4}, {seq: 6, dest: "procurement"}},
		[]txSpec{{seq: 7, dest: "procurement", batch: 3}},
	)
	for _, limit := range []int{1, 2, 3, 100} {
		recs, _, polls := drain(t, testSource(config.Selector{Destination: "procurement"}, 0), bs, "", limit)
		var seqs []uint64
		for _, r := range recs {
			seqs = append(seqs, r.Source.Sequence)
			if r.Source.TxID != txIDs[r.Source.Sequence] {
				t.Errorf("limit %d: record %d: tx %s, want %s", limit, r.Source.Sequence, r.Source.TxID, txIDs[r.Source.Sequence])
			}
		}
		if want := []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9}; !equalSeqs(seqs, want) {
			t.Fatalf("limit %d: sequences %v, want %v", limit, seqs, want)
		}
		t.Logf("limit %d: %d polls", limit, polls)
	}
}

func TestSourceReadsValidRecordsInOrder(t *testing.T) {
	const mvcc = 11
	bs, txIDs := chainOfBlocks(t,
		[]txSpec{{seq: 1, dest: "procurement"}, {seq: 2, dest: "procurement", flag: mvcc}, {seq: 2, dest: "procurement"}, {seq: 0}},
		[]txSpec{{seq: 3, dest: "finance"}, {seq: 1, dest: "procurement", chaincode: "other"}},
		[]txSpec{{seq: 4, dest: "procurement"}, {seq: 5, dest: "procurement"}, {seq: 6, dest: "procurement"}},
	)
	sel := config.Selector{Destination: "procurement"}
	for _, limit := range []int{1, 2, 100} {
		recs, cur, polls := drain(t, testSource(sel, 0), bs, "", limit)
		var seqs []uint64
		for _, r := range recs {
			seqs = append(seqs, r.Source.Sequence)
			if err := r.Check(); err != nil {
				t.Error(err)
			}
			if r.Source.TxID != txIDs[r.Source.Sequence] || string(r.Source.Emitter) != "records" || r.Source.Chain != "registry" {
				t.Errorf("record %d: %+v", r.Source.Sequence, r.Source)
			}
			// The source time is the channel header's timestamp, which
			// fabrictest sets to a fixed instant.
			if want := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC); !r.Source.Time.Equal(want) || r.Source.Time.Location() != time.UTC {
				t.Errorf("record %d: source time %v, want %v", r.Source.Sequence, r.Source.Time, want)
			}
		}
		if want := []uint64{1, 2, 4, 5, 6}; !equalSeqs(seqs, want) {
			t.Fatalf("limit %d: sequences %v, want %v", limit, seqs, want)
		}
		if recs[0].Source.Height != 1 || recs[2].Source.Height != 3 {
			t.Errorf("heights %d, %d", recs[0].Source.Height, recs[2].Source.Height)
		}
		c, _ := parseCursor(cur, 0)
		if c.next != 4 || c.skip != 0 || len(c.hash) != 32 {
			t.Errorf("limit %d: final cursor %s", limit, cur)
		}
		t.Logf("limit %d: %d polls", limit, polls)
	}
	// Any destination: the finance record too.
	recs, _, _ := drain(t, testSource(config.Selector{}, 0), bs, "", 10)
	if len(recs) != 6 {
		t.Errorf("unfiltered: %d records, want 6", len(recs))
	}
	// start_block skips what is below it.
	recs, _, _ = drain(t, testSource(sel, 3), bs, "", 10)
	if len(recs) != 3 || recs[0].Source.Sequence != 4 {
		t.Errorf("from block 3: %d records", len(recs))
	}
}

func equalSeqs(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSourceStopsMidBlock checks the cursor of a batch that ends in the
// middle of a block: the next poll starts at the next record of the same
// block, and checks that block's link.
func TestSourceStopsMidBlock(t *testing.T) {
	bs, _ := chainOfBlocks(t, []txSpec{{seq: 1, dest: "p"}, {seq: 2, dest: "p"}, {seq: 3, dest: "p"}})
	s := testSource(config.Selector{}, 0)
	b, err := s.poll(context.Background(), bs, cursor{}, "", 2)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := parseCursor(b.Next, 0)
	if len(b.Records) != 2 || c.next != 1 || c.skip != 2 || b.Reached != 0 {
		t.Fatalf("batch: %d records, cursor %s, reached %d", len(b.Records), b.Next, b.Reached)
	}
	b, err = s.poll(context.Background(), bs, c, b.Next, 2)
	if err != nil || len(b.Records) != 1 || b.Records[0].Source.Sequence != 3 || b.Reached != 1 {
		t.Fatalf("second batch: %+v, %v", b, err)
	}
}

func TestSourceRefusesAnotherLedger(t *testing.T) {
	bs, _ := chainOfBlocks(t, []txSpec{{seq: 1, dest: "p"}}, []txSpec{{seq: 2, dest: "p"}})
	other, _ := chainOfBlocks(t, []txSpec{{seq: 1, dest: "p"}}, []txSpec{{seq: 2, dest: "p"}})
	s := testSource(config.Selector{}, 0)
	b, err := s.poll(context.Background(), bs, cursor{}, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := parseCursor(b.Next, 0)
	// Same cursor, another network's blocks (re-created under the same name).
	_, err = s.poll(context.Background(), other, c, b.Next, 10)
	var le *relayer.ForkError
	if !errors.As(err, &le) || !errors.Is(err, relayer.ErrPermanent) || le.Height != c.next-1 {
		t.Fatalf("got %v, want a *relayer.ForkError", err)
	}
}

func TestSourceStreamFailure(t *testing.T) {
	bs, _ := chainOfBlocks(t, []txSpec{{seq: 1, dest: "p"}}, []txSpec{{seq: 2, dest: "p"}}, []txSpec{{seq: 3, dest: "p"}})
	s := testSource(config.Selector{}, 0)
	bs.failAt = 2
	b, err := s.poll(context.Background(), bs, cursor{}, "", 10)
	if err != nil || len(b.Records) != 1 || b.Reached != 1 {
		t.Fatalf("partial batch: %+v, %v", b, err)
	}
	c, _ := parseCursor(b.Next, 0)
	if _, err := s.poll(context.Background(), bs, c, b.Next, 10); !errors.Is(err, relayer.ErrUnavailable) {
		t.Fatalf("nothing read: got %v, want ErrUnavailable", err)
	}
	// A stream that stalls below the height: bounded by timeouts.evaluate.
	s.c.cfg.Timeouts.Evaluate = 50 * time.Millisecond
	stall := &stallBlocks{fakeBlocks: bs}
	start := time.Now()
	if _, err := s.poll(context.Background(), stall, c, b.Next, 10); !errors.Is(err, relayer.ErrUnavailable) {
		t.Fatalf("stalled: got %v, want ErrUnavailable", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("a stalled stream held Poll for %s", d)
	}
}

// stallBlocks reports a height but never sends a block.
type stallBlocks struct{ *fakeBlocks }

func (s *stallBlocks) blocks(ctx context.Context, from uint64) (<-chan *common.Block, error) {
	ch := make(chan *common.Block)
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}

func TestSourceNothingNew(t *testing.T) {
	bs, _ := chainOfBlocks(t, []txSpec{{seq: 1, dest: "p"}})
	s := testSource(config.Selector{}, 0)
	_, cur, _ := drain(t, s, bs, "", 10)
	c, _ := parseCursor(cur, 0)
	b, err := s.poll(context.Background(), bs, c, cur, 10)
	if err != nil || b.Next != cur || len(b.Records) != 0 || b.Head != 1 || b.Reached != 1 {
		t.Fatalf("%+v, %v", b, err)
	}
}

func TestSourceBadEvent(t *testing.T) {
	bs, _ := chainOfBlocks(t, []txSpec{{seq: 1, dest: "p"}})
	// Replace the event payload with junk in the decoded block.
	b := bs.list[1]
	txs, err := blockTxs(b)
	if err != nil || len(txs) != 1 {
		t.Fatal(err)
	}
	tx := txs[0]
	tx.event.Payload = []byte("{not json")
	s := testSource(config.Selector{}, 0)
	if _, err := s.decode(1, &tx); !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("got %v, want ErrPermanent", err)
	}
}

func TestCursorFormat(t *testing.T) {
	for _, bad := range []relayer.Cursor{"evm1:1:0:-", "fab1:x:0:-", "fab1:1:-1:-", "fab1:1:0:zz", "fab1:1:0"} {
		if _, err := parseCursor(bad, 0); !errors.Is(err, relayer.ErrPermanent) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	c := cursor{next: 9, skip: 2, hash: make([]byte, 32)}
	got, err := parseCursor(c.encode(), 0)
	if err != nil || !got.equal(c) {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	if got, _ := parseCursor("", 5); got.next != 5 {
		t.Fatalf("empty cursor starts at %d", got.next)
	}
}
