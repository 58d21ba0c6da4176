package contracts_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
	"github.com/liaison-gw/liaison/relayer"
)

// records returns n records of the fixture's route with sequences no
// earlier call used; payload names each.
func (f *inboxFixture) records(n int, payload string) []relayer.Record {
	out := make([]relayer.Record, n)
	for i := range out {
		f.seq++
		r := relayer.NewTestRecord("dept-a", common.HexToAddress(vectorEmitter).Bytes(), f.seq, []byte(fmt.Sprintf("%s-%d", payload, i)))
		r.Destination, r.Receiver, r.ContentType = "dept-b", "licence-registry", "application/json"
		out[i] = r
	}
	return out
}

func (f *inboxFixture) packBatch(from account, rs []relayer.Record) []byte {
	recs := make([]contracts.InboxRecord, len(rs))
	hashes := make([][32]byte, len(rs))
	for i, r := range rs {
		recs[i], hashes[i] = inboxRecord(r), evidence(from)
	}
	return f.inbox.PackAttestBatch(recs, hashes)
}

// attestBatch returns what attestBatch(rs) returns for `from` (by a call)
// and then sends it, returning the mined receipt.
func (f *inboxFixture) attestBatch(t *testing.T, from account, rs []relayer.Record) ([]bool, *types.Receipt) {
	t.Helper()
	data := f.packBatch(from, rs)
	delivered, err := bind.Call(f.bound, &bind.CallOpts{From: from.addr}, data, f.inbox.UnpackAttestBatch)
	if err != nil {
		t.Fatalf("attestBatch (call) from %s: %v", from.addr, err)
	}
	return delivered, f.chain.send(from, f.bound, data)
}

// TestInboxBatchSameAsOneByOne: a batch leaves every record in the state
// attesting them one by one leaves, and returns what each attest returns:
// counted votes, deliveries at the threshold, replays that change nothing
// and emit nothing, and a conflict that raises its alarm without reverting
// the others.
func TestInboxBatchSameAsOneByOne(t *testing.T) {
	batched, single := newInboxFixture(t), newInboxFixture(t)
	good := batched.records(4, "good")
	forged := good[2]
	forged.Payload = []byte("FORGED")
	forged.PayloadHash = relayer.PayloadDigest(forged.Payload)

	// Attestor A votes for records 0..2; attestor B's batch then delivers
	// 0 and 1, replays nothing yet, conflicts on 2 (it attests a forged
	// copy) and counts a first vote for 3.
	steps := []struct {
		who  int
		recs []relayer.Record
	}{
		{0, good[:3]},
		{1, []relayer.Record{good[0], good[1], forged, good[3]}},
		// A replays what is delivered and votes for 3, which delivers it.
		{0, []relayer.Record{good[0], good[3]}},
	}
	for n, step := range steps {
		got, receipt := batched.attestBatch(t, batched.attestors[step.who], step.recs)
		var want []bool
		var logs int
		for _, r := range step.recs {
			d, rc := single.attest(t, single.attestors[step.who], r)
			want = append(want, d)
			logs += len(rc.Logs)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("step %d: attestBatch returned %v, attest one by one %v", n, got, want)
		}
		if len(receipt.Logs) != logs {
			t.Fatalf("step %d: the batch emitted %d logs, one by one %d", n, len(receipt.Logs), logs)
		}
		for _, r := range good {
			bad := r
			bad.Payload = []byte("FORGED")
			bad.PayloadHash = relayer.PayloadDigest(bad.Payload)
			if b, s := batched.state(t, r, bad), single.state(t, r, bad); b != s {
				t.Fatalf("step %d, record %d: batched state %+v, one by one %+v", n, r.Source.Sequence, b, s)
			}
		}
	}
	// Records 0, 1 and 3 are delivered; 2 has one vote for each digest.
	for i, want := range []bool{true, true, false, true} {
		if got := batched.isDelivered(t, good[i].ID); got != want {
			t.Errorf("record %d delivered = %v, want %v", i+1, got, want)
		}
	}
}

// TestInboxBatchReverts: a non-attestor, mismatched lengths and a record
// for another chain revert the whole batch.
func TestInboxBatchReverts(t *testing.T) {
	f := newInboxFixture(t)
	rs := f.records(3, "r")
	requireRevert(t, f.chain.trySend(f.outsider, f.bound, f.packBatch(f.outsider, rs)), contracts.InboxNotAttestorErrorID())
	short := f.inbox.PackAttestBatch([]contracts.InboxRecord{inboxRecord(rs[0]), inboxRecord(rs[1])}, [][32]byte{evidence(f.attestors[0])})
	requireRevert(t, f.chain.trySend(f.attestors[0], f.bound, short), contracts.InboxLengthMismatchErrorID())
	rs[1].Destination = "dept-c"
	requireRevert(t, f.chain.trySend(f.attestors[0], f.bound, f.packBatch(f.attestors[0], rs)), contracts.InboxWrongDestinationErrorID())
	for _, r := range rs {
		if v := view(t, f.bound, f.inbox.PackAttestationOf(r.ID, f.attestors[0].addr), f.inbox.UnpackAttestationOf); v != [32]byte{} {
			t.Fatalf("a reverted batch left a vote for record %d", r.Source.Sequence)
		}
	}
}

