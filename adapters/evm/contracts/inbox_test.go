package contracts_test

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
	"github.com/liaison-gw/liaison/relayer"
)

// inboxFixture is a 2-of-3 Inbox for chain "dept-b".
type inboxFixture struct {
	chain     *testChain
	inbox     *contracts.Inbox
	bound     *bind.BoundContract
	admin     account
	attestors [3]account
	outsider  account
	seq       uint64 // the last sequence records handed out
}

func newInboxFixture(t *testing.T) *inboxFixture {
	t.Helper()
	return newInboxFixtureWithRules(t, nil)
}

func newInboxFixtureWithRules(t *testing.T, rules *params.ChainConfig) *inboxFixture {
	t.Helper()
	f := &inboxFixture{
		inbox:    contracts.NewInbox(),
		admin:    newAccount(t, "admin"),
		outsider: newAccount(t, "outsider"),
	}
	for i := range f.attestors {
		f.attestors[i] = newAccount(t, "attestor "+string(rune('A'+i)))
	}
	f.chain = newTestChainWithRules(t, rules, f.admin, f.outsider, f.attestors[0], f.attestors[1], f.attestors[2])
	f.bound, _ = f.chain.deploy(f.admin, &contracts.InboxMetaData,
		f.inbox.PackConstructor("dept-b", f.admin.addr, f.attestorAddrs(), big.NewInt(2)))
	return f
}

func (f *inboxFixture) attestorAddrs() []common.Address {
	out := make([]common.Address, len(f.attestors))
	for i, a := range f.attestors {
		out[i] = a.addr
	}
	return out
}

// record is a record from dept-a's Outbox to dept-b with the given payload.
func (f *inboxFixture) record(payload string) relayer.Record {
	r := relayer.NewTestRecord("dept-a", common.HexToAddress(vectorEmitter).Bytes(), 1, []byte(payload))
	r.Destination = "dept-b"
	r.Receiver = "licence-registry"
	r.ContentType = "application/json"
	return r
}

// evidence is a stand-in for the hash of an attestor's source proof.
func evidence(who account) [32]byte { return common.BytesToHash(who.addr.Bytes()) }

// attest returns what attest(r) returns for `from` (by a call at the latest
// block) and then sends it, returning the mined receipt.
func (f *inboxFixture) attest(t *testing.T, from account, r relayer.Record) (bool, *types.Receipt) {
	t.Helper()
	data := f.inbox.PackAttest(inboxRecord(r), evidence(from))
	delivered, err := bind.Call(f.bound, &bind.CallOpts{From: from.addr}, data, f.inbox.UnpackAttest)
	if err != nil {
		t.Fatalf("attest (call) from %s: %v", from.addr, err)
	}
	return delivered, f.chain.send(from, f.bound, data)
}

// tryAttest sends attest(r) from `from` and returns the revert error, if any.
func (f *inboxFixture) tryAttest(from account, r relayer.Record) error {
	return f.chain.trySend(from, f.bound, f.inbox.PackAttest(inboxRecord(r), evidence(from)))
}

// inboxState is every per-record value the Inbox keeps, for before/after checks.
type inboxState struct {
	delivered [32]byte
	first     [32]byte
	votesGood int64
	votesBad  int64
	attested  [3][32]byte
}

// state reads the inboxState of good.ID; bad is a second record for the same ID.
func (f *inboxFixture) state(t *testing.T, good, bad relayer.Record) inboxState {
	t.Helper()
	id := good.ID
	s := inboxState{
		delivered: view(t, f.bound, f.inbox.PackDeliveredDigest(id), f.inbox.UnpackDeliveredDigest),
		first:     view(t, f.bound, f.inbox.PackFirstDigest(id), f.inbox.UnpackFirstDigest),
		votesGood: view(t, f.bound, f.inbox.PackVotes(id, recordDigest(t, good)), f.inbox.UnpackVotes).Int64(),
		votesBad:  view(t, f.bound, f.inbox.PackVotes(id, recordDigest(t, bad)), f.inbox.UnpackVotes).Int64(),
	}
	for i, a := range f.attestors {
		s.attested[i] = view(t, f.bound, f.inbox.PackAttestationOf(id, a.addr), f.inbox.UnpackAttestationOf)
	}
	return s
}

