package tendermint

import (
	"bytes"
	"errors"
	"fmt"
	"math"

	"github.com/cometbft/cometbft/crypto"
	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/crypto/merkle"
	"github.com/cometbft/cometbft/crypto/secp256k1"
	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
)

// Limits on untrusted input, checked before decoding.
const (
	// MaxValidators is the largest validator set (and commit) accepted; it
	// is CometBFT's MaxVotesCount.
	MaxValidators = 10000
	// MaxSignedHeaderSize is the largest encoded signed header accepted.
	MaxSignedHeaderSize = 2 << 20
	// MaxValidatorSetSize is the largest encoded validator set accepted.
	MaxValidatorSetSize = 2 << 20
	// MaxTotalVotingPower is CometBFT's bound on a set's total voting power.
	MaxTotalVotingPower = int64(math.MaxInt64) / 8
)

const (
	hashSize      = 32 // SHA-256
	addressSize   = 20 // CometBFT validator address
	signatureSize = 64 // ed25519 and secp256k1 signatures in CometBFT
	blockProtocol = 11 // CometBFT's version.BlockProtocol
)

// LightBlock is an untrusted header with what is needed to verify it, as
// protobuf bytes of the CometBFT v0.38 messages (the encoding
// 07-tendermint's MsgUpdateClient carries). The JSON form has the three
// fields in base64.
//
// Each field must be the canonical encoding: the bytes that
// gogoproto's Marshal (which CometBFT, the SDK and ibc-go use) writes for
// the decoded message. Non-canonical encodings (unknown fields, fields out
// of order, explicit defaults) are rejected with ErrDecode, so that one
// light block has one byte representation in evidence bundles. An adapter
// that got the data as JSON from CometBFT's RPC converts it with CometBFT's
// types (ToProto, then Marshal).
type LightBlock struct {
	// SignedHeader is a tendermint.types.SignedHeader: the header and the
	// commit for it.
	SignedHeader []byte `json:"signed_header"`
	// ValidatorSet is a tendermint.types.ValidatorSet: the set that signs
	// the header's height, hashing to the header's ValidatorsHash. The
	// proposer and the priorities are not covered by the hash and not
	// used; the proposer may be omitted (if present it must be valid and a
	// member, as CometBFT requires).
	ValidatorSet []byte `json:"validator_set"`
	// NextValidatorSet is the tendermint.types.ValidatorSet that signs the
	// next height, hashing to the header's NextValidatorsHash. It becomes
	// the NextValidators of the returned TrustedState. Leave it empty when
	// it equals ValidatorSet (NextValidatorsHash == ValidatorsHash), as it
	// does while the set is unchanged.
	NextValidatorSet []byte `json:"next_validator_set,omitempty"`
}

// block is a decoded signed header whose basic validity has been checked.
type block struct {
	header *cmtproto.Header
	commit *cmtproto.Commit
	hash   []byte
}

func (b *block) height() uint64 { return uint64(b.header.Height) }

// validator is one decoded member of a validator set.
type validator struct {
	address []byte
	pubKey  crypto.PubKey
	power   int64
}

// valSet is a decoded validator set.
type valSet struct {
	vals       []validator
	total      int64
	hash       []byte
	allEd25519 bool
	index      map[string]int // address → position
}

// decodeSignedHeader decodes a canonical SignedHeader with a header and a
// commit. Errors wrap ErrDecode.
func decodeSignedHeader(raw []byte) (*cmtproto.SignedHeader, error) {
	if len(raw) > MaxSignedHeaderSize {
		return nil, fmt.Errorf("%w: signed header of %d bytes exceeds %d", ErrDecode, len(raw), MaxSignedHeaderSize)
	}
	var sh cmtproto.SignedHeader
	if err := sh.Unmarshal(raw); err != nil {
		return nil, fmt.Errorf("%w: signed header: %v", ErrDecode, err)
	}
	if sh.Header == nil || sh.Commit == nil {
		return nil, fmt.Errorf("%w: signed header without header or commit", ErrDecode)
	}
	if len(sh.Commit.Signatures) > MaxValidators {
		return nil, fmt.Errorf("%w: commit has %d signatures, more than %d", ErrDecode, len(sh.Commit.Signatures), MaxValidators)
	}
	if err := checkCanonical(raw, &sh); err != nil {
		return nil, fmt.Errorf("%w: signed header: %v", ErrDecode, err)
	}
	return &sh, nil
}

// marshaler is what gogoproto generates.
type marshaler interface{ Marshal() ([]byte, error) }

// checkCanonical re-encodes m and compares it with raw.
func checkCanonical(raw []byte, m marshaler) error {
	enc, err := m.Marshal()
	if err != nil {
		return err
	}
	if !bytes.Equal(enc, raw) {
		return errors.New("not the canonical encoding")
	}
	return nil
}

