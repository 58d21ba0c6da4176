package mpt_test

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/liaison-gw/liaison/proofs/mpt"
)

// FuzzVerifyStorageValue mutates both proofs (each RLP-encoded as a list of
// nodes), the slot and the wanted value of the real vector under its real
// state root and address. It must never panic, and since the root commits
// to one value per slot and the fuzzer cannot invent nodes that hash to
// what the proof's parents reference, any accepted input must be the
// vector's own slot and value.
func FuzzVerifyStorageValue(f *testing.F) {
	fx := loadFixture(f)
	acct, _ := rlp.EncodeToBytes(fx.accountProof)
	stor, _ := rlp.EncodeToBytes(fx.storageProof)
	f.Add(acct, stor, fx.slot[:], fx.value[:])
	f.Add(acct, stor, fx.slot[:], make([]byte, 32))
	f.Add(acct, []byte{0xc0}, fx.slot[:], fx.value[:])
	f.Fuzz(func(t *testing.T, acctRLP, storRLP, slotB, wantB []byte) {
		var acctProof, storProof [][]byte
		if rlp.DecodeBytes(acctRLP, &acctProof) != nil || rlp.DecodeBytes(storRLP, &storProof) != nil {
			return
		}
		slot := common.BytesToHash(slotB)
		var want [32]byte
		copy(want[:], wantB)
		err := mpt.VerifyStorageValue(fx.stateRoot, fx.addr, acctProof, slot, storProof, want)
		if err == nil && (slot != fx.slot || want != fx.value) {
			t.Fatalf("accepted slot %s value %x, the root holds %x at %s", slot, want, fx.value, fx.slot)
		}
		// The pieces must agree with the whole.
		_, aerr := mpt.VerifyAccount(fx.stateRoot, fx.addr, acctProof)
		if err == nil && aerr != nil {
			t.Fatalf("chain accepted but account rejected: %v", aerr)
		}
		_ = mpt.VerifyStorageAbsent(fx.storageRoot, slot, storProof)
	})
}

func BenchmarkVerifyStorageValue(b *testing.B) {
	fx := loadFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := mpt.VerifyStorageValue(fx.stateRoot, fx.addr, fx.accountProof, fx.slot, fx.storageProof, fx.value); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyAccount(b *testing.B) {
	fx := loadFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := mpt.VerifyAccount(fx.stateRoot, fx.addr, fx.accountProof); err != nil {
			b.Fatal(err)
		}
	}
}