func (f *inboxFixture) isDelivered(t *testing.T, id relayer.RecordID) bool {
	t.Helper()
	return view(t, f.bound, f.inbox.PackIsDelivered(id), f.inbox.UnpackIsDelivered)
}

func TestInboxDeliversAtThreshold(t *testing.T) {
	f := newInboxFixture(t)
	rec := f.record(`{"licence":"A-1"}`)
	digest := recordDigest(t, rec)
	a, b := f.attestors[0], f.attestors[1]

	delivered, receipt := f.attest(t, a, rec)
	t.Logf("attest, first vote: gas used %d", receipt.GasUsed)
	if delivered || f.isDelivered(t, rec.ID) {
		t.Fatal("delivered after one of two votes")
	}
	ev := oneEvent(t, receipt, f.inbox.UnpackAttestedEvent)
	if ev.Id != rec.ID || ev.Attestor != a.addr || ev.Digest != digest || ev.EvidenceHash != evidence(a) {
		t.Fatalf("Attested = %+v", ev)
	}
	if n := len(eventsIn(t, receipt, f.inbox.UnpackRecordDeliveredEvent)); n != 0 {
		t.Fatalf("%d RecordDelivered events after one vote", n)
	}
	if !view(t, f.bound, f.inbox.PackHasAttested(rec.ID, a.addr), f.inbox.UnpackHasAttested) {
		t.Fatal("hasAttested(first attestor) = false")
	}
	if view(t, f.bound, f.inbox.PackHasAttested(rec.ID, b.addr), f.inbox.UnpackHasAttested) {
		t.Fatal("hasAttested(second attestor) = true before it attested")
	}

	delivered, receipt = f.attest(t, b, rec)
	t.Logf("attest, delivering vote: gas used %d (%d-byte payload)", receipt.GasUsed, len(rec.Payload))
	if !delivered || !f.isDelivered(t, rec.ID) {
		t.Fatal("not delivered after two of two votes")
	}
	oneEvent(t, receipt, f.inbox.UnpackAttestedEvent)
	if n := len(eventsIn(t, receipt, f.inbox.UnpackAttestationConflictEvent)); n != 0 {
		t.Fatalf("%d AttestationConflict events for agreeing votes", n)
	}
	got := oneEvent(t, receipt, f.inbox.UnpackRecordDeliveredEvent)
	if got.Id != rec.ID || got.SourceChain != string(rec.Source.Chain) || got.Sequence != rec.Source.Sequence ||
		got.Receiver != rec.Receiver || got.Digest != digest || !bytes.Equal(got.Payload, rec.Payload) {
		t.Fatalf("RecordDelivered = %+v, want record %+v with digest %s", got, rec, digest)
	}
	if d := view(t, f.bound, f.inbox.PackDeliveredDigest(rec.ID), f.inbox.UnpackDeliveredDigest); d != digest {
		t.Fatalf("deliveredDigest = %x, want %s", d, digest)
	}
	if n := view(t, f.bound, f.inbox.PackVotes(rec.ID, digest), f.inbox.UnpackVotes); n.Int64() != 2 {
		t.Fatalf("votes = %d, want 2", n)
	}
}

func TestInboxRefusesNonAttestor(t *testing.T) {
	f := newInboxFixture(t)
	rec := f.record("x")
	err := f.tryAttest(f.outsider, rec)
	requireRevert(t, err, contracts.InboxNotAttestorErrorID())
	data, _ := revertData(err)
	decoded, decodeErr := f.inbox.UnpackNotAttestorError(data[4:])
	if decodeErr != nil || decoded.Caller != f.outsider.addr {
		t.Fatalf("NotAttestor(%+v, %v), want caller %s", decoded, decodeErr, f.outsider.addr)
	}
}

