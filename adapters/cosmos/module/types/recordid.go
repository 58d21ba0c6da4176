package types

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"strings"
)

// RecordID identifies a record across all ledgers. See ComputeRecordID.
type RecordID [32]byte

// recordIDDomain separates record IDs from every other SHA-256 use.
const recordIDDomain = "liaison/record-id/v1"

// ComputeRecordID returns the ID of the record that emitter published with
// sequence seq on chain:
//
//	sha256("liaison/record-id/v1" ‖ u16be(len(chain)) ‖ chain ‖ u16be(len(emitter)) ‖ emitter ‖ u64be(seq))
//
// Every ledger computes the same bytes. On Cosmos the chain is the
// chain_name parameter and the emitter is the port id "records". It returns
// ErrInvalidRecord when chain or emitter is longer than 65535 bytes.
func ComputeRecordID(chain string, emitter []byte, seq uint64) (RecordID, error) {
	if len(chain) > math.MaxUint16 || len(emitter) > math.MaxUint16 {
		return RecordID{}, ErrInvalidRecord.Wrap("chain or emitter longer than 65535 bytes")
	}
	buf := make([]byte, 0, len(recordIDDomain)+2+len(chain)+2+len(emitter)+8)
	buf = append(buf, recordIDDomain...)
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(chain)))
	buf = append(buf, chain...)
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(emitter)))
	buf = append(buf, emitter...)
	buf = binary.BigEndian.AppendUint64(buf, seq)
	return sha256.Sum256(buf), nil
}

// String returns the ID as 64 lower-case hex digits without a prefix.
func (id RecordID) String() string { return hex.EncodeToString(id[:]) }

// ParseRecordID parses 64 hex digits, with or without a 0x prefix.
func ParseRecordID(s string) (RecordID, error) {
	t := strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	var id RecordID
	if len(t) != 2*len(id) {
		return RecordID{}, ErrInvalidRecord.Wrapf("record id %q: want 64 hex digits, got %d", s, len(t))
	}
	if _, err := hex.Decode(id[:], []byte(t)); err != nil {
		return RecordID{}, ErrInvalidRecord.Wrapf("record id %q: %v", s, err)
	}
	return id, nil
}

// RecordIDFromBytes converts a 32-byte slice, as stored in Record.Id.
func RecordIDFromBytes(b []byte) (RecordID, error) {
	var id RecordID
	if len(b) != len(id) {
		return RecordID{}, ErrInvalidRecord.Wrapf("record id: want 32 bytes, got %d", len(b))
	}
	copy(id[:], b)
	return id, nil
}