// TestGasBatch logs the gas per record of attestBatch for 1, 10, 50 and 100
// records (256-byte payloads), for a counted vote and for the delivering
// vote of a 2-of-3 Inbox, under Osaka rules (closer to GoQuorum and Besu
// than the simulated backend's default), next to attest alone. It fails
// only when a batch costs more per record than single attests, which
// would make batching pointless.
func TestGasBatch(t *testing.T) {
	osaka := *params.AllDevChainProtocolChanges
	osaka.BogotaTime = nil
	payload := string(bytes.Repeat([]byte("x"), 250))
	f := newInboxFixtureWithRules(t, &osaka)
	one := f.records(1, "single-"+payload)
	_, first := f.attest(t, f.attestors[0], one[0])
	_, second := f.attest(t, f.attestors[1], one[0])
	t.Logf("%-28s %9s %9s", "", "vote", "deliver")
	t.Logf("%-28s %9d %9d gas per record", "attest", first.GasUsed, second.GasUsed)
	for _, n := range []int{1, 10, 50, 100} {
		rs := f.records(n, fmt.Sprintf("batch%d-%s", n, payload))
		_, vote := f.attestBatch(t, f.attestors[0], rs)
		_, deliver := f.attestBatch(t, f.attestors[1], rs)
		pv, pd := vote.GasUsed/uint64(n), deliver.GasUsed/uint64(n)
		t.Logf("%-28s %9d %9d gas per record (%d total for the delivering batch)", fmt.Sprintf("attestBatch of %d", n), pv, pd, deliver.GasUsed)
		if n > 1 && (pv > first.GasUsed || pd > second.GasUsed) {
			t.Errorf("a batch of %d costs more per record (%d, %d) than attest (%d, %d)", n, pv, pd, first.GasUsed, second.GasUsed)
		}
	}
}

// TestOutboxPublishBatch: a batch publishes each record as publish would,
// in order, with consecutive sequences; one empty destination reverts it.
func TestOutboxPublishBatch(t *testing.T) {
	f := newOutboxFixture(t)
	f.chain.send(f.deployer, f.bound, f.outbox.PackPublish("dept-b", "r", "text/plain", []byte("alone")))
	var want []relayer.Record
	var msgs []contracts.OutboxMessage
	for i := range 5 {
		r := f.testRecord(t, uint64(i+2), fmt.Appendf(nil, `{"licence":"B-%d"}`, i))
		want = append(want, r)
		msgs = append(msgs, contracts.OutboxMessage{Destination: string(r.Destination), Receiver: r.Receiver, ContentType: r.ContentType, Payload: r.Payload})
	}
	out := view(t, f.bound, f.outbox.PackPublishBatch(msgs), f.outbox.UnpackPublishBatch)
	if out.FirstSeq != 2 || len(out.Ids) != 5 || out.Ids[4] != want[4].ID {
		t.Fatalf("publishBatch returns %+v", out)
	}
	receipt := f.chain.send(f.deployer, f.bound, f.outbox.PackPublishBatch(msgs))
	evs := eventsIn(t, receipt, f.outbox.UnpackRecordPublishedEvent)
	if len(evs) != 5 {
		t.Fatalf("%d RecordPublished events, want 5", len(evs))
	}
	for i, ev := range evs {
		w := want[i]
		if relayer.RecordID(ev.Id) != w.ID || ev.Sequence != w.Source.Sequence || string(ev.Payload) != string(w.Payload) {
			t.Fatalf("event %d = %+v, want record %d", i, ev, w.Source.Sequence)
		}
		if got := view(t, f.bound, f.outbox.PackCommitments(w.ID), f.outbox.UnpackCommitments); got != recordDigest(t, w) {
			t.Fatalf("commitment of record %d = %x", w.Source.Sequence, got)
		}
	}
	msgs[3].Destination = ""
	requireRevert(t, f.chain.trySend(f.deployer, f.bound, f.outbox.PackPublishBatch(msgs)), contracts.OutboxEmptyDestinationErrorID())
	if got := view(t, f.bound, f.outbox.PackNextSequence(), f.outbox.UnpackNextSequence); got != 7 {
		t.Fatalf("nextSequence after a reverted batch = %d, want 7", got)
	}
	t.Logf("publishBatch of 5: %d gas (%d per record)", receipt.GasUsed, receipt.GasUsed/5)
}
