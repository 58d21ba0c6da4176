package mpt_test

import (
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/liaison-gw/liaison/proofs/mpt"
)

// vector is testdata/goquorum_qbft_storage_proof.json: a real eth_getProof
// answer from a GoQuorum 24.4.1 QBFT network for one stored commitment of an
// outbox contract, with the header it was taken at.
type vector struct {
	Contract common.Address `json:"contract"`
	GetProof struct {
		Address      common.Address  `json:"address"`
		AccountProof []hexutil.Bytes `json:"accountProof"`
		Balance      *hexutil.Big    `json:"balance"`
		CodeHash     common.Hash     `json:"codeHash"`
		Nonce        hexutil.Uint64  `json:"nonce"`
		StorageHash  common.Hash     `json:"storageHash"`
		StorageProof []struct {
			Key   common.Hash     `json:"key"`
			Value *hexutil.Big    `json:"value"`
			Proof []hexutil.Bytes `json:"proof"`
		} `json:"storageProof"`
	} `json:"getProof"`
	Header struct {
		StateRoot common.Hash `json:"stateRoot"`
	} `json:"header"`
	Record    hexutil.Bytes `json:"record"`
	RecordKey common.Hash   `json:"recordKey"`
	Slot      common.Hash   `json:"slot"`
}

// fixture is the vector in the form the verifiers take.
type fixture struct {
	stateRoot    common.Hash
	addr         common.Address
	accountProof [][]byte
	storageRoot  common.Hash
	slot         common.Hash
	storageProof [][]byte
	value        [32]byte
	recordKey    [32]byte
	record       []byte
}

func loadFixture(tb testing.TB) fixture {
	tb.Helper()
	raw, err := os.ReadFile("testdata/goquorum_qbft_storage_proof.json")
	if err != nil {
		tb.Fatal(err)
	}
	var v vector
	if err := json.Unmarshal(raw, &v); err != nil {
		tb.Fatal(err)
	}
	if len(v.GetProof.StorageProof) != 1 {
		tb.Fatalf("vector has %d storage proofs, want 1", len(v.GetProof.StorageProof))
	}
	sp := v.GetProof.StorageProof[0]
	f := fixture{
		stateRoot:   v.Header.StateRoot,
		addr:        v.Contract,
		storageRoot: v.GetProof.StorageHash,
		slot:        sp.Key,
		recordKey:   v.RecordKey,
		record:      v.Record,
	}
	for _, n := range v.GetProof.AccountProof {
		f.accountProof = append(f.accountProof, n)
	}
	for _, n := range sp.Proof {
		f.storageProof = append(f.storageProof, n)
	}
	sp.Value.ToInt().FillBytes(f.value[:])
	return f
}

func clone(p [][]byte) [][]byte {
	out := make([][]byte, len(p))
	for i, n := range p {
		out[i] = append([]byte(nil), n...)
	}
	return out
}

func TestVectorAccount(t *testing.T) {
	f := loadFixture(t)
	acc, err := mpt.VerifyAccount(f.stateRoot, f.addr, f.accountProof)
	if err != nil {
		t.Fatal(err)
	}
	if acc.Nonce != 1 || acc.Balance.Sign() != 0 {
		t.Errorf("nonce %d balance %v, want 1 and 0", acc.Nonce, acc.Balance)
	}
	if acc.StorageRoot != f.storageRoot {
		t.Errorf("storage root %s, want %s", acc.StorageRoot, f.storageRoot)
	}
	if want := common.HexToHash("0x354f4a293f6322ec6e0e2ac1ec39a1c57a929bfdbfc6c9382b1f8136e4d6c495"); acc.CodeHash != want {
		t.Errorf("code hash %s, want %s", acc.CodeHash, want)
	}
}

