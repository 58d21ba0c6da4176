package records

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
)

// recordIDDomain and recordDigestDomain separate the two hashes from each
// other and from every other SHA-256 use. They must never change: the
// relayer and every other ledger's outbox hash the same bytes.
const (
	recordIDDomain     = "liaison/record-id/v1"
	recordDigestDomain = "liaison/record-digest/v1"
)

// RecordID computes the ID of the record that emitter published with
// sequence seq on chain:
//
//	sha256("liaison/record-id/v1" ‖ u16be(len(chain)) ‖ chain ‖ u16be(len(emitter)) ‖ emitter ‖ u64be(seq))
//
// It returns ErrInvalid when chain or emitter is longer than 65535 bytes.
func RecordID(chain string, emitter []byte, seq uint64) ([32]byte, error) {
	if len(chain) > math.MaxUint16 || len(emitter) > math.MaxUint16 {
		return [32]byte{}, fmt.Errorf("%w: chain or emitter longer than 65535 bytes", ErrInvalid)
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
	var id [32]byte
	h.Sum(id[:0])
	return id, nil
}

// RecordDigest computes the commitment the Outbox stores for a record and
// the Inbox counts votes on:
//
//	sha256("liaison/record-digest/v1" ‖ id ‖ u64be(seq)
//	       ‖ u32be(len(destination)) ‖ destination
//	       ‖ u32be(len(receiver)) ‖ receiver
//	       ‖ u32be(len(contentType)) ‖ contentType
//	       ‖ payloadHash)
//
// It returns ErrInvalid when a string is longer than 2^32-1 bytes.
func RecordDigest(id [32]byte, seq uint64, destination, receiver, contentType string, payloadHash [32]byte) ([32]byte, error) {
	h := sha256.New()
	var buf [8]byte
	h.Write([]byte(recordDigestDomain))
	h.Write(id[:])
	binary.BigEndian.PutUint64(buf[:], seq)
	h.Write(buf[:])
	for _, s := range []string{destination, receiver, contentType} {
		if uint64(len(s)) > math.MaxUint32 {
			return [32]byte{}, fmt.Errorf("%w: field longer than 2^32-1 bytes", ErrInvalid)
		}
		binary.BigEndian.PutUint32(buf[:4], uint32(len(s)))
		h.Write(buf[:4])
		h.Write([]byte(s))
	}
	h.Write(payloadHash[:])
	var d [32]byte
	h.Sum(d[:0])
	return d, nil
}

// Record is a record as the RecordPublished event carries it and as Attest
// takes it. The encodings match the relayer's JSON types, so the relayer can
// decode it straight into its own:
//   - ID: 64 lower-case hex digits, no prefix;
//   - Emitter and PayloadHash: 0x-prefixed lower-case hex (for this
//     chaincode the emitter is the UTF-8 bytes of its chaincode name);
//   - Payload: standard base64 with padding (RFC 4648 §4).
//
// On input, hex is accepted in either case and with or without 0x.
type Record struct {
	ID          string `json:"id"`
	SourceChain string `json:"source_chain"`
	Emitter     string `json:"emitter"`
	Sequence    uint64 `json:"sequence"`
	Destination string `json:"destination"`
	Receiver    string `json:"receiver"`
	ContentType string `json:"content_type"`
	Payload     string `json:"payload"`
	PayloadHash string `json:"payload_hash"`
}

// newRecord builds the record that this outbox publishes, with its ID and
// payload hash computed from the other fields.
func newRecord(chain string, emitter []byte, seq uint64, destination, receiver, contentType string, payload []byte) (Record, [32]byte, error) {
	id, err := RecordID(chain, emitter, seq)
	if err != nil {
		return Record{}, [32]byte{}, err
	}
	ph := sha256.Sum256(payload)
	digest, err := RecordDigest(id, seq, destination, receiver, contentType, ph)
	if err != nil {
		return Record{}, [32]byte{}, err
	}
	return Record{
		ID:          hex.EncodeToString(id[:]),
		SourceChain: chain,
		Emitter:     "0x" + hex.EncodeToString(emitter),
		Sequence:    seq,
		Destination: destination,
		Receiver:    receiver,
		ContentType: contentType,
		Payload:     base64.StdEncoding.EncodeToString(payload),
		PayloadHash: "0x" + hex.EncodeToString(ph[:]),
	}, digest, nil
}

// check verifies that the record's ID and payload hash follow from its
// other fields, and returns its ID and digest. The returned record is the
// canonical form (lower-case hex, ID without prefix, hashes with it), which
// is what the Inbox stores. Every failure wraps ErrInvalid.
func (r Record) check() (canon Record, id, digest [32]byte, err error) {
	id, err = parseHash32("id", r.ID)
	if err != nil {
		return Record{}, id, digest, err
	}
	emitter, err := parseHex("emitter", r.Emitter)
	if err != nil {
		return Record{}, id, digest, err
	}
	claimedHash, err := parseHash32("payload_hash", r.PayloadHash)
	if err != nil {
		return Record{}, id, digest, err
	}
	payload, err := base64.StdEncoding.Strict().DecodeString(r.Payload)
	if err != nil {
		return Record{}, id, digest, fmt.Errorf("%w: payload is not standard base64: %v", ErrInvalid, err)
	}
	if r.SourceChain == "" {
		return Record{}, id, digest, fmt.Errorf("%w: source_chain is empty", ErrInvalid)
	}
	canon, digest, err = newRecord(r.SourceChain, emitter, r.Sequence, r.Destination, r.Receiver, r.ContentType, payload)
	if err != nil {
		return Record{}, id, digest, err
	}
	if canon.ID != hex.EncodeToString(id[:]) {
		return Record{}, id, digest, fmt.Errorf("%w: id %x does not follow from source_chain %q, emitter %s, sequence %d (want %s)",
			ErrInvalid, id, r.SourceChain, canon.Emitter, r.Sequence, canon.ID)
	}
	if canon.PayloadHash != "0x"+hex.EncodeToString(claimedHash[:]) {
		return Record{}, id, digest, fmt.Errorf("%w: payload_hash %x is not sha256 of the payload", ErrInvalid, claimedHash)
	}
	return canon, id, digest, nil
}

// parseHex decodes hex digits in either case, with or without a 0x prefix.
func parseHex(field, s string) ([]byte, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %s is not hex: %v", ErrInvalid, field, err)
	}
	return b, nil
}

// parseHash32 decodes exactly 32 bytes of hex (see parseHex).
func parseHash32(field, s string) ([32]byte, error) {
	var h [32]byte
	b, err := parseHex(field, s)
	if err != nil {
		return h, err
	}
	if len(b) != len(h) {
		return h, fmt.Errorf("%w: %s must be 32 bytes (64 hex digits), got %d bytes", ErrInvalid, field, len(b))
	}
	copy(h[:], b)
	return h, nil
}
