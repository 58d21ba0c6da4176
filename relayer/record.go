package relayer

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// ChainID names a ledger as the departments agreed to call it, for example
// "registry" or "procurement". It is the string every ledger hashes into a
// record ID, so it must be identical everywhere; it is not an EVM chain id.
type ChainID string

// Height is a block height on one ledger. Zero means "no height".
type Height uint64

// RecordID identifies a record across all ledgers. See ComputeRecordID.
type RecordID [32]byte

// recordIDDomain separates record IDs from every other SHA-256 use.
const recordIDDomain = "liaison/record-id/v1"

// ComputeRecordID returns the deterministic ID of the record that emitter
// published with sequence seq on chain:
//
//	sha256("liaison/record-id/v1" ‖ u16be(len(chain)) ‖ chain ‖ u16be(len(emitter)) ‖ emitter ‖ u64be(seq))
//
// The on-chain outboxes (Solidity, chaincode, Cosmos module) compute the same
// bytes; a fixed vector in record_test.go pins the rule. The emitter is the
// ledger's own notion of the publishing program: the 20-byte Outbox address
// on EVM, the chaincode name on Fabric, the module's port on Cosmos. It
// returns an error when chain or emitter is longer than 65535 bytes.
func ComputeRecordID(chain ChainID, emitter []byte, seq uint64) (RecordID, error) {
	if len(chain) > math.MaxUint16 || len(emitter) > math.MaxUint16 {
		return RecordID{}, errors.New("record id: chain or emitter longer than 65535 bytes")
	}
	h := sha256.New()
	var buf [8]byte
	h.Write([]byte(recordIDDomain))
	binary.BigEndian.PutUint16(buf[:2], uint16(len(chain)))
	h.Write(buf[:2])
	h.Write([]byte(chain))
	binary.BigEndian.PutUint16(buf[:2], uint16(len(emitter)))
	h.Write(buf[:2])
	h.Write(emitter)
	binary.BigEndian.PutUint64(buf[:], seq)
	h.Write(buf[:])
	var id RecordID
	h.Sum(id[:0])
	return id, nil
}

// String returns the ID as 64 lower-case hex digits, the form every command
// accepts and prints.
func (id RecordID) String() string { return hex.EncodeToString(id[:]) }

// IsZero reports whether id is the zero value.
func (id RecordID) IsZero() bool { return id == RecordID{} }

// MarshalText encodes the ID as hex.
func (id RecordID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText accepts 64 hex digits, with or without a 0x prefix.
func (id *RecordID) UnmarshalText(b []byte) error {
	parsed, err := ParseRecordID(string(b))
	if err != nil {
		return err
	}
	*id = parsed
	return nil
}

// ParseRecordID parses 64 hex digits, with or without a 0x prefix.
func ParseRecordID(s string) (RecordID, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	var id RecordID
	if len(s) != 64 {
		return id, fmt.Errorf("record id %q: want 64 hex digits, got %d", s, len(s))
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return id, fmt.Errorf("record id %q: %w", s, err)
	}
	return id, nil
}

// Hash32 is a 32-byte digest (payload hashes, commitments).
type Hash32 = [32]byte

// SourceRef says where a record was committed.
type SourceRef struct {
	Chain    ChainID  `json:"chain"`
	Height   Height   `json:"height"`
	TxID     string   `json:"tx_id"`
	Emitter  HexBytes `json:"emitter"`
	Sequence uint64   `json:"sequence"`
	// Time is when the source ledger committed the record, as that ledger
	// tells it: the block timestamp on EVM, the transaction's channel
	// header timestamp on Fabric, the block time on Cosmos. Zero means
	// unknown. It is informational only, for latency figures: neither the
	// record ID nor any ledger's commitment covers it, so in an evidence
	// bundle it is not authenticated; verifiers and SameRecord ignore it.
	// A zero Time is left out of the JSON form, so bundles without it
	// encode as before.
	Time time.Time `json:"time,omitzero"`
}

// Record is one message that moves from a source ledger to a destination
// ledger. Everything in it is covered by the source ledger's commitment, so
// a verifier can recompute that commitment from the record alone.
type Record struct {
	ID          RecordID  `json:"id"`
	Route       string    `json:"route"`
	Source      SourceRef `json:"source"`
	Destination ChainID   `json:"destination"`
	Receiver    string    `json:"receiver"`
	ContentType string    `json:"content_type"`
	Payload     []byte    `json:"payload"`
	PayloadHash HexHash   `json:"payload_hash"`
}

// PayloadDigest returns sha256(payload), the payload hash every ledger uses.
func PayloadDigest(payload []byte) Hash32 { return sha256.Sum256(payload) }

// Check verifies that the record's ID and payload hash follow from its other
// fields. It is the first thing every verifier runs: a record that fails it
// was altered after it left the source ledger.
func (r *Record) Check() error {
	id, err := ComputeRecordID(r.Source.Chain, r.Source.Emitter, r.Source.Sequence)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrRecordMismatch, err)
	}
	if id != r.ID {
		return fmt.Errorf("%w: id %s does not follow from chain %q, emitter %x, sequence %d",
			ErrRecordMismatch, r.ID, r.Source.Chain, []byte(r.Source.Emitter), r.Source.Sequence)
	}
	if PayloadDigest(r.Payload) != Hash32(r.PayloadHash) {
		return fmt.Errorf("%w: payload hash %x is not sha256 of the payload", ErrRecordMismatch, r.PayloadHash[:])
	}
	return nil
}

// HexBytes is a byte string that JSON encodes as 0x-prefixed hex.
type HexBytes []byte

// MarshalText implements encoding.TextMarshaler.
func (b HexBytes) MarshalText() ([]byte, error) { return []byte("0x" + hex.EncodeToString(b)), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (b *HexBytes) UnmarshalText(t []byte) error {
	s := strings.TrimPrefix(string(t), "0x")
	out, err := hex.DecodeString(s)
	if err != nil {
		return fmt.Errorf("hex bytes: %w", err)
	}
	*b = out
	return nil
}

// HexHash is a 32-byte hash that JSON encodes as 0x-prefixed hex.
type HexHash [32]byte

// MarshalText implements encoding.TextMarshaler.
func (h HexHash) MarshalText() ([]byte, error) { return []byte("0x" + hex.EncodeToString(h[:])), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (h *HexHash) UnmarshalText(t []byte) error {
	s := strings.TrimPrefix(string(t), "0x")
	if len(s) != 64 {
		return fmt.Errorf("hash: want 64 hex digits, got %d", len(s))
	}
	_, err := hex.Decode(h[:], []byte(s))
	return err
}

// NewTestRecord builds a self-consistent record for tests and examples: its
// ID and payload hash follow from the other fields.
func NewTestRecord(chain ChainID, emitter []byte, seq uint64, payload []byte) Record {
	id, err := ComputeRecordID(chain, emitter, seq)
	if err != nil {
		panic(err) // only reachable with a 64 KiB chain name in a test
	}
	return Record{
		ID:          id,
		Source:      SourceRef{Chain: chain, Emitter: append(HexBytes(nil), emitter...), Sequence: seq, Height: Height(seq)},
		Destination: "dest",
		ContentType: "text/plain",
		Payload:     append([]byte(nil), payload...),
		PayloadHash: PayloadDigest(payload),
	}
}
