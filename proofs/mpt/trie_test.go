package mpt_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/trie"
	"github.com/ethereum/go-ethereum/trie/trienode"
	"github.com/holiman/uint256"
	"github.com/liaison-gw/liaison/proofs/mpt"
)

// secureTrie is an in-memory trie keyed by keccak256(key), as the state and
// storage tries are.
type secureTrie struct{ t *trie.Trie }

func newSecureTrie(tb testing.TB) *secureTrie {
	tr, err := trie.New(trie.TrieID(types.EmptyRootHash), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &secureTrie{tr}
}

func (s *secureTrie) put(tb testing.TB, key, leaf []byte) {
	if err := s.t.Update(crypto.Keccak256(key), leaf); err != nil {
		tb.Fatal(err)
	}
}

func (s *secureTrie) prove(tb testing.TB, key []byte) [][]byte {
	set := trienode.NewProofSet()
	if err := s.t.Prove(crypto.Keccak256(key), set); err != nil {
		tb.Fatal(err)
	}
	return set.List()
}

func storageLeaf(tb testing.TB, v []byte) []byte {
	enc, err := rlp.EncodeToBytes(bytes.TrimLeft(v, "\x00"))
	if err != nil {
		tb.Fatal(err)
	}
	return enc
}

// TestGeneratedStorageTrie proves every key of random storage tries of
// several sizes (small values make nodes under 32 bytes, which are embedded
// in their parents), absence for keys not in them, and rejects each proof
// for every other key.
func TestGeneratedStorageTrie(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 17, 300} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			st := newSecureTrie(t)
			values := map[common.Hash][32]byte{}
			for len(values) < n {
				var slot common.Hash
				var v [32]byte
				for i := range slot {
					slot[i] = byte(rng.Uint32())
				}
				width := 1 + rng.IntN(32)
				for i := 32 - width; i < 32; i++ {
					v[i] = byte(rng.Uint32())
				}
				v[32-width] |= 1 // non-zero, so stored with exactly width bytes
				values[slot] = v
				st.put(t, slot[:], storageLeaf(t, v[:]))
			}
			root := st.t.Hash()
			var slots []common.Hash
			for slot, want := range values {
				slots = append(slots, slot)
				got, err := mpt.VerifyStorage(root, slot, st.prove(t, slot[:]))
				if err != nil || got != want {
					t.Fatalf("slot %s: got %x, %v; want %x", slot, got, err, want)
				}
			}
			for i := 0; i < 50; i++ {
				absent := common.BytesToHash([]byte{0xee, byte(i)})
				proof := st.prove(t, absent[:])
				if err := mpt.VerifyStorageAbsent(root, absent, proof); err != nil {
					t.Fatalf("absent slot %s: %v", absent, err)
				}
				if _, err := mpt.VerifyStorage(root, absent, proof); !errors.Is(err, mpt.ErrStorageAbsent) {
					t.Fatalf("VerifyStorage(absent): got %v, want ErrStorageAbsent", err)
				}
			}
			// A proof for one slot proves nothing about another, except
			// when it happens to be a valid absence proof (it cannot be a
			// membership proof for another key).
			for i := 0; i < len(slots) && i < 40; i++ {
				a, b := slots[i], slots[(i+1)%len(slots)]
				if a == b {
					continue
				}
				if _, err := mpt.VerifyStorage(root, b, st.prove(t, a[:])); err == nil {
					t.Fatalf("proof of %s accepted as membership of %s", a, b)
				}
			}
		})
	}
}

// TestGeneratedState builds a state trie holding a contract account whose
// storage root is a generated storage trie, and verifies the chain.
func TestGeneratedState(t *testing.T) {
	storage := newSecureTrie(t)
	var slots []common.Hash
	for i := 0; i < 40; i++ {
		slot := mpt.MappingSlot(crypto.Keccak256Hash([]byte{byte(i)}), 3)
		slots = append(slots, slot)
		storage.put(t, slot[:], storageLeaf(t, crypto.Keccak256([]byte{byte(i), 1})))
	}
	contract := common.HexToAddress("0x00000000000000000000000000000000000c0de1")
	acct := types.StateAccount{Nonce: 7, Balance: uint256.NewInt(1e18), Root: storage.t.Hash(), CodeHash: crypto.Keccak256([]byte("code"))}
	state := newSecureTrie(t)
	for i := 0; i < 100; i++ {
		other := types.StateAccount{Nonce: uint64(i), Balance: uint256.NewInt(uint64(i)), Root: types.EmptyRootHash, CodeHash: types.EmptyCodeHash[:]}
		enc, _ := rlp.EncodeToBytes(&other)
		state.put(t, common.BigToAddress(big.NewInt(int64(i+1))).Bytes(), enc)
	}
	enc, _ := rlp.EncodeToBytes(&acct)
	state.put(t, contract[:], enc)
	stateRoot := state.t.Hash()

	got, err := mpt.VerifyAccount(stateRoot, contract, state.prove(t, contract[:]))
	if err != nil {
		t.Fatal(err)
	}
	if got.Nonce != 7 || got.Balance.Cmp(big.NewInt(1e18)) != 0 || got.StorageRoot != acct.Root || got.CodeHash != common.BytesToHash(acct.CodeHash) {
		t.Fatalf("account %+v, want %+v", got, acct)
	}
	for i, slot := range slots {
		want := crypto.Keccak256Hash([]byte{byte(i), 1})
		if err := mpt.VerifyStorageValue(stateRoot, contract, state.prove(t, contract[:]), slot, storage.prove(t, slot[:]), want); err != nil {
			t.Fatalf("slot %d: %v", i, err)
		}
	}
	nobody := common.HexToAddress("0x00000000000000000000000000000000000b0d1e")
	if _, err := mpt.VerifyAccount(stateRoot, nobody, state.prove(t, nobody[:])); !errors.Is(err, mpt.ErrAccountAbsent) {
		t.Fatalf("absent account: got %v, want ErrAccountAbsent", err)
	}
	// An account without storage has the empty root and an empty proof.
	plain := common.BigToAddress(big.NewInt(5))
	pa, err := mpt.VerifyAccount(stateRoot, plain, state.prove(t, plain[:]))
	if err != nil {
		t.Fatal(err)
	}
	if err := mpt.VerifyStorageValueAbsent(stateRoot, plain, state.prove(t, plain[:]), slots[0], nil); err != nil {
		t.Fatalf("empty storage: %v", err)
	}
	if _, err := mpt.VerifyStorage(pa.StorageRoot, slots[0], nil); !errors.Is(err, mpt.ErrStorageAbsent) {
		t.Fatalf("VerifyStorage on empty trie: got %v, want ErrStorageAbsent", err)
	}
}

