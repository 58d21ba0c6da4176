package ics23

import (
	"bytes"
	"fmt"

	ics23 "github.com/cosmos/ics23/go"
	"google.golang.org/protobuf/encoding/protowire"
)

// StoreKey is the name of the IBC store in a Cosmos SDK multistore, the
// first element of every IBC Merkle path.
const StoreKey = "ibc"

// MaxProofSize bounds the encoded proof accepted, before anything is
// decoded. Real proofs of the IBC store are 1 to 3 KB.
const MaxProofSize = 64 << 10

const appHashSize = 32

// specs are the proof specs of an SDK chain, leaf tree first, as ibc-go's
// commitmenttypes.GetSDKSpecs returns them: IAVL for the store, and
// CometBFT's simple Merkle tree for the multistore.
var specs = [2]*ics23.ProofSpec{ics23.IavlSpec, ics23.TendermintSpec}

// VerifyPacketCommitment verifies that the IBC store under appHash holds
// value at key. It is VerifyMembership with store StoreKey ("ibc"), the
// check ibc-go runs as MerkleProof.VerifyMembership(GetSDKSpecs(), root,
// MerklePath("ibc", key), value). Despite the name it proves any key of the
// IBC store: packet commitments (see PacketCommitmentKey and CommitPacket),
// acknowledgements, receipts.
func VerifyPacketCommitment(appHash, proof, key, value []byte) error {
	return VerifyMembership(appHash, proof, StoreKey, key, value)
}

// VerifyPacketAbsence verifies that the IBC store under appHash holds no
// value at key. It is VerifyNonMembership with store StoreKey, ibc-go's
// MerkleProof.VerifyNonMembership with the SDK specs. A relayer uses it to
// prove a timeout (no receipt at the destination) or that a commitment was
// cleared.
func VerifyPacketAbsence(appHash, proof, key []byte) error {
	return VerifyNonMembership(appHash, proof, StoreKey, key)
}

// VerifyMembership verifies that the store named store, in the multistore
// under appHash, holds value at key. proof is a serialized
// ibc.core.commitment.v1.MerkleProof as an SDK node returns it for the
// query path "store/<store>/key" (converted with ibc-go's ConvertProofs,
// then Marshal).
//
// appHash must be the app hash of the header one above the queried store
// version: a proof for version H verifies against header H+1, which a
// light client (proofs/tendermint) has verified.
//
// Checks, in order, and the sentinel each failure wraps (always inside a
// *ProofError):
//
//  1. Arguments: a 32-byte app hash, a non-empty store name, key and value:
//     ErrInvalidArgument.
//  2. Decoding: at most MaxProofSize bytes, the canonical encoding of two
//     existence proofs: ErrProofDecode.
//  3. Level 0: the IAVL proof, under the IAVL spec, for exactly key and
//     value: ErrMembership. Its root becomes the value of level 1.
//  4. Level 1: the multistore proof, under the simple Merkle spec, for key
//     store and the store root: ErrMembership.
//  5. The multistore root equals appHash: ErrRootMismatch.
//
// Hashing is bounded by the proof size (each spec bounds the depth); there
// are no signatures.
func VerifyMembership(appHash, proof []byte, store string, key, value []byte) error {
	fail := func(l Level, err error) error {
		return &ProofError{Level: l, Store: store, Key: bytes.Clone(key), AppHash: bytes.Clone(appHash), Reason: err}
	}
	if err := checkArgs(appHash, store, key); err != nil {
		return fail(LevelNone, err)
	}
	if len(value) == 0 {
		return fail(LevelNone, fmt.Errorf("%w: empty value", ErrInvalidArgument))
	}
	proofs, err := decodeMerkleProof(proof)
	if err != nil {
		return fail(LevelNone, err)
	}
	ep := proofs[0].GetExist()
	if ep == nil {
		return fail(LevelStore, fmt.Errorf("%w: store proof is not an existence proof", ErrMembership))
	}
	storeRoot, err := verifyExistence(LevelStore, ep, key, value)
	if err != nil {
		return fail(LevelStore, err)
	}
	if l, err := verifyStoreRoot(appHash, proofs[1], store, storeRoot); err != nil {
		return fail(l, err)
	}
	return nil
}