func TestVectorStorage(t *testing.T) {
	f := loadFixture(t)
	got, err := mpt.VerifyStorage(f.storageRoot, f.slot, f.storageProof)
	if err != nil {
		t.Fatal(err)
	}
	if got != f.value {
		t.Fatalf("value %x, want %x", got, f.value)
	}
	// The outbox stores keccak256(record) in mapping(bytes32 => bytes32) at slot 0.
	if want := crypto.Keccak256Hash(f.record); got != want {
		t.Errorf("value %x is not keccak256(record) %x", got, want)
	}
	if s := mpt.MappingSlot(f.recordKey, 0); s != f.slot {
		t.Errorf("MappingSlot(recordKey, 0) = %s, want %s", s, f.slot)
	}
	if err := mpt.VerifyStorageValue(f.stateRoot, f.addr, f.accountProof, f.slot, f.storageProof, f.value); err != nil {
		t.Fatal(err)
	}
}

// TestVectorByteFlips flips every bit pattern 0x01 and 0x80 of every byte of
// every proof node, one at a time. Each node is looked up by its keccak256,
// so any change unlinks it from its parent (or from the root); together with
// the rule that every node must be used, no byte of an MPT proof is outside
// the proof's coverage, and every flip must fail with ErrProofInvalid in the
// step of the flipped proof.
func TestVectorByteFlips(t *testing.T) {
	f := loadFixture(t)
	flips := 0
	for _, tc := range []struct {
		step  mpt.Step
		proof [][]byte
	}{{mpt.StepAccount, f.accountProof}, {mpt.StepStorage, f.storageProof}} {
		for i := range tc.proof {
			for j := range tc.proof[i] {
				for _, mask := range []byte{0x01, 0x80} {
					acct, stor := clone(f.accountProof), clone(f.storageProof)
					if tc.step == mpt.StepAccount {
						acct[i][j] ^= mask
					} else {
						stor[i][j] ^= mask
					}
					err := mpt.VerifyStorageValue(f.stateRoot, f.addr, acct, f.slot, stor, f.value)
					var pe *mpt.ProofError
					if !errors.Is(err, mpt.ErrProofInvalid) || !errors.As(err, &pe) || pe.Step != tc.step {
						t.Fatalf("%v node %d byte %d ^%#x: got %v, want ErrProofInvalid in %v", tc.step, i, j, mask, err, tc.step)
					}
					flips++
				}
			}
		}
	}
	t.Logf("%d single-byte corruptions rejected", flips)
}

