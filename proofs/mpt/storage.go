package mpt

import (
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
)

// VerifyStorage proves the value of slot under storageRoot (an account's
// storage root) with proof (one storageProof[i].proof of eth_getProof).
//
// It returns the value left-padded to 32 bytes. Otherwise it returns the zero
// value and a *ProofError (Step StepStorage) wrapping:
//
//   - ErrStorageAbsent: the proof is valid and shows the slot empty (zero);
//     use VerifyStorageAbsent when absence is what you want to prove;
//   - ErrProofInvalid: the proof proves nothing;
//   - ErrBadLeaf: the leaf is not the RLP string of 1 to 32 bytes without a
//     leading zero that EVM clients store.
//
// For the empty storage trie (types.EmptyRootHash) the proof must be empty
// (or the single node 0x80), and the result is ErrStorageAbsent.
func VerifyStorage(storageRoot, slot common.Hash, proof [][]byte) ([32]byte, error) {
	fail := func(node int, reason error) ([32]byte, error) {
		return [32]byte{}, &ProofError{Step: StepStorage, Root: storageRoot, Key: slot.Bytes(), Node: node, Reason: reason}
	}
	leaf, node, err := prove(storageRoot, slot[:], proof)
	if err != nil {
		return fail(node, err)
	}
	if leaf == nil {
		return fail(-1, ErrStorageAbsent)
	}
	v, err := decodeStorageValue(leaf)
	if err != nil {
		return fail(-1, err)
	}
	return v, nil
}

// VerifyStorageAbsent proves that slot holds no value (reads as zero) under
// storageRoot. It returns nil on a valid proof of absence, including the
// empty proof of the empty storage trie. Otherwise it returns a *ProofError
// (Step StepStorage) wrapping ErrStoragePresent (the proof is valid and
// shows a value) or ErrProofInvalid.
func VerifyStorageAbsent(storageRoot, slot common.Hash, proof [][]byte) error {
	leaf, node, err := prove(storageRoot, slot[:], proof)
	if err == nil && leaf != nil {
		err = ErrStoragePresent
	}
	if err != nil {
		return &ProofError{Step: StepStorage, Root: storageRoot, Key: slot.Bytes(), Node: node, Reason: err}
	}
	return nil
}

// VerifyStorageValue proves that, under stateRoot, the account at addr has
// want in slot: the account proof, then the storage proof against the
// proven account's storage root, then the comparison. The shape of both
// proofs is checked before either is hashed.
//
// Errors are *ProofError values; Step says which part failed:
//
//   - StepAccount: ErrProofInvalid, ErrAccountAbsent or ErrBadLeaf as in
//     VerifyAccount;
//   - StepStorage: ErrProofInvalid, ErrStorageAbsent or ErrBadLeaf as in
//     VerifyStorage;
//   - StepValue: ErrValueMismatch, the slot holds another value.
//
// A zero want can never match, because a zero value is not stored: prove it
// with VerifyStorageValueAbsent instead.
func VerifyStorageValue(stateRoot common.Hash, addr common.Address, accountProof [][]byte, slot common.Hash, storageProof [][]byte, want [32]byte) error {
	if err := checkBothShapes(stateRoot, addr, accountProof, slot, storageProof); err != nil {
		return err
	}
	acc, err := VerifyAccount(stateRoot, addr, accountProof)
	if err != nil {
		return err
	}
	got, err := VerifyStorage(acc.StorageRoot, slot, storageProof)
	if err != nil {
		return err
	}
	if got != want {
		return &ProofError{Step: StepValue, Root: acc.StorageRoot, Key: slot.Bytes(), Node: -1,
			Reason: fmt.Errorf("%w: proven %#x, want %#x", ErrValueMismatch, got, want)}
	}
	return nil
}

// VerifyStorageValueAbsent proves that, under stateRoot, the account at addr
// exists and its slot holds no value (reads as zero). Errors are as in
// VerifyStorageValue, except that the storage step fails with
// ErrStoragePresent when the slot holds a value. An absent account is
// reported as ErrAccountAbsent rather than as an empty slot, since the
// caller expects a contract there.
func VerifyStorageValueAbsent(stateRoot common.Hash, addr common.Address, accountProof [][]byte, slot common.Hash, storageProof [][]byte) error {
	if err := checkBothShapes(stateRoot, addr, accountProof, slot, storageProof); err != nil {
		return err
	}
	acc, err := VerifyAccount(stateRoot, addr, accountProof)
	if err != nil {
		return err
	}
	return VerifyStorageAbsent(acc.StorageRoot, slot, storageProof)
}

// checkBothShapes runs check 1 on both proofs before any hashing.
func checkBothShapes(stateRoot common.Hash, addr common.Address, accountProof [][]byte, slot common.Hash, storageProof [][]byte) error {
	if node, err := checkShape(accountProof); err != nil {
		return &ProofError{Step: StepAccount, Root: stateRoot, Key: addr.Bytes(), Node: node, Reason: err}
	}
	if node, err := checkShape(storageProof); err != nil {
		// The storage root is not known yet; Root stays zero.
		return &ProofError{Step: StepStorage, Key: slot.Bytes(), Node: node, Reason: err}
	}
	return nil
}

// decodeStorageValue decodes a storage leaf: the RLP string of the value
// with leading zeros removed, 1 to 32 bytes.
func decodeStorageValue(leaf []byte) ([32]byte, error) {
	var out [32]byte
	kind, content, rest, err := rlp.Split(leaf)
	switch {
	case err != nil:
		return out, fmt.Errorf("%w: %w", ErrBadLeaf, err)
	case len(rest) != 0:
		return out, fmt.Errorf("%w: %d bytes after the value", ErrBadLeaf, len(rest))
	case kind == rlp.List:
		return out, fmt.Errorf("%w: value is a list", ErrBadLeaf)
	case len(content) == 0 || len(content) > 32:
		return out, fmt.Errorf("%w: value of %d bytes, want 1 to 32", ErrBadLeaf, len(content))
	case content[0] == 0:
		return out, fmt.Errorf("%w: value has a leading zero byte", ErrBadLeaf)
	}
	copy(out[32-len(content):], content)
	return out, nil
}

// MappingSlot returns the storage slot of key in a Solidity mapping declared
// at storage slot slot: keccak256(key ‖ uint256(slot)). It serves
// mapping(bytes32 => T) and any mapping whose key ABI-encodes to the 32
// bytes given.
func MappingSlot(key [32]byte, slot uint64) common.Hash {
	var buf [64]byte
	copy(buf[:32], key[:])
	binary.BigEndian.PutUint64(buf[56:], slot)
	return crypto.Keccak256Hash(buf[:])
}
