package fabric

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
	"github.com/liaison-gw/liaison/relayer"
)

// publishBatch adds a block with one PublishRecords transaction of the
// records with sequences first..first+n-1 and returns them with the
// evidence of each. edit, when set, changes the writes and the event's
// records before the transaction is built (the attacks below).
func (s *synthetic) publishBatch(first uint64, n int, edit func(writes *[]fabrictest.Write, event *[]chaincodeRecord)) ([]relayer.Record, []*relayer.Evidence) {
	s.t.Helper()
	var recs []relayer.Record
	var writes []fabrictest.Write
	var event []chaincodeRecord
	for i := range n {
		seq := first + uint64(i)
		rec := relayer.NewTestRecord("registry", []byte("records"), seq, fmt.Appendf(nil, "licence %d", seq))
		rec.Destination, rec.Receiver, rec.ContentType = "procurement", "licensing", "text/plain"
		d, _ := RecordDigest(&rec)
		writes = append(writes, fabrictest.Write{Namespace: "records", Key: StateKey(rec.ID), Value: d[:]})
		event = append(event, toChaincode(&rec))
		recs = append(recs, rec)
	}
	if edit != nil {
		edit(&writes, &event)
	}
	body, err := json.Marshal(event)
	if err != nil {
		s.t.Fatal(err)
	}
	var endorsers []*fabrictest.Identity
	for _, o := range s.n.AppOrgs {
		endorsers = append(endorsers, o.Peer())
	}
	env, txID, err := s.n.EndorserTx(fabrictest.TxSpec{Creator: s.n.AppOrgs[0].Client, Chaincode: "records", Endorsers: endorsers,
		Writes: writes, Event: EventRecordsPublished, EventBody: body})
	if err != nil {
		s.t.Fatal(err)
	}
	num := s.add(0, env)
	evs := make([]*relayer.Evidence, len(recs))
	for i := range recs {
		recs[i].Source.Height, recs[i].Source.TxID = relayer.Height(num), txID
		evs[i] = &relayer.Evidence{
			Version: relayer.EvidenceVersion, Ledger: relayer.LedgerFabric, TrustModel: TrustModel, Record: recs[i],
			Inclusion: mustMarshal(s.t, Inclusion{Block: s.blocks[num], TxIndex: 0, TxID: txID}),
			Consensus: mustMarshal(s.t, Consensus{ConfigBlocks: [][]byte{}}),
			Anchor:    s.anchor,
		}
	}
	return recs, evs
}

// Every record of a PublishRecords transaction verifies on its own.
func TestVerifyPublishRecords(t *testing.T) {
	s := newSynthetic(t)
	v := NewVerifier(WithChain("registry"), WithChaincode("records"))
	_, evs := s.publishBatch(1, 5, nil)
	for i, ev := range evs {
		if _, err := v.Verify(ev, s.anchor, time.Time{}); err != nil {
			t.Fatalf("record %d of the batch: %v", i, err)
		}
	}
}

// Attacks on a record published in a batch: the record's own write and
// its own entry in the event are what count, not the others'.
func TestVerifyPublishRecordsRefuses(t *testing.T) {
	v := NewVerifier(WithChain("registry"), WithChaincode("records"))
	for _, c := range []struct {
		name string
		edit func(w *[]fabrictest.Write, e *[]chaincodeRecord)
		want error
	}{
		{"its write is missing", func(w *[]fabrictest.Write, e *[]chaincodeRecord) { *w = (*w)[1:] }, ErrWrongWrite},
		{"its write holds another record's digest", func(w *[]fabrictest.Write, e *[]chaincodeRecord) {
			(*w)[0].Value = (*w)[1].Value
		}, ErrWrongWrite},
		{"the event does not list it", func(w *[]fabrictest.Write, e *[]chaincodeRecord) { *e = (*e)[1:] }, ErrWrongEvent},
		{"the event lists it twice", func(w *[]fabrictest.Write, e *[]chaincodeRecord) { *e = append(*e, (*e)[0]) }, ErrWrongEvent},
		{"the event's entry has another receiver", func(w *[]fabrictest.Write, e *[]chaincodeRecord) { (*e)[0].Receiver = "treasury" }, ErrWrongEvent},
		{"the event's entry has another payload", func(w *[]fabrictest.Write, e *[]chaincodeRecord) { (*e)[0].Payload = (*e)[1].Payload }, ErrWrongEvent},
		{"the event is empty", func(w *[]fabrictest.Write, e *[]chaincodeRecord) { *e = []chaincodeRecord{} }, ErrWrongEvent},
		{"an entry has an unknown field", nil, ErrWrongEvent}, // see below
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSynthetic(t)
			var ev *relayer.Evidence
			if c.edit != nil {
				_, evs := s.publishBatch(1, 3, c.edit)
				ev = evs[0]
			} else {
				ev = s.publishRaw(t, `[{"id":"%s","source_chain":"registry","emitter":"0x7265636f726473","sequence":1,"destination":"procurement",`+
					`"receiver":"licensing","content_type":"text/plain","payload":"bGljZW5jZSAx","payload_hash":"%s","extra":1}]`)
			}
			_, err := v.Verify(ev, s.anchor, time.Time{})
			if !errors.Is(err, c.want) {
				t.Fatalf("Verify = %v, want %v", err, c.want)
			}
		})
	}
}

// publishRaw publishes record 1 of publishBatch with the RecordsPublished
// event body format (an ID and a payload hash are filled in).
func (s *synthetic) publishRaw(t *testing.T, format string) *relayer.Evidence {
	t.Helper()
	_, evs := s.publishBatch(1, 1, func(w *[]fabrictest.Write, e *[]chaincodeRecord) {})
	ev := evs[0]
	// Rebuild the block with the raw event in place of the encoded one.
	s.blocks = s.blocks[:len(s.blocks)-1]
	rec := ev.Record
	d, _ := RecordDigest(&rec)
	body := fmt.Sprintf(format, rec.ID, "0x"+fmt.Sprintf("%x", rec.PayloadHash[:]))
	env, txID, err := s.n.EndorserTx(fabrictest.TxSpec{Creator: s.n.AppOrgs[0].Client, Chaincode: "records",
		Endorsers: []*fabrictest.Identity{s.n.AppOrgs[0].Peer(), s.n.AppOrgs[1].Peer()},
		Writes:    []fabrictest.Write{{Namespace: "records", Key: StateKey(rec.ID), Value: d[:]}}, Event: EventRecordsPublished, EventBody: []byte(body)})
	if err != nil {
		t.Fatal(err)
	}
	num := s.add(0, env)
	rec.Source.Height, rec.Source.TxID = relayer.Height(num), txID
	ev.Record = rec
	ev.Inclusion = mustMarshal(t, Inclusion{Block: s.blocks[num], TxIndex: 0, TxID: txID})
	return ev
}