// checkBlock runs CometBFT's SignedHeader.ValidateBasic checks that do not
// depend on the trusted state, and computes the header hash. chainID checks
// are left to the callers, which report them as ErrChainID. Errors wrap
// ErrInvalidHeader.
func checkBlock(sh *cmtproto.SignedHeader) (*block, error) {
	h, c := sh.Header, sh.Commit
	bad := func(format string, a ...any) (*block, error) {
		return nil, fmt.Errorf("%w: %s", ErrInvalidHeader, fmt.Sprintf(format, a...))
	}
	switch {
	case h.Version.Block != blockProtocol:
		return bad("block protocol %d, want %d", h.Version.Block, blockProtocol)
	case len(h.ChainID) > MaxChainIDLen:
		return bad("chain ID of %d bytes", len(h.ChainID))
	case h.Height <= 0:
		return bad("height %d", h.Height)
	case !validHash(h.LastBlockId.Hash) || !validHash(h.LastBlockId.PartSetHeader.Hash):
		return bad("malformed last block ID")
	case !validHash(h.LastCommitHash) || !validHash(h.DataHash) || !validHash(h.EvidenceHash) ||
		!validHash(h.ConsensusHash) || !validHash(h.LastResultsHash):
		return bad("a hash has the wrong length")
	case len(h.ValidatorsHash) != hashSize || len(h.NextValidatorsHash) != hashSize:
		// CometBFT allows empty ones here, but no block has them and the
		// header hash is undefined without ValidatorsHash.
		return bad("validators hashes of %d and %d bytes", len(h.ValidatorsHash), len(h.NextValidatorsHash))
	case len(h.ProposerAddress) != addressSize:
		return bad("proposer address of %d bytes", len(h.ProposerAddress))
	case c.Height != h.Height:
		return bad("commit for height %d", c.Height)
	case c.Round < 0:
		return bad("commit round %d", c.Round)
	case len(c.BlockID.Hash) != hashSize || !validHash(c.BlockID.PartSetHeader.Hash):
		return bad("malformed commit block ID")
	case len(c.Signatures) == 0:
		return bad("commit has no signatures")
	}
	hash, err := headerHash(h)
	if err != nil {
		return bad("cannot hash header: %v", err)
	}
	if !bytes.Equal(hash, c.BlockID.Hash) {
		return bad("commit signs block %X, header is block %X", c.BlockID.Hash, hash)
	}
	for i := range c.Signatures {
		if err := checkCommitSig(&c.Signatures[i]); err != nil {
			return bad("commit signature %d: %v", i, err)
		}
	}
	return &block{header: h, commit: c, hash: hash}, nil
}

// checkCommitSig is CometBFT's CommitSig.ValidateBasic.
func checkCommitSig(s *cmtproto.CommitSig) error {
	switch s.BlockIdFlag {
	case cmtproto.BlockIDFlagAbsent:
		if len(s.ValidatorAddress) != 0 || !s.Timestamp.IsZero() || len(s.Signature) != 0 {
			return errors.New("absent signature has content")
		}
	case cmtproto.BlockIDFlagCommit, cmtproto.BlockIDFlagNil:
		if len(s.ValidatorAddress) != addressSize {
			return fmt.Errorf("validator address of %d bytes", len(s.ValidatorAddress))
		}
		if len(s.Signature) == 0 || len(s.Signature) > signatureSize {
			return fmt.Errorf("signature of %d bytes", len(s.Signature))
		}
	default:
		return fmt.Errorf("unknown block ID flag %d", s.BlockIdFlag)
	}
	return nil
}

func validHash(h []byte) bool { return len(h) == 0 || len(h) == hashSize }

