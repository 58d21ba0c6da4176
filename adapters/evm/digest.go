package evm

import (
	"encoding/binary"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
	"github.com/liaison-gw/liaison/proofs/mpt"
	"github.com/liaison-gw/liaison/relayer"
)

// commitmentsSlot is the storage slot of Outbox.commitments.
const commitmentsSlot = 0

// RecordDigest returns the digest the Outbox stores as a record's commitment
// and the Inbox counts votes for:
//
//	keccak256(abi.encode(bytes32 id, uint64 seq, string destination,
//	                     string receiver, string contentType, bytes32 payloadHash))
//
// It uses the record's own ID and payload hash, so run Record.Check first on
// a record that came from outside.
func RecordDigest(rec *relayer.Record) common.Hash {
	dest, recv, ctype := []byte(rec.Destination), []byte(rec.Receiver), []byte(rec.ContentType)
	// Six head words, then three tails of a length word and padded bytes.
	size := 6*32 + abiTailSize(dest) + abiTailSize(recv) + abiTailSize(ctype)
	buf := make([]byte, size)
	copy(buf[0:32], rec.ID[:])
	binary.BigEndian.PutUint64(buf[56:64], rec.Source.Sequence)
	off := uint64(6 * 32)
	for i, s := range [][]byte{dest, recv, ctype} {
		binary.BigEndian.PutUint64(buf[(2+i)*32+24:(3+i)*32], off)
		binary.BigEndian.PutUint64(buf[off+24:off+32], uint64(len(s)))
		copy(buf[off+32:], s)
		off += uint64(abiTailSize(s))
	}
	copy(buf[5*32:6*32], rec.PayloadHash[:])
	return crypto.Keccak256Hash(buf)
}

// abiTailSize is the size of a string's ABI tail: a length word and the
// bytes padded to whole words.
func abiTailSize(b []byte) int { return 32 + (len(b)+31)/32*32 }

// CommitmentSlot returns the storage key of Outbox.commitments[id]:
// keccak256(id ‖ uint256(0)).
func CommitmentSlot(id relayer.RecordID) common.Hash { return mpt.MappingSlot(id, commitmentsSlot) }

// inboxRecord converts a record into the Inbox's Record struct.
func inboxRecord(r *relayer.Record) contracts.InboxRecord {
	return contracts.InboxRecord{
		SourceChain: string(r.Source.Chain),
		Emitter:     r.Source.Emitter,
		Sequence:    r.Source.Sequence,
		Destination: string(r.Destination),
		Receiver:    r.Receiver,
		ContentType: r.ContentType,
		Payload:     r.Payload,
	}
}