func TestEmptyTrie(t *testing.T) {
	slot := common.HexToHash("0x01")
	for _, tc := range []struct {
		name  string
		proof [][]byte
		want  error
	}{
		{"no nodes", nil, nil},
		{"empty slice", [][]byte{}, nil},
		{"the empty node", [][]byte{{0x80}}, nil},
		{"empty node twice", [][]byte{{0x80}, {0x80}}, mpt.ErrProofInvalid},
		{"another node", [][]byte{{0xc2, 0x80, 0x80}}, mpt.ErrProofInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := mpt.VerifyStorageAbsent(types.EmptyRootHash, slot, tc.proof); !errors.Is(err, tc.want) {
				t.Fatalf("VerifyStorageAbsent: got %v, want %v", err, tc.want)
			}
			wantMember := tc.want
			if wantMember == nil {
				wantMember = mpt.ErrStorageAbsent
			}
			if _, err := mpt.VerifyStorage(types.EmptyRootHash, slot, tc.proof); !errors.Is(err, wantMember) {
				t.Fatalf("VerifyStorage: got %v, want %v", err, wantMember)
			}
		})
	}
	if _, err := mpt.VerifyAccount(types.EmptyRootHash, common.Address{1}, nil); !errors.Is(err, mpt.ErrAccountAbsent) {
		t.Fatalf("VerifyAccount on the empty state: got %v, want ErrAccountAbsent", err)
	}
}

// TestBadLeaves: valid proofs of leaves that no EVM client writes.
func TestBadLeaves(t *testing.T) {
	for _, tc := range []struct {
		name string
		leaf []byte
	}{
		{"leading zero", []byte{0x82, 0x00, 0x01}},
		{"33 bytes", append([]byte{0xa1}, bytes.Repeat([]byte{1}, 33)...)},
		{"list", []byte{0xc1, 0x01}},
		{"trailing byte", []byte{0x01, 0x02}},
		{"empty string", []byte{0x80}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := newSecureTrie(t)
			slot := common.HexToHash("0x02")
			st.put(t, slot[:], tc.leaf)
			st.put(t, common.HexToHash("0x03").Bytes(), storageLeaf(t, []byte{9}))
			if _, err := mpt.VerifyStorage(st.t.Hash(), slot, st.prove(t, slot[:])); !errors.Is(err, mpt.ErrBadLeaf) {
				t.Fatalf("got %v, want ErrBadLeaf", err)
			}
		})
	}
	st := newSecureTrie(t)
	addr := common.Address{7}
	st.put(t, addr[:], []byte{0xc3, 0x01, 0x02, 0x03})
	if _, err := mpt.VerifyAccount(st.t.Hash(), addr, st.prove(t, addr[:])); !errors.Is(err, mpt.ErrBadLeaf) {
		t.Fatalf("account: got %v, want ErrBadLeaf", err)
	}
	short := types.StateAccount{Balance: new(uint256.Int), CodeHash: []byte{1, 2, 3}}
	enc, _ := rlp.EncodeToBytes(&short)
	st.put(t, addr[:], enc)
	if _, err := mpt.VerifyAccount(st.t.Hash(), addr, st.prove(t, addr[:])); !errors.Is(err, mpt.ErrBadLeaf) {
		t.Fatalf("short code hash: got %v, want ErrBadLeaf", err)
	}
}

func TestMappingSlot(t *testing.T) {
	key := common.HexToHash("0x3be0aa081ff3daeec00ec57580fbec668d5f5c32062be29d8eccd670a60fedc2")
	want := crypto.Keccak256Hash(key[:], common.BigToHash(big.NewInt(5)).Bytes())
	if got := mpt.MappingSlot(key, 5); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	want = crypto.Keccak256Hash(key[:], common.BigToHash(new(big.Int).SetUint64(^uint64(0))).Bytes())
	if got := mpt.MappingSlot(key, ^uint64(0)); got != want {
		t.Fatalf("max slot: got %s, want %s", got, want)
	}
}
