package contracts_test

import (
	"crypto/sha256"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
	"github.com/liaison-gw/liaison/proofs/attestation"
	"github.com/liaison-gw/liaison/relayer"
)

// committeeBatch is a signed committee attestation over records, as a
// submitter sends it to deliverAttested.
type committeeBatch struct {
	nonce    uint64
	records  []contracts.InboxRecord
	evidence [][32]byte
	sigs     [][]byte
}

// evidenceOf is a stand-in for the hash of the evidence bundle of r.
func evidenceOf(r relayer.Record) [32]byte {
	return sha256.Sum256(append([]byte("evidence "), r.ID[:]...))
}

// signBatch builds the attestation of rs for the fixture's Inbox as the Go
// reference does and signs it with signers.
func (f *inboxFixture) signBatch(t testing.TB, nonce uint64, rs []relayer.Record, signers ...account) committeeBatch {
	t.Helper()
	b := committeeBatch{nonce: nonce}
	a := attestation.Attestation{Destination: evmDestination(t, f.chain.chainID, f.bound.Address()), Nonce: nonce}
	for _, r := range rs {
		b.records = append(b.records, inboxRecord(r))
		b.evidence = append(b.evidence, evidenceOf(r))
		a.Records = append(a.Records, attestation.Entry{ID: r.ID, Digest: recordDigest(t, r), EvidenceHash: evidenceOf(r)})
	}
	data := a.Encode()
	for _, s := range signers {
		sig, err := attestation.Sign(data, s.key)
		if err != nil {
			t.Fatal(err)
		}
		b.sigs = append(b.sigs, sig)
	}
	return b
}

func (f *inboxFixture) packAttested(b committeeBatch) []byte {
	return f.inbox.PackDeliverAttested(b.nonce, b.records, b.evidence, b.sigs)
}

// deliverAttested returns what deliverAttested returns (by a call) and
// sends it from `from`.
func (f *inboxFixture) deliverAttested(t *testing.T, from account, b committeeBatch) ([]bool, *types.Receipt) {
	t.Helper()
	got, err := bind.Call(f.bound, &bind.CallOpts{From: from.addr}, f.packAttested(b), f.inbox.UnpackDeliverAttested)
	if err != nil {
		t.Fatalf("deliverAttested (call): %v", err)
	}
	return got, f.chain.send(from, f.bound, f.packAttested(b))
}

func TestInboxDeliversOnCommitteeAttestation(t *testing.T) {
	f := newInboxFixture(t)
	rs := f.records(5, "licence")
	b := f.signBatch(t, 1, rs, f.attestors[2], f.attestors[0])
	// Anyone may submit: the signatures are the authority.
	got, receipt := f.deliverAttested(t, f.outsider, b)
	for i, r := range rs {
		if !got[i] || !f.isDelivered(t, r.ID) {
			t.Fatalf("record %d not delivered", i)
		}
	}
	if evs := eventsIn(t, receipt, f.inbox.UnpackRecordDeliveredEvent); len(evs) != len(rs) {
		t.Fatalf("%d RecordDelivered events, want %d", len(evs), len(rs))
	}
	ca := oneEvent(t, receipt, f.inbox.UnpackCommitteeAttestedEvent)
	if ca.Nonce != 1 || ca.Count.Int64() != 5 || ca.Submitter != f.outsider.addr ||
		len(ca.Signers) != 2 || ca.Signers[0] != f.attestors[2].addr || ca.Signers[1] != f.attestors[0].addr {
		t.Fatalf("CommitteeAttested %+v", ca)
	}
	// The same attestation again, by another submitter: a no-op.
	got, receipt = f.deliverAttested(t, f.attestors[1], b)
	if len(got) != 5 || !got[0] || !got[4] {
		t.Fatalf("replay returned %v", got)
	}
	if evs := eventsIn(t, receipt, f.inbox.UnpackRecordDeliveredEvent); len(evs) != 0 {
		t.Fatalf("replay delivered %d records again", len(evs))
	}
	// A later attestation that overlaps delivers only the new records.
	more := f.records(2, "licence")
	_, receipt = f.deliverAttested(t, f.outsider, f.signBatch(t, 2, append(rs[3:], more...), f.attestors[0], f.attestors[1], f.attestors[2]))
	if evs := eventsIn(t, receipt, f.inbox.UnpackRecordDeliveredEvent); len(evs) != 2 {
		t.Fatalf("overlapping batch delivered %d records, want the 2 new ones", len(evs))
	}
	// Per-attestor votes on a record the committee delivered: a no-op.
	if delivered, r := f.attest(t, f.attestors[1], rs[0]); !delivered || len(eventsIn(t, r, f.inbox.UnpackRecordDeliveredEvent)) != 0 {
		t.Fatal("a vote after committee delivery changed something")
	}
}