func TestVectorRejections(t *testing.T) {
	f := loadFixture(t)
	otherAddr := f.addr
	otherAddr[19] ^= 1
	otherSlot := f.slot
	otherSlot[31] ^= 1
	otherValue := f.value
	otherValue[31] ^= 1
	otherRoot := f.stateRoot
	otherRoot[0] ^= 1

	// node is the index of the node at fault, -1 for none. With a wrong
	// address or slot the walk leaves the proof's path after the root, so
	// the next node is reported as not on the path.
	tests := []struct {
		name     string
		root     common.Hash
		addr     common.Address
		acct     [][]byte
		slot     common.Hash
		stor     [][]byte
		want     [32]byte
		sentinel error
		step     mpt.Step
		node     int
	}{
		{"wrong address", f.stateRoot, otherAddr, f.accountProof, f.slot, f.storageProof, f.value, mpt.ErrProofInvalid, mpt.StepAccount, 1},
		{"wrong slot", f.stateRoot, f.addr, f.accountProof, otherSlot, f.storageProof, f.value, mpt.ErrProofInvalid, mpt.StepStorage, 1},
		{"wrong value", f.stateRoot, f.addr, f.accountProof, f.slot, f.storageProof, otherValue, mpt.ErrValueMismatch, mpt.StepValue, -1},
		{"zero value", f.stateRoot, f.addr, f.accountProof, f.slot, f.storageProof, [32]byte{}, mpt.ErrValueMismatch, mpt.StepValue, -1},
		{"wrong state root", otherRoot, f.addr, f.accountProof, f.slot, f.storageProof, f.value, mpt.ErrProofInvalid, mpt.StepAccount, -1},
		{"account proof truncated", f.stateRoot, f.addr, f.accountProof[:len(f.accountProof)-1], f.slot, f.storageProof, f.value, mpt.ErrProofInvalid, mpt.StepAccount, -1},
		{"account proof without root", f.stateRoot, f.addr, f.accountProof[1:], f.slot, f.storageProof, f.value, mpt.ErrProofInvalid, mpt.StepAccount, -1},
		{"account proof empty", f.stateRoot, f.addr, nil, f.slot, f.storageProof, f.value, mpt.ErrProofInvalid, mpt.StepAccount, -1},
		{"storage proof truncated", f.stateRoot, f.addr, f.accountProof, f.slot, f.storageProof[:1], f.value, mpt.ErrProofInvalid, mpt.StepStorage, -1},
		{"storage proof empty", f.stateRoot, f.addr, f.accountProof, f.slot, nil, f.value, mpt.ErrProofInvalid, mpt.StepStorage, -1},
		{"account proof with extra node", f.stateRoot, f.addr, append(clone(f.accountProof), f.storageProof[0]), f.slot, f.storageProof, f.value, mpt.ErrProofInvalid, mpt.StepAccount, len(f.accountProof)},
		{"storage proof with extra node", f.stateRoot, f.addr, f.accountProof, f.slot, append(clone(f.storageProof), f.accountProof[1]), f.value, mpt.ErrProofInvalid, mpt.StepStorage, len(f.storageProof)},
		{"account proof with repeated node", f.stateRoot, f.addr, append(clone(f.accountProof), f.accountProof[0]), f.slot, f.storageProof, f.value, mpt.ErrProofInvalid, mpt.StepAccount, len(f.accountProof)},
		{"proofs swapped", f.stateRoot, f.addr, f.storageProof, f.slot, f.accountProof, f.value, mpt.ErrProofInvalid, mpt.StepAccount, -1},
		{"too many nodes", f.stateRoot, f.addr, make([][]byte, mpt.MaxProofNodes+1), f.slot, f.storageProof, f.value, mpt.ErrProofInvalid, mpt.StepAccount, -1},
		{"oversized node", f.stateRoot, f.addr, append(clone(f.accountProof), make([]byte, mpt.MaxNodeSize+1)), f.slot, f.storageProof, f.value, mpt.ErrProofInvalid, mpt.StepAccount, len(f.accountProof)},
		{"empty node", f.stateRoot, f.addr, f.accountProof, f.slot, append(clone(f.storageProof), []byte{}), f.value, mpt.ErrProofInvalid, mpt.StepStorage, len(f.storageProof)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := mpt.VerifyStorageValue(tc.root, tc.addr, tc.acct, tc.slot, tc.stor, tc.want)
			if !errors.Is(err, tc.sentinel) {
				t.Fatalf("got %v, want %v", err, tc.sentinel)
			}
			var pe *mpt.ProofError
			if !errors.As(err, &pe) {
				t.Fatalf("%T is not a *ProofError", err)
			}
			if pe.Step != tc.step {
				t.Errorf("step %v, want %v", pe.Step, tc.step)
			}
			if pe.Node != tc.node {
				t.Errorf("node %d, want %d", pe.Node, tc.node)
			}
			t.Log(err)
		})
	}
}

// TestVectorOrder: the proof is a set; eth_getProof lists it root first, but
// any order proves the same thing.
func TestVectorOrder(t *testing.T) {
	f := loadFixture(t)
	acct := clone(f.accountProof)
	for i, j := 0, len(acct)-1; i < j; i, j = i+1, j-1 {
		acct[i], acct[j] = acct[j], acct[i]
	}
	if err := mpt.VerifyStorageValue(f.stateRoot, f.addr, acct, f.slot, f.storageProof, f.value); err != nil {
		t.Fatal(err)
	}
}