func TestInboxRefusesWrongDestination(t *testing.T) {
	f := newInboxFixture(t)
	for _, dest := range []relayer.ChainID{"dept-c", "", "Dept-B", "dept-b "} {
		rec := f.record("x")
		rec.Destination = dest
		requireRevert(t, f.tryAttest(f.attestors[0], rec), contracts.InboxWrongDestinationErrorID())
	}
}

func TestInboxReplayIsNoOp(t *testing.T) {
	f := newInboxFixture(t)
	rec := f.record(`{"licence":"A-1"}`)
	f.attest(t, f.attestors[0], rec)
	f.attest(t, f.attestors[1], rec)
	before := f.state(t, rec, rec)

	// A late honest attestor and an attestor that already voted both replay
	// the delivered record: nothing happens.
	for _, who := range []account{f.attestors[2], f.attestors[0]} {
		delivered, receipt := f.attest(t, who, rec)
		if !delivered {
			t.Fatalf("replay by %s returned false, want true (already delivered)", who.addr)
		}
		if len(receipt.Logs) != 0 {
			t.Fatalf("replay by %s emitted %d logs, want none", who.addr, len(receipt.Logs))
		}
	}
	if after := f.state(t, rec, rec); after != before {
		t.Fatalf("replay changed state:\n before %+v\n after  %+v", before, after)
	}
}

func TestInboxConflictAfterDelivery(t *testing.T) {
	f := newInboxFixture(t)
	good := f.record(`{"licence":"A-1"}`)
	bad := f.record(`{"licence":"FORGED"}`)
	f.attest(t, f.attestors[0], good)
	f.attest(t, f.attestors[1], good)
	before := f.state(t, good, bad)

	// Both an attestor that has not voted and one that voted for the good
	// record are refused, with an alarm, when they attest another digest.
	for _, who := range []account{f.attestors[2], f.attestors[0]} {
		delivered, receipt := f.attest(t, who, bad)
		if delivered {
			t.Fatalf("conflicting attestation by %s returned true", who.addr)
		}
		ev := oneEvent(t, receipt, f.inbox.UnpackAttestationConflictEvent)
		if ev.Id != good.ID || ev.Attestor != who.addr || ev.Digest != recordDigest(t, bad) ||
			ev.ExistingDigest != recordDigest(t, good) {
			t.Fatalf("AttestationConflict = %+v", ev)
		}
		if len(receipt.Logs) != 1 {
			t.Fatalf("conflicting attestation emitted %d logs, want only the alarm", len(receipt.Logs))
		}
	}
	if after := f.state(t, good, bad); after != before {
		t.Fatalf("conflict after delivery changed state:\n before %+v\n after  %+v", before, after)
	}
}

func TestInboxFaultyFirstAttestorCannotBlock(t *testing.T) {
	f := newInboxFixture(t)
	good := f.record(`{"licence":"A-1"}`)
	bad := f.record(`{"licence":"FORGED"}`)
	faulty, honest1, honest2 := f.attestors[0], f.attestors[1], f.attestors[2]

	if delivered, _ := f.attest(t, faulty, bad); delivered {
		t.Fatal("one faulty vote delivered")
	}
	delivered, receipt := f.attest(t, honest1, good)
	if delivered {
		t.Fatal("delivered with one good vote")
	}
	oneEvent(t, receipt, f.inbox.UnpackAttestedEvent)
	alarm := oneEvent(t, receipt, f.inbox.UnpackAttestationConflictEvent)
	if alarm.Attestor != honest1.addr || alarm.Digest != recordDigest(t, good) ||
		alarm.ExistingDigest != recordDigest(t, bad) {
		t.Fatalf("AttestationConflict = %+v, want the first (faulty) digest as existing", alarm)
	}

	delivered, receipt = f.attest(t, honest2, good)
	if !delivered {
		t.Fatal("two honest votes did not deliver")
	}
	if ev := oneEvent(t, receipt, f.inbox.UnpackRecordDeliveredEvent); ev.Digest != recordDigest(t, good) ||
		!bytes.Equal(ev.Payload, good.Payload) {
		t.Fatalf("delivered %+v, want the good record", ev)
	}
	s := f.state(t, good, bad)
	if s.delivered != recordDigest(t, good) || s.votesGood != 2 || s.votesBad != 1 {
		t.Fatalf("state = %+v", s)
	}
}

