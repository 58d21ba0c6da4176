package contracts_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/params"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
	"github.com/liaison-gw/liaison/relayer"
)

const (
	// recordIDVector is relayer's fixed vector: chain "dept-a", emitter
	// vectorEmitter, sequence 1.
	recordIDVector = "c0a8f70b65438bd7acc429f1be20f5bab62cf19f803a5effc4f9689720db939c"
	vectorEmitter  = "0x5fbdb2315678afecb367f032d93f642f64180aa3"
	// vectorDeployerKey is the well-known first development key of the
	// Hardhat/Anvil tool chains. Its first contract (nonce 0) lands at
	// vectorEmitter, so the Outbox reproduces the fixed vector exactly.
	vectorDeployerKey = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
)

// outboxFixture is an Outbox for chain "dept-a" deployed at vectorEmitter.
type outboxFixture struct {
	chain    *testChain
	outbox   *contracts.Outbox
	bound    *bind.BoundContract
	deployer account
}

func newOutboxFixture(t *testing.T) *outboxFixture {
	t.Helper()
	return newOutboxFixtureWithRules(t, nil)
}

func newOutboxFixtureWithRules(t *testing.T, rules *params.ChainConfig) *outboxFixture {
	t.Helper()
	deployer := accountFromKey(t, common.FromHex(vectorDeployerKey))
	chain := newTestChainWithRules(t, rules, deployer)
	outbox := contracts.NewOutbox()
	bound, _ := chain.deploy(deployer, &contracts.OutboxMetaData, outbox.PackConstructor("dept-a"))
	if bound.Address() != common.HexToAddress(vectorEmitter) {
		t.Fatalf("outbox deployed at %s, want %s", bound.Address(), vectorEmitter)
	}
	return &outboxFixture{chain: chain, outbox: outbox, bound: bound, deployer: deployer}
}

// testRecord is the record the Outbox should produce for these arguments.
func (f *outboxFixture) testRecord(t *testing.T, seq uint64, payload []byte) relayer.Record {
	t.Helper()
	r := relayer.NewTestRecord("dept-a", f.bound.Address().Bytes(), seq, payload)
	r.Destination = "dept-b"
	r.Receiver = "licence-registry"
	r.ContentType = "application/json"
	return r
}

func TestOutboxPublish(t *testing.T) {
	f := newOutboxFixture(t)
	ctx := context.Background()

	if got := view(t, f.bound, f.outbox.PackChainName(), f.outbox.UnpackChainName); got != "dept-a" {
		t.Fatalf("chainName = %q", got)
	}
	if got := view(t, f.bound, f.outbox.PackNextSequence(), f.outbox.UnpackNextSequence); got != 1 {
		t.Fatalf("nextSequence before the first publish = %d, want 1", got)
	}

	for seq := uint64(1); seq <= 3; seq++ {
		want := f.testRecord(t, seq, fmt.Appendf(nil, `{"licence":"A-%d"}`, seq))
		digest := recordDigest(t, want)

		// The call's return values, then the transaction itself.
		out := view(t, f.bound,
			f.outbox.PackPublish(string(want.Destination), want.Receiver, want.ContentType, want.Payload),
			f.outbox.UnpackPublish)
		if out.Seq != seq || out.Id != want.ID {
			t.Fatalf("publish returns (%x, %d), want (%s, %d)", out.Id, out.Seq, want.ID, seq)
		}
		receipt := f.chain.send(f.deployer, f.bound,
			f.outbox.PackPublish(string(want.Destination), want.Receiver, want.ContentType, want.Payload))
		t.Logf("publish #%d: gas used %d (%d-byte payload)", seq, receipt.GasUsed, len(want.Payload))

		ev := oneEvent(t, receipt, f.outbox.UnpackRecordPublishedEvent)
		if relayer.RecordID(ev.Id) != want.ID || ev.Sequence != seq {
			t.Fatalf("RecordPublished id/sequence = %x/%d, want %s/%d", ev.Id, ev.Sequence, want.ID, seq)
		}
		if ev.Destination != string(want.Destination) || ev.Receiver != want.Receiver ||
			ev.ContentType != want.ContentType || string(ev.Payload) != string(want.Payload) ||
			ev.PayloadHash != [32]byte(want.PayloadHash) {
			t.Fatalf("RecordPublished fields = %+v, want %+v", ev, want)
		}
		if seq == 1 && want.ID.String() != recordIDVector {
			t.Fatalf("first record id = %s, want the fixed vector %s", want.ID, recordIDVector)
		}

		// The commitment, through the getter and straight from storage.
		if got := view(t, f.bound, f.outbox.PackCommitments(want.ID), f.outbox.UnpackCommitments); got != digest {
			t.Fatalf("commitments(id) = %x, want digest %s", got, digest)
		}
		raw, err := f.chain.client.StorageAt(ctx, f.bound.Address(), commitmentSlot(want.ID), nil)
		if err != nil {
			t.Fatalf("StorageAt: %v", err)
		}
		if common.BytesToHash(raw) != digest {
			t.Fatalf("storage at keccak(id‖0) = %x, want digest %s", raw, digest)
		}

		if got := view(t, f.bound, f.outbox.PackRecordId(seq), f.outbox.UnpackRecordId); got != want.ID {
			t.Fatalf("recordId(%d) = %x, want %s", seq, got, want.ID)
		}
		if got := view(t, f.bound, f.outbox.PackNextSequence(), f.outbox.UnpackNextSequence); got != seq+1 {
			t.Fatalf("nextSequence = %d, want %d", got, seq+1)
		}
	}
}