// TestVectorAbsence derives proofs of absence from the real proofs: the root
// node alone proves absence for every key whose first nibble selects an empty
// branch of the root.
func TestVectorAbsence(t *testing.T) {
	f := loadFixture(t)

	var absentAddr common.Address
	found := false
	for i := 0; i < 256 && !found; i++ {
		a := common.BytesToAddress([]byte{0xab, byte(i)})
		_, err := mpt.VerifyAccount(f.stateRoot, a, f.accountProof[:1])
		if errors.Is(err, mpt.ErrAccountAbsent) {
			absentAddr, found = a, true
		}
	}
	if !found {
		t.Fatal("no address with an empty root branch among 256 candidates")
	}
	// The full proof of another account is not a proof of absence: it has
	// nodes off the path.
	if _, err := mpt.VerifyAccount(f.stateRoot, absentAddr, f.accountProof); !errors.Is(err, mpt.ErrProofInvalid) {
		t.Errorf("absence with surplus nodes: got %v, want ErrProofInvalid", err)
	}

	var absentSlot common.Hash
	found = false
	for i := 0; i < 256 && !found; i++ {
		s := common.BytesToHash([]byte{0xcd, byte(i)})
		if mpt.VerifyStorageAbsent(f.storageRoot, s, f.storageProof[:1]) == nil {
			absentSlot, found = s, true
		}
	}
	if !found {
		t.Fatal("no slot with an empty root branch among 256 candidates")
	}
	if _, err := mpt.VerifyStorage(f.storageRoot, absentSlot, f.storageProof[:1]); !errors.Is(err, mpt.ErrStorageAbsent) {
		t.Errorf("VerifyStorage on absent slot: got %v, want ErrStorageAbsent", err)
	}
	if err := mpt.VerifyStorageValueAbsent(f.stateRoot, f.addr, f.accountProof, absentSlot, f.storageProof[:1]); err != nil {
		t.Errorf("VerifyStorageValueAbsent: %v", err)
	}
	if err := mpt.VerifyStorageValue(f.stateRoot, f.addr, f.accountProof, absentSlot, f.storageProof[:1], f.value); !errors.Is(err, mpt.ErrStorageAbsent) {
		t.Errorf("VerifyStorageValue on absent slot: got %v, want ErrStorageAbsent", err)
	}
	if err := mpt.VerifyStorageAbsent(f.storageRoot, f.slot, f.storageProof); !errors.Is(err, mpt.ErrStoragePresent) {
		t.Errorf("VerifyStorageAbsent on present slot: got %v, want ErrStoragePresent", err)
	}
	if err := mpt.VerifyStorageValueAbsent(f.stateRoot, f.addr, f.accountProof, f.slot, f.storageProof); !errors.Is(err, mpt.ErrStoragePresent) {
		t.Errorf("VerifyStorageValueAbsent on present slot: got %v, want ErrStoragePresent", err)
	}
	if err := mpt.VerifyStorageValueAbsent(f.stateRoot, absentAddr, f.accountProof[:1], absentSlot, nil); !errors.Is(err, mpt.ErrAccountAbsent) {
		t.Errorf("VerifyStorageValueAbsent for absent account: got %v, want ErrAccountAbsent", err)
	}
	// A truncated membership proof is not a proof of absence.
	if err := mpt.VerifyStorageAbsent(f.storageRoot, f.slot, f.storageProof[:1]); !errors.Is(err, mpt.ErrProofInvalid) {
		t.Errorf("truncated proof as absence: got %v, want ErrProofInvalid", err)
	}
}

func TestProofErrorMessage(t *testing.T) {
	f := loadFixture(t)
	err := mpt.VerifyStorageValue(f.stateRoot, f.addr, f.accountProof, f.slot, append(clone(f.storageProof), f.accountProof[1]), f.value)
	want := "mpt: storage proof (root " + f.storageRoot.Hex() + ", key " + hexutil.Encode(f.slot[:]) + "), node 2: mpt: invalid proof: node is not on the path of the key"
	if err == nil || err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
}
