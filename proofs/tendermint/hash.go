package tendermint

import (
	"encoding/binary"

	"github.com/cometbft/cometbft/crypto/merkle"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	gogotypes "github.com/cosmos/gogoproto/types"
)

// headerHash is CometBFT's Header.Hash: the simple Merkle root (RFC 6962
// style, SHA-256) of the fourteen header fields in proto order, each
// encoded on its own: the version and the last block ID as their messages,
// the time as a google.protobuf.Timestamp, and every other field wrapped in
// the matching google.protobuf wrapper message (StringValue, Int64Value,
// BytesValue), so that an empty field encodes as zero bytes.
func headerHash(h *cmtproto.Header) ([]byte, error) {
	version, err := h.Version.Marshal()
	if err != nil {
		return nil, err
	}
	tm, err := gogotypes.StdTimeMarshal(h.Time)
	if err != nil {
		return nil, err
	}
	lastBlockID, err := h.LastBlockId.Marshal()
	if err != nil {
		return nil, err
	}
	fields := [][]byte{
		version,
		wrapString(h.ChainID),
		wrapInt64(h.Height),
		tm,
		lastBlockID,
		wrapBytes(h.LastCommitHash),
		wrapBytes(h.DataHash),
		wrapBytes(h.ValidatorsHash),
		wrapBytes(h.NextValidatorsHash),
		wrapBytes(h.ConsensusHash),
		wrapBytes(h.AppHash),
		wrapBytes(h.LastResultsHash),
		wrapBytes(h.EvidenceHash),
		wrapBytes(h.ProposerAddress),
	}
	return merkle.HashFromByteSlices(fields), nil
}

// The wrappers have one field, number 1; proto3 omits a default value, and
// the marshal of these generated types cannot fail.
func wrapString(s string) []byte {
	b, _ := (&gogotypes.StringValue{Value: s}).Marshal()
	return b
}

func wrapInt64(v int64) []byte {
	b, _ := (&gogotypes.Int64Value{Value: v}).Marshal()
	return b
}

func wrapBytes(v []byte) []byte {
	b, _ := (&gogotypes.BytesValue{Value: v}).Marshal()
	return b
}

// voteSignBytes returns what the validator behind commit signature idx
// signed: the length-prefixed encoding of a CanonicalVote for a precommit
// at the commit's height and round, with the signature's timestamp, the
// chain ID, and the commit's block ID for a vote for the block (no block ID
// for a nil vote). Vote extensions are signed separately and are not part
// of it.
func voteSignBytes(chainID string, c *cmtproto.Commit, idx int) ([]byte, error) {
	s := &c.Signatures[idx]
	cv := cmtproto.CanonicalVote{
		Type:      cmtproto.PrecommitType,
		Height:    c.Height,
		Round:     int64(c.Round),
		Timestamp: s.Timestamp,
		ChainID:   chainID,
	}
	if s.BlockIdFlag == cmtproto.BlockIDFlagCommit {
		cv.BlockID = &cmtproto.CanonicalBlockID{
			Hash: c.BlockID.Hash,
			PartSetHeader: cmtproto.CanonicalPartSetHeader{
				Total: c.BlockID.PartSetHeader.Total,
				Hash:  c.BlockID.PartSetHeader.Hash,
			},
		}
	}
	body, err := cv.Marshal()
	if err != nil {
		return nil, err
	}
	out := binary.AppendUvarint(make([]byte, 0, len(body)+binary.MaxVarintLen64), uint64(len(body)))
	return append(out, body...), nil
}