func TestInboxAttestorCannotChangeVote(t *testing.T) {
	f := newInboxFixture(t)
	first := f.record(`{"licence":"A-1"}`)
	second := f.record(`{"licence":"A-2"}`)
	a := f.attestors[0]
	f.attest(t, a, first)
	before := f.state(t, first, second)

	delivered, receipt := f.attest(t, a, second)
	if delivered {
		t.Fatal("changed vote returned true")
	}
	ev := oneEvent(t, receipt, f.inbox.UnpackAttestationConflictEvent)
	if ev.Attestor != a.addr || ev.Digest != recordDigest(t, second) || ev.ExistingDigest != recordDigest(t, first) {
		t.Fatalf("AttestationConflict = %+v, want its own earlier digest as existing", ev)
	}
	if len(receipt.Logs) != 1 {
		t.Fatalf("changed vote emitted %d logs, want only the alarm", len(receipt.Logs))
	}

	// Repeating the original vote is a silent no-op.
	delivered, receipt = f.attest(t, a, first)
	if delivered || len(receipt.Logs) != 0 {
		t.Fatalf("repeated vote: delivered=%v, %d logs; want false and none", delivered, len(receipt.Logs))
	}
	if after := f.state(t, first, second); after != before {
		t.Fatalf("state changed:\n before %+v\n after  %+v", before, after)
	}
}

func TestInboxAdminOnly(t *testing.T) {
	f := newInboxFixture(t)
	for name, data := range map[string][]byte{
		"addAttestor":    f.inbox.PackAddAttestor(f.outsider.addr),
		"removeAttestor": f.inbox.PackRemoveAttestor(f.attestors[0].addr),
		"setThreshold":   f.inbox.PackSetThreshold(big.NewInt(1)),
		"proposeAdmin":   f.inbox.PackProposeAdmin(f.outsider.addr),
	} {
		t.Run(name, func(t *testing.T) {
			for _, who := range []account{f.outsider, f.attestors[0]} {
				requireRevert(t, f.chain.trySend(who, f.bound, data), contracts.InboxNotAdminErrorID())
			}
		})
	}
}

func TestInboxAdminTransfer(t *testing.T) {
	f := newInboxFixture(t)
	next := f.outsider
	admin := func() common.Address { return view(t, f.bound, f.inbox.PackAdmin(), f.inbox.UnpackAdmin) }
	pending := func() common.Address { return view(t, f.bound, f.inbox.PackPendingAdmin(), f.inbox.UnpackPendingAdmin) }

	// Nobody can accept before a proposal.
	requireRevert(t, f.chain.trySend(next, f.bound, f.inbox.PackAcceptAdmin()), contracts.InboxNotPendingAdminErrorID())

	receipt := f.chain.send(f.admin, f.bound, f.inbox.PackProposeAdmin(next.addr))
	if ev := oneEvent(t, receipt, f.inbox.UnpackAdminProposedEvent); ev.Admin != f.admin.addr || ev.Proposed != next.addr {
		t.Fatalf("AdminProposed = %+v", ev)
	}
	if admin() != f.admin.addr || pending() != next.addr {
		t.Fatalf("after propose: admin %s, pending %s", admin(), pending())
	}
	// Only the proposed account can accept; the old admin still rules.
	requireRevert(t, f.chain.trySend(f.attestors[0], f.bound, f.inbox.PackAcceptAdmin()),
		contracts.InboxNotPendingAdminErrorID())
	requireRevert(t, f.chain.trySend(f.admin, f.bound, f.inbox.PackAcceptAdmin()),
		contracts.InboxNotPendingAdminErrorID())
	requireRevert(t, f.chain.trySend(next, f.bound, f.inbox.PackSetThreshold(big.NewInt(1))),
		contracts.InboxNotAdminErrorID())

	receipt = f.chain.send(next, f.bound, f.inbox.PackAcceptAdmin())
	if ev := oneEvent(t, receipt, f.inbox.UnpackAdminChangedEvent); ev.OldAdmin != f.admin.addr || ev.NewAdmin != next.addr {
		t.Fatalf("AdminChanged = %+v", ev)
	}
	if admin() != next.addr || pending() != (common.Address{}) {
		t.Fatalf("after accept: admin %s, pending %s", admin(), pending())
	}
	requireRevert(t, f.chain.trySend(f.admin, f.bound, f.inbox.PackSetThreshold(big.NewInt(1))),
		contracts.InboxNotAdminErrorID())
	f.chain.send(next, f.bound, f.inbox.PackSetThreshold(big.NewInt(1)))
	// The proposal is used up.
	requireRevert(t, f.chain.trySend(next, f.bound, f.inbox.PackAcceptAdmin()), contracts.InboxNotPendingAdminErrorID())

	// Proposing zero cancels a pending proposal.
	f.chain.send(next, f.bound, f.inbox.PackProposeAdmin(f.admin.addr))
	f.chain.send(next, f.bound, f.inbox.PackProposeAdmin(common.Address{}))
	requireRevert(t, f.chain.trySend(f.admin, f.bound, f.inbox.PackAcceptAdmin()), contracts.InboxNotPendingAdminErrorID())
}