func TestInboxRefusesBadCommitteeAttestations(t *testing.T) {
	f := newInboxFixture(t)
	rs := f.records(3, "permit")
	good := func() committeeBatch { return f.signBatch(t, 9, rs, f.attestors[0], f.attestors[1]) }
	signedFor := func(mut func(*[]relayer.Record)) committeeBatch {
		// Signatures over something else, submitted with the real records.
		other := append([]relayer.Record(nil), rs...)
		mut(&other)
		b := f.signBatch(t, 9, other, f.attestors[0], f.attestors[1])
		g := good()
		g.sigs = b.sigs
		return g
	}
	notAttestor := contracts.InboxSignerNotAttestorErrorID()
	for _, tc := range []struct {
		name  string
		batch func() committeeBatch
		want  common.Hash
	}{
		{"one signature", func() committeeBatch { b := good(); b.sigs = b.sigs[:1]; return b }, contracts.InboxNotEnoughSignaturesErrorID()},
		{"same attestor twice", func() committeeBatch { b := good(); b.sigs[1] = b.sigs[0]; return b }, contracts.InboxDuplicateSignerErrorID()},
		{"an outsider's signature", func() committeeBatch {
			b := f.signBatch(t, 9, rs, f.attestors[0], f.outsider)
			return b
		}, notAttestor},
		{"another nonce", func() committeeBatch { b := good(); b.nonce = 10; return b }, notAttestor},
		{"another evidence hash", func() committeeBatch { b := good(); b.evidence[1][0] ^= 1; return b }, notAttestor},
		{"records in another order", func() committeeBatch { b := good(); b.records[0], b.records[1] = b.records[1], b.records[0]; return b }, notAttestor},
		{"a record left out", func() committeeBatch {
			b := good()
			b.records, b.evidence = b.records[:2], b.evidence[:2]
			return b
		}, notAttestor},
		{"another payload", func() committeeBatch { b := good(); b.records[2].Payload = []byte("forged"); return b }, notAttestor},
		{"signed for another chain", func() committeeBatch {
			b := good()
			a := attestation.Attestation{Destination: evmDestination(t, common.Big1, f.bound.Address()), Nonce: 9}
			for _, r := range rs {
				a.Records = append(a.Records, attestation.Entry{ID: r.ID, Digest: recordDigest(t, r), EvidenceHash: evidenceOf(r)})
			}
			for i, s := range []account{f.attestors[0], f.attestors[1]} {
				b.sigs[i], _ = attestation.Sign(a.Encode(), s.key)
			}
			return b
		}, notAttestor},
		{"signed over other records", func() committeeBatch {
			return signedFor(func(o *[]relayer.Record) { (*o)[1].Receiver = "elsewhere" })
		}, notAttestor},
		{"malformed signature", func() committeeBatch { b := good(); b.sigs[0] = b.sigs[0][:64]; return b }, contracts.InboxBadSignatureErrorID()},
		{"no records", func() committeeBatch { b := good(); b.records, b.evidence = nil, nil; return b }, contracts.InboxBadBatchSizeErrorID()},
		{"lengths differ", func() committeeBatch { b := good(); b.evidence = b.evidence[:2]; return b }, contracts.InboxLengthMismatchErrorID()},
		{"wrong destination", func() committeeBatch {
			other := append([]relayer.Record(nil), rs...)
			other[0].Destination = "dept-c"
			return f.signBatch(t, 9, other, f.attestors[0], f.attestors[1])
		}, contracts.InboxWrongDestinationErrorID()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireRevert(t, f.chain.trySend(f.outsider, f.bound, f.packAttested(tc.batch())), tc.want)
		})
	}
	for _, r := range rs {
		if f.isDelivered(t, r.ID) {
			t.Fatalf("record %s delivered by a refused attestation", r.ID)
		}
	}
	// And the genuine one still delivers.
	if got, _ := f.deliverAttested(t, f.outsider, good()); !got[0] || !got[1] || !got[2] {
		t.Fatalf("the genuine attestation after the refusals: %v", got)
	}
}