func TestOutboxRecordIDMatchesRelayer(t *testing.T) {
	f := newOutboxFixture(t)
	for _, seq := range []uint64{0, 1, 2, 255, 256, 1 << 32, ^uint64(0)} {
		want, err := relayer.ComputeRecordID("dept-a", f.bound.Address().Bytes(), seq)
		if err != nil {
			t.Fatal(err)
		}
		if got := view(t, f.bound, f.outbox.PackRecordId(seq), f.outbox.UnpackRecordId); got != want {
			t.Errorf("recordId(%d) = %x, want %s", seq, got, want)
		}
	}
}

func TestOutboxUnpublishedCommitmentIsZero(t *testing.T) {
	f := newOutboxFixture(t)
	id := f.testRecord(t, 1, nil).ID
	raw, err := f.chain.client.StorageAt(context.Background(), f.bound.Address(), commitmentSlot(id), nil)
	if err != nil {
		t.Fatalf("StorageAt: %v", err)
	}
	if common.BytesToHash(raw) != (common.Hash{}) {
		t.Fatalf("commitment of an unpublished record = %x, want zero", raw)
	}
}

func TestOutboxEmptyPayload(t *testing.T) {
	f := newOutboxFixture(t)
	want := f.testRecord(t, 1, nil)
	receipt := f.chain.send(f.deployer, f.bound, f.outbox.PackPublish("dept-b", want.Receiver, want.ContentType, nil))
	ev := oneEvent(t, receipt, f.outbox.UnpackRecordPublishedEvent)
	if ev.PayloadHash != [32]byte(want.PayloadHash) || len(ev.Payload) != 0 {
		t.Fatalf("empty payload: hash %x, payload %x; want sha256(\"\") = %x", ev.PayloadHash, ev.Payload, want.PayloadHash)
	}
	if got := view(t, f.bound, f.outbox.PackCommitments(want.ID), f.outbox.UnpackCommitments); got != recordDigest(t, want) {
		t.Fatalf("commitment = %x, want %s", got, recordDigest(t, want))
	}
}

func TestOutboxRejectsEmptyDestination(t *testing.T) {
	f := newOutboxFixture(t)
	err := f.chain.trySend(f.deployer, f.bound, f.outbox.PackPublish("", "r", "text/plain", []byte("x")))
	requireRevert(t, err, contracts.OutboxEmptyDestinationErrorID())
	if got := view(t, f.bound, f.outbox.PackNextSequence(), f.outbox.UnpackNextSequence); got != 1 {
		t.Fatalf("nextSequence after a refused publish = %d, want 1", got)
	}
}

func TestOutboxRejectsEmptyChainName(t *testing.T) {
	deployer := newAccount(t, "deployer")
	chain := newTestChain(t, deployer)
	_, _, err := chain.tryDeploy(deployer, &contracts.OutboxMetaData, contracts.NewOutbox().PackConstructor(""))
	requireRevert(t, err, contracts.OutboxEmptyChainNameErrorID())
}