func TestInboxThresholdBounds(t *testing.T) {
	f := newInboxFixture(t)
	threshold := func() int64 { return view(t, f.bound, f.inbox.PackThreshold(), f.inbox.UnpackThreshold).Int64() }
	for _, bad := range []int64{0, 4, 1000} {
		requireRevert(t, f.chain.trySend(f.admin, f.bound, f.inbox.PackSetThreshold(big.NewInt(bad))),
			contracts.InboxInvalidThresholdErrorID())
	}
	for _, good := range []int64{3, 1, 2} {
		old := threshold()
		receipt := f.chain.send(f.admin, f.bound, f.inbox.PackSetThreshold(big.NewInt(good)))
		ev := oneEvent(t, receipt, f.inbox.UnpackThresholdChangedEvent)
		if ev.OldThreshold.Int64() != old || ev.NewThreshold.Int64() != good || threshold() != good {
			t.Fatalf("ThresholdChanged = %+v, threshold %d; want %d -> %d", ev, threshold(), old, good)
		}
	}
}

func TestInboxAttestorSet(t *testing.T) {
	f := newInboxFixture(t)
	count := func() int64 {
		return view(t, f.bound, f.inbox.PackAttestorCount(), f.inbox.UnpackAttestorCount).Int64()
	}
	isAttestor := func(a account) bool {
		return view(t, f.bound, f.inbox.PackIsAttestor(a.addr), f.inbox.UnpackIsAttestor)
	}
	if count() != 3 || !isAttestor(f.attestors[2]) || isAttestor(f.outsider) {
		t.Fatalf("initial set: count %d", count())
	}

	// 2-of-3: one attestor may go, a second may not.
	receipt := f.chain.send(f.admin, f.bound, f.inbox.PackRemoveAttestor(f.attestors[2].addr))
	if ev := oneEvent(t, receipt, f.inbox.UnpackAttestorRemovedEvent); ev.Attestor != f.attestors[2].addr {
		t.Fatalf("AttestorRemoved = %+v", ev)
	}
	if count() != 2 || isAttestor(f.attestors[2]) {
		t.Fatalf("after remove: count %d", count())
	}
	requireRevert(t, f.chain.trySend(f.admin, f.bound, f.inbox.PackRemoveAttestor(f.attestors[1].addr)),
		contracts.InboxBelowThresholdErrorID())
	requireRevert(t, f.tryAttest(f.attestors[2], f.record("x")), contracts.InboxNotAttestorErrorID())
	requireRevert(t, f.chain.trySend(f.admin, f.bound, f.inbox.PackRemoveAttestor(f.outsider.addr)),
		contracts.InboxUnknownAttestorErrorID())

	receipt = f.chain.send(f.admin, f.bound, f.inbox.PackAddAttestor(f.outsider.addr))
	if ev := oneEvent(t, receipt, f.inbox.UnpackAttestorAddedEvent); ev.Attestor != f.outsider.addr {
		t.Fatalf("AttestorAdded = %+v", ev)
	}
	if count() != 3 || !isAttestor(f.outsider) {
		t.Fatalf("after add: count %d", count())
	}
	requireRevert(t, f.chain.trySend(f.admin, f.bound, f.inbox.PackAddAttestor(f.outsider.addr)),
		contracts.InboxAlreadyAttestorErrorID())
	requireRevert(t, f.chain.trySend(f.admin, f.bound, f.inbox.PackAddAttestor(common.Address{})),
		contracts.InboxZeroAddressErrorID())

	// The new attestor's vote counts.
	rec := f.record("y")
	f.attest(t, f.attestors[0], rec)
	if delivered, _ := f.attest(t, f.outsider, rec); !delivered {
		t.Fatal("vote of an added attestor did not count")
	}
}