// TestInboxCommitteeConflict: the committee attests a record whose ID is
// delivered with another digest: an alarm, not a revert, and the batch's
// other records are delivered.
func TestInboxCommitteeConflict(t *testing.T) {
	f := newInboxFixture(t)
	rs := f.records(3, "cert")
	f.attest(t, f.attestors[0], rs[1])
	f.attest(t, f.attestors[1], rs[1]) // delivered by votes
	forged := append([]relayer.Record(nil), rs...)
	forged[1].Receiver = "elsewhere" // same ID, another digest
	got, receipt := f.deliverAttested(t, f.outsider, f.signBatch(t, 3, forged, f.attestors[1], f.attestors[2]))
	if !got[0] || got[1] || !got[2] {
		t.Fatalf("deliverAttested returned %v, want [true false true]", got)
	}
	c := oneEvent(t, receipt, f.inbox.UnpackAttestationConflictEvent)
	if c.Id != rs[1].ID || c.Attestor != (common.Address{}) || c.ExistingDigest != recordDigest(t, rs[1]) {
		t.Fatalf("AttestationConflict %+v", c)
	}
	if d := view(t, f.bound, f.inbox.PackDeliveredDigest(rs[1].ID), f.inbox.UnpackDeliveredDigest); d != recordDigest(t, rs[1]) {
		t.Fatal("the conflicting attestation changed the delivered digest")
	}
	// A record one attestor voted another digest for is delivered on the
	// committee's word, with an alarm.
	r4 := f.records(1, "cert")[0]
	wrong := r4
	wrong.Receiver = "elsewhere"
	f.attest(t, f.attestors[2], wrong)
	got, receipt = f.deliverAttested(t, f.outsider, f.signBatch(t, 4, []relayer.Record{r4}, f.attestors[0], f.attestors[1]))
	if !got[0] || len(eventsIn(t, receipt, f.inbox.UnpackAttestationConflictEvent)) != 1 {
		t.Fatalf("delivery over an earlier wrong vote: %v", got)
	}
}

// TestCommitteeGas logs deliverAttested's gas per record for M = 2 and 3
// at batches of 10 and 100, under Osaka rules (closer to what GoQuorum and
// Besu charge than the simulated backend's default), next to attestBatch's.
func TestCommitteeGas(t *testing.T) {
	osaka := *params.AllDevChainProtocolChanges
	osaka.BogotaTime = nil
	for _, m := range []int{2, 3} {
		for _, n := range []int{10, 100} {
			f := newInboxFixtureWithRules(t, &osaka)
			if m == 3 {
				f.chain.send(f.admin, f.bound, f.inbox.PackSetThreshold(big.NewInt(3)))
			}
			rs := f.records(n, "gas")
			b := f.signBatch(t, 1, rs, f.attestors[:m]...)
			r := f.chain.send(f.outsider, f.bound, f.packAttested(b))
			per := r.GasUsed / uint64(n)
			t.Logf("deliverAttested, M=%d, %3d records: %9d gas, %6d a record", m, n, r.GasUsed, per)
			if per > 150_000 {
				t.Errorf("%d gas a record, over the 150,000 bound", per)
			}
		}
	}
	f := newInboxFixtureWithRules(t, &osaka)
	rs := f.records(100, "gas")
	var total uint64
	for _, a := range f.attestors[:2] {
		total += f.chain.send(a, f.bound, f.packBatch(a, rs)).GasUsed
	}
	t.Logf("attestBatch by 2 attestors, 100 records: %9d gas, %6d a record", total, total/100)
}

func evmDestination(t testing.TB, chainID *big.Int, inbox common.Address) [32]byte {
	t.Helper()
	d, err := attestation.EVMDestination(chainID, inbox)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
