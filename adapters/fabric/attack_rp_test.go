package fabric

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
	"github.com/liaison-gw/liaison/relayer"
)

// Attack on the RecordsPublished path: resource amplification, not an
// acceptance of a forged record (an attacker review found none).
//
// Any channel member may call PublishRecords. The transaction's one
// chaincode event carries every record with its payload, and Fabric's
// block data hash covers every envelope, so the bundle of each record must
// carry the whole block: the relayer proves, stores and verifies about
// n × block bytes per transaction. With the first bounds (1,000 records,
// payload unbounded) one transaction of 1,000 × 4 KiB gave 7.9 MB bundles,
// 7.5 GB of evidence and minutes of verification. The chaincode now keeps
// a transaction to MaxPublishBatch records and MaxPublishBatchBytes of
// payload, and the verifier refuses events beyond them.
//
// This test builds the largest transaction the bounds allow and checks
// that all its records' evidence stays under 48 MiB: about what one
// PublishRecord with a 10 MB payload (Fabric's default AbsoluteMaxBytes)
// already costs, since its payload is in both the proposal and the event.
func TestAttackRPBundleAmplification(t *testing.T) {
	const (
		n       = MaxPublishBatch
		payload = MaxPublishBatchBytes / n
		limit   = 48 << 20
	)
	s := newSynthetic(t)
	var writes []fabrictest.Write
	var event []chaincodeRecord
	var recs []relayer.Record
	for i := range n {
		seq := uint64(i + 1)
		rec := relayer.NewTestRecord("registry", []byte("records"), seq, bytes.Repeat([]byte{byte(i)}, payload))
		rec.Destination, rec.Receiver, rec.ContentType = "procurement", "licensing", "application/octet-stream"
		d, err := RecordDigest(&rec)
		if err != nil {
			t.Fatal(err)
		}
		writes = append(writes, fabrictest.Write{Namespace: "records", Key: StateKey(rec.ID), Value: d[:]})
		event = append(event, toChaincode(&rec))
		recs = append(recs, rec)
	}
	body := mustMarshal(t, event)
	env, txID, err := s.n.EndorserTx(fabrictest.TxSpec{Creator: s.n.AppOrgs[0].Client, Chaincode: "records",
		Endorsers: []*fabrictest.Identity{s.n.AppOrgs[0].Peer(), s.n.AppOrgs[1].Peer()},
		Writes:    writes, Event: EventRecordsPublished, EventBody: body})
	if err != nil {
		t.Fatal(err)
	}
	num := s.add(0, env)
	block := s.blocks[num]
	v := NewVerifier(WithChain("registry"), WithChaincode("records"))

	// Every record's bundle is the whole block; check two of them (the
	// others differ only in the record).
	var total int64
	var per time.Duration
	for _, i := range []int{0, n - 1} {
		rec := recs[i]
		rec.Source.Height, rec.Source.TxID = relayer.Height(num), txID
		ev := &relayer.Evidence{
			Version: relayer.EvidenceVersion, Ledger: relayer.LedgerFabric, TrustModel: TrustModel, Record: rec,
			Inclusion: mustMarshal(t, Inclusion{Block: block, TxIndex: 0, TxID: txID}),
			Consensus: mustMarshal(t, Consensus{ConfigBlocks: [][]byte{}}),
			Anchor:    s.anchor,
		}
		start := time.Now()
		if _, err := v.Verify(ev, s.anchor, time.Time{}); err != nil {
			t.Fatalf("record %d of the batch does not verify: %v", i, err)
		}
		per = time.Since(start)
		raw, err := relayer.EncodeEvidence(ev)
		if err != nil {
			t.Fatal(err)
		}
		total = int64(len(raw)) * n
	}
	t.Logf("one PublishRecords of %d × %d B: block %d B; each record's bundle %d B; all bundles %d MB; one Verify %v",
		n, payload, len(block), total/n, total>>20, per)
	if total > limit {
		t.Fatalf("the %d records of one transaction need %d bytes of evidence, over %d", n, total, limit)
	}
}

// The verifier refuses a RecordsPublished event beyond the chaincode's
// bounds, whatever the chaincode that endorsed it did.
func TestAttackRPEventBeyondBounds(t *testing.T) {
	v := NewVerifier(WithChain("registry"), WithChaincode("records"))
	for _, c := range []struct {
		name    string
		n, size int
	}{
		{"one record too many", MaxPublishBatch + 1, 10},
		{"one payload byte too many", 2, MaxPublishBatchBytes/2 + 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSynthetic(t)
			var writes []fabrictest.Write
			var event []chaincodeRecord
			var first relayer.Record
			for i := range c.n {
				rec := relayer.NewTestRecord("registry", []byte("records"), uint64(i+1), bytes.Repeat([]byte{'x'}, c.size))
				rec.Destination = "procurement"
				d, _ := RecordDigest(&rec)
				writes = append(writes, fabrictest.Write{Namespace: "records", Key: StateKey(rec.ID), Value: d[:]})
				event = append(event, toChaincode(&rec))
				if i == 0 {
					first = rec
				}
			}
			env, txID, err := s.n.EndorserTx(fabrictest.TxSpec{Creator: s.n.AppOrgs[0].Client, Chaincode: "records",
				Endorsers: []*fabrictest.Identity{s.n.AppOrgs[0].Peer(), s.n.AppOrgs[1].Peer()},
				Writes:    writes, Event: EventRecordsPublished, EventBody: mustMarshal(t, event)})
			if err != nil {
				t.Fatal(err)
			}
			num := s.add(0, env)
			first.Source.Height, first.Source.TxID = relayer.Height(num), txID
			ev := &relayer.Evidence{
				Version: relayer.EvidenceVersion, Ledger: relayer.LedgerFabric, TrustModel: TrustModel, Record: first,
				Inclusion: mustMarshal(t, Inclusion{Block: s.blocks[num], TxIndex: 0, TxID: txID}),
				Consensus: mustMarshal(t, Consensus{ConfigBlocks: [][]byte{}}),
				Anchor:    s.anchor,
			}
			if _, err := v.Verify(ev, s.anchor, time.Time{}); !errors.Is(err, ErrWrongEvent) {
				t.Fatalf("Verify = %v, want %v", err, ErrWrongEvent)
			}
		})
	}
}