func TestInboxConstructorChecks(t *testing.T) {
	admin := newAccount(t, "admin")
	a, b := newAccount(t, "attestor A"), newAccount(t, "attestor B")
	chain := newTestChain(t, admin)
	inbox := contracts.NewInbox()
	for _, tc := range []struct {
		name      string
		chainName string
		admin     common.Address
		attestors []common.Address
		threshold int64
		want      common.Hash
	}{
		{"empty chain name", "", admin.addr, []common.Address{a.addr}, 1, contracts.InboxEmptyChainNameErrorID()},
		{"zero admin", "dept-b", common.Address{}, []common.Address{a.addr}, 1, contracts.InboxZeroAddressErrorID()},
		{"zero attestor", "dept-b", admin.addr, []common.Address{a.addr, {}}, 1, contracts.InboxZeroAddressErrorID()},
		{"duplicate attestor", "dept-b", admin.addr, []common.Address{a.addr, b.addr, a.addr}, 1,
			contracts.InboxAlreadyAttestorErrorID()},
		{"threshold 0", "dept-b", admin.addr, []common.Address{a.addr, b.addr}, 0, contracts.InboxInvalidThresholdErrorID()},
		{"threshold > n", "dept-b", admin.addr, []common.Address{a.addr, b.addr}, 3, contracts.InboxInvalidThresholdErrorID()},
		{"no attestors", "dept-b", admin.addr, nil, 1, contracts.InboxInvalidThresholdErrorID()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := chain.tryDeploy(admin, &contracts.InboxMetaData,
				inbox.PackConstructor(tc.chainName, tc.admin, tc.attestors, big.NewInt(tc.threshold)))
			requireRevert(t, err, tc.want)
		})
	}

	_, receipt := chain.deploy(admin, &contracts.InboxMetaData,
		inbox.PackConstructor("dept-b", admin.addr, []common.Address{a.addr, b.addr}, big.NewInt(2)))
	if n := len(eventsIn(t, receipt, inbox.UnpackAttestorAddedEvent)); n != 2 {
		t.Fatalf("%d AttestorAdded events at construction, want 2", n)
	}
	if ev := oneEvent(t, receipt, inbox.UnpackAdminChangedEvent); ev.OldAdmin != (common.Address{}) || ev.NewAdmin != admin.addr {
		t.Fatalf("AdminChanged at construction = %+v", ev)
	}
	if ev := oneEvent(t, receipt, inbox.UnpackThresholdChangedEvent); ev.OldThreshold.Sign() != 0 || ev.NewThreshold.Int64() != 2 {
		t.Fatalf("ThresholdChanged at construction = %+v", ev)
	}
}