// VerifyNonMembership verifies that the store named store, in the
// multistore under appHash, holds no value at key, with proof a serialized
// MerkleProof whose first proof is a non-existence proof, as an SDK node
// returns it for an absent key.
//
// Checks, in order: arguments (ErrInvalidArgument); decoding
// (ErrProofDecode); level 0 is a non-existence proof whose neighbours
// verify under the IAVL spec, bracket key and are adjacent
// (ErrNonMembership), and which names key itself (stricter than ibc-go,
// which ignores that field); level 1 and the root as for VerifyMembership
// (ErrMembership, ErrRootMismatch).
func VerifyNonMembership(appHash, proof []byte, store string, key []byte) error {
	fail := func(l Level, err error) error {
		return &ProofError{Level: l, Store: store, Key: bytes.Clone(key), AppHash: bytes.Clone(appHash), Reason: err}
	}
	if err := checkArgs(appHash, store, key); err != nil {
		return fail(LevelNone, err)
	}
	proofs, err := decodeMerkleProof(proof)
	if err != nil {
		return fail(LevelNone, err)
	}
	np := proofs[0].GetNonexist()
	if np == nil {
		return fail(LevelStore, fmt.Errorf("%w: store proof is not a non-existence proof", ErrNonMembership))
	}
	// ICS-23 verification ignores the key a non-existence proof names;
	// nodes always set it to the queried key, and requiring that leaves no
	// unchecked bytes in an accepted proof.
	if !bytes.Equal(np.Key, key) {
		return fail(LevelStore, fmt.Errorf("%w: proof is for key %x", ErrNonMembership, np.Key))
	}
	storeRoot, err := proofs[0].Calculate()
	if err != nil {
		return fail(LevelStore, fmt.Errorf("%w: %v", ErrNonMembership, err))
	}
	if err := np.Verify(specs[LevelStore], storeRoot, key); err != nil {
		return fail(LevelStore, fmt.Errorf("%w: %v", ErrNonMembership, err))
	}
	if l, err := verifyStoreRoot(appHash, proofs[1], store, storeRoot); err != nil {
		return fail(l, err)
	}
	return nil
}

func checkArgs(appHash []byte, store string, key []byte) error {
	switch {
	case len(appHash) != appHashSize:
		return fmt.Errorf("%w: app hash of %d bytes", ErrInvalidArgument, len(appHash))
	case store == "":
		return fmt.Errorf("%w: empty store name", ErrInvalidArgument)
	case len(key) == 0:
		return fmt.Errorf("%w: empty key", ErrInvalidArgument)
	}
	return nil
}

// verifyStoreRoot checks the multistore proof p for the root of store and
// that it leads to appHash.
func verifyStoreRoot(appHash []byte, p *ics23.CommitmentProof, store string, storeRoot []byte) (Level, error) {
	ep := p.GetExist()
	if ep == nil {
		return LevelMultistore, fmt.Errorf("%w: multistore proof is not an existence proof", ErrMembership)
	}
	root, err := verifyExistence(LevelMultistore, ep, []byte(store), storeRoot)
	if err != nil {
		return LevelMultistore, err
	}
	if !bytes.Equal(root, appHash) {
		return LevelNone, fmt.Errorf("%w: proof leads to %X", ErrRootMismatch, root)
	}
	return LevelNone, nil
}

// verifyExistence checks ep under the spec of level l for key and value and
// returns the root it computes, as ibc-go's chained verification does.
func verifyExistence(l Level, ep *ics23.ExistenceProof, key, value []byte) ([]byte, error) {
	root, err := ep.Calculate()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMembership, err)
	}
	if err := ep.Verify(specs[l], root, key, value); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMembership, err)
	}
	return root, nil
}

// decodeMerkleProof decodes a canonical MerkleProof{repeated
// CommitmentProof proofs = 1} holding exactly two proofs. Errors wrap
// ErrProofDecode.
func decodeMerkleProof(raw []byte) ([2]*ics23.CommitmentProof, error) {
	var out [2]*ics23.CommitmentProof
	if len(raw) > MaxProofSize {
		return out, fmt.Errorf("%w: %d bytes exceeds %d", ErrProofDecode, len(raw), MaxProofSize)
	}
	n := 0
	for rest := raw; len(rest) > 0; {
		num, typ, tagLen := protowire.ConsumeTag(rest)
		if tagLen < 0 {
			return out, fmt.Errorf("%w: %v", ErrProofDecode, protowire.ParseError(tagLen))
		}
		if num != 1 || typ != protowire.BytesType {
			return out, fmt.Errorf("%w: unexpected field %d of wire type %d", ErrProofDecode, num, typ)
		}
		body, bodyLen := protowire.ConsumeBytes(rest[tagLen:])
		if bodyLen < 0 {
			return out, fmt.Errorf("%w: %v", ErrProofDecode, protowire.ParseError(bodyLen))
		}
		if n == len(out) {
			return out, fmt.Errorf("%w: more than %d proofs", ErrProofDecode, len(out))
		}
		var p ics23.CommitmentProof
		if err := p.Unmarshal(body); err != nil {
			return out, fmt.Errorf("%w: proof %d: %v", ErrProofDecode, n, err)
		}
		// One proof, one encoding: gogoproto skips unknown fields and
		// accepts fields out of order, so compare with the re-encoding.
		enc, err := p.Marshal()
		if err != nil || !bytes.Equal(enc, body) {
			return out, fmt.Errorf("%w: proof %d is not canonically encoded", ErrProofDecode, n)
		}
		switch p.Proof.(type) {
		case *ics23.CommitmentProof_Exist, *ics23.CommitmentProof_Nonexist:
		default:
			return out, fmt.Errorf("%w: proof %d is a %T, not an existence or non-existence proof", ErrProofDecode, n, p.Proof)
		}
		out[n] = &p
		n++
		rest = rest[tagLen+bodyLen:]
	}
	if n != len(out) {
		return out, fmt.Errorf("%w: %d proofs, want %d", ErrProofDecode, n, len(out))
	}
	return out, nil
}