// decodeValSet decodes a canonical ValidatorSet: 1 to MaxValidators
// validators with supported keys, addresses derived from the keys, no
// duplicate address, positive powers summing to at most
// MaxTotalVotingPower, a total_voting_power of zero or the true total, and
// a proposer, if any, that passes the same checks and is a member. Unlike
// CometBFT, the proposer is optional: verification does not use it, and
// normalized sets (see TrustedState.NextValidators) carry none. Also unlike
// CometBFT's decoding, a power of zero is refused: CometBFT never builds a
// set with one (an update to zero removes the validator), and without them
// every member counts and the total is positive. The sum is bounded before
// each addition, so it cannot wrap: a wrapped total would make two thirds
// of it zero or negative and let any one signature pass. Errors wrap
// nothing; the callers add the sentinel.
func decodeValSet(raw []byte) (*valSet, error) {
	if len(raw) > MaxValidatorSetSize {
		return nil, fmt.Errorf("validator set of %d bytes exceeds %d", len(raw), MaxValidatorSetSize)
	}
	var pb cmtproto.ValidatorSet
	if err := pb.Unmarshal(raw); err != nil {
		return nil, err
	}
	if err := checkCanonical(raw, &pb); err != nil {
		return nil, err
	}
	n := len(pb.Validators)
	if n == 0 || n > MaxValidators {
		return nil, fmt.Errorf("%d validators", n)
	}
	vs := &valSet{vals: make([]validator, n), allEd25519: true, index: make(map[string]int, n)}
	leaves := make([][]byte, n)
	for i, v := range pb.Validators {
		if v == nil {
			return nil, fmt.Errorf("validator %d is nil", i)
		}
		pk, err := pubKeyFromProto(v.PubKey)
		if err != nil {
			return nil, fmt.Errorf("validator %d: %w", i, err)
		}
		if !bytes.Equal(v.Address, pk.Address()) {
			return nil, fmt.Errorf("validator %d: address %X is not derived from its key", i, v.Address)
		}
		if v.VotingPower <= 0 {
			return nil, fmt.Errorf("validator %d: voting power %d is not positive", i, v.VotingPower)
		}
		if _, dup := vs.index[string(v.Address)]; dup {
			return nil, fmt.Errorf("validator %d: duplicate address %X", i, v.Address)
		}
		vs.index[string(v.Address)] = i
		// Compare before adding: 0 <= total <= MaxTotalVotingPower here, so
		// the subtraction cannot overflow, and the sum never wraps.
		if v.VotingPower > MaxTotalVotingPower-vs.total {
			return nil, fmt.Errorf("validator %d: total voting power exceeds %d", i, MaxTotalVotingPower)
		}
		vs.total += v.VotingPower
		if _, ok := pk.(ed25519.PubKey); !ok {
			vs.allEd25519 = false
		}
		vs.vals[i] = validator{address: v.Address, pubKey: pk, power: v.VotingPower}
		// The hash leaf is SimpleValidator{pub_key, voting_power}.
		pubKey := v.PubKey
		leaf, err := (&cmtproto.SimpleValidator{PubKey: &pubKey, VotingPower: v.VotingPower}).Marshal()
		if err != nil {
			return nil, fmt.Errorf("validator %d: %w", i, err)
		}
		leaves[i] = leaf
	}
	if pb.TotalVotingPower != 0 && pb.TotalVotingPower != vs.total {
		return nil, fmt.Errorf("total_voting_power %d, validators sum to %d", pb.TotalVotingPower, vs.total)
	}
	if p := pb.Proposer; p != nil {
		// CometBFT's checks; the proposer is not otherwise used.
		pk, err := pubKeyFromProto(p.PubKey)
		if err != nil {
			return nil, fmt.Errorf("proposer: %w", err)
		}
		switch _, member := vs.index[string(p.Address)]; {
		case !bytes.Equal(p.Address, pk.Address()):
			return nil, fmt.Errorf("proposer address %X is not derived from its key", p.Address)
		case p.VotingPower < 0:
			return nil, errors.New("proposer has negative voting power")
		case !member:
			return nil, fmt.Errorf("proposer %X is not a validator", p.Address)
		}
	}
	vs.hash = merkle.HashFromByteSlices(leaves)
	return vs, nil
}

// pubKeyFromProto accepts the key types of CometBFT v0.38 that validators
// use: ed25519 and secp256k1.
func pubKeyFromProto(pk cmtcrypto.PublicKey) (crypto.PubKey, error) {
	switch k := pk.Sum.(type) {
	case *cmtcrypto.PublicKey_Ed25519:
		if len(k.Ed25519) != ed25519.PubKeySize {
			return nil, fmt.Errorf("ed25519 key of %d bytes", len(k.Ed25519))
		}
		return ed25519.PubKey(bytes.Clone(k.Ed25519)), nil
	case *cmtcrypto.PublicKey_Secp256K1:
		if len(k.Secp256K1) != secp256k1.PubKeySize {
			return nil, fmt.Errorf("secp256k1 key of %d bytes", len(k.Secp256K1))
		}
		return secp256k1.PubKey(bytes.Clone(k.Secp256K1)), nil
	default:
		return nil, fmt.Errorf("unsupported key type %T", pk.Sum)
	}
}

// normalize returns the canonical encoding of vs that TrustedState holds:
// validators with address, key and power, no proposer, and the total.
func (vs *valSet) normalize() ([]byte, error) {
	pb := cmtproto.ValidatorSet{Validators: make([]*cmtproto.Validator, len(vs.vals)), TotalVotingPower: vs.total}
	for i, v := range vs.vals {
		var pk cmtcrypto.PublicKey
		switch k := v.pubKey.(type) {
		case ed25519.PubKey:
			pk.Sum = &cmtcrypto.PublicKey_Ed25519{Ed25519: k}
		case secp256k1.PubKey:
			pk.Sum = &cmtcrypto.PublicKey_Secp256K1{Secp256K1: k}
		default:
			return nil, fmt.Errorf("unsupported key type %T", k)
		}
		pb.Validators[i] = &cmtproto.Validator{Address: v.address, PubKey: pk, VotingPower: v.power}
	}
	return pb.Marshal()
}

func equalBytes(a, b []byte) bool { return bytes.Equal(a, b) }