func TestInboxDigestOfMatchesGo(t *testing.T) {
	f := newInboxFixture(t)
	long := bytes.Repeat([]byte{0xab}, 1000)
	for name, rec := range map[string]relayer.Record{
		"evm emitter":    f.record(`{"licence":"A-1"}`),
		"empty payload":  f.record(""),
		"large payload":  f.record(string(long)),
		"fabric emitter": relayer.NewTestRecord("procurement", []byte("liaison-outbox-cc"), 42, []byte("bid #42")),
		"utf-8 chain":    relayer.NewTestRecord("dépt-ä", []byte("x"), ^uint64(0), []byte{0}),
		"empty emitter":  relayer.NewTestRecord("dept-a", nil, 0, []byte("y")),
	} {
		t.Run(name, func(t *testing.T) {
			if rec.Receiver == "" {
				rec.Receiver = "some receiver"
			}
			got := view(t, f.bound, f.inbox.PackDigestOf(inboxRecord(rec)), f.inbox.UnpackDigestOf)
			if want := recordDigest(t, rec); got != want {
				t.Fatalf("digestOf = %x, Go digest = %s", got, want)
			}
			// A change to any covered field changes the digest.
			for field, mutate := range map[string]func(*contracts.InboxRecord){
				"sourceChain": func(r *contracts.InboxRecord) { r.SourceChain += "x" },
				"emitter":     func(r *contracts.InboxRecord) { r.Emitter = append(r.Emitter, 1) },
				"sequence":    func(r *contracts.InboxRecord) { r.Sequence ^= 1 },
				"destination": func(r *contracts.InboxRecord) { r.Destination += "x" },
				"receiver":    func(r *contracts.InboxRecord) { r.Receiver += "x" },
				"contentType": func(r *contracts.InboxRecord) { r.ContentType += "x" },
				"payload":     func(r *contracts.InboxRecord) { r.Payload = append(r.Payload, 0) },
			} {
				r := inboxRecord(rec)
				r.Emitter = bytes.Clone(r.Emitter)
				r.Payload = bytes.Clone(r.Payload)
				mutate(&r)
				if d := view(t, f.bound, f.inbox.PackDigestOf(r), f.inbox.UnpackDigestOf); d == got {
					t.Errorf("changing %s did not change the digest", field)
				}
			}
		})
	}
}

// TestOutboxToInbox publishes on an Outbox and delivers the record it
// emitted, exactly as a relayer would carry it, to an Inbox.
func TestOutboxToInbox(t *testing.T) {
	src := newOutboxFixture(t)
	dst := newInboxFixture(t)
	receipt := src.chain.send(src.deployer, src.bound,
		src.outbox.PackPublish("dept-b", "licence-registry", "application/json", []byte(`{"licence":"A-1"}`)))
	pub := oneEvent(t, receipt, src.outbox.UnpackRecordPublishedEvent)

	rec := relayer.Record{
		ID:          pub.Id,
		Source:      relayer.SourceRef{Chain: "dept-a", Emitter: src.bound.Address().Bytes(), Sequence: pub.Sequence},
		Destination: relayer.ChainID(pub.Destination),
		Receiver:    pub.Receiver,
		ContentType: pub.ContentType,
		Payload:     pub.Payload,
		PayloadHash: pub.PayloadHash,
	}
	if err := rec.Check(); err != nil {
		t.Fatalf("published record fails relayer checks: %v", err)
	}
	commitment := view(t, src.bound, src.outbox.PackCommitments(rec.ID), src.outbox.UnpackCommitments)
	if d := view(t, dst.bound, dst.inbox.PackDigestOf(inboxRecord(rec)), dst.inbox.UnpackDigestOf); d != commitment {
		t.Fatalf("Inbox digest %x differs from the Outbox commitment %x", d, commitment)
	}
	dst.attest(t, dst.attestors[0], rec)
	delivered, receipt := dst.attest(t, dst.attestors[2], rec)
	if !delivered {
		t.Fatal("not delivered")
	}
	if ev := oneEvent(t, receipt, dst.inbox.UnpackRecordDeliveredEvent); ev.Digest != commitment {
		t.Fatalf("delivered digest %x, want the Outbox commitment %x", ev.Digest, commitment)
	}
}
