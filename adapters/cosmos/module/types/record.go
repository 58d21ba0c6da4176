package types

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"strings"
)

// NewRecord builds the record that emitter publishes on chain with sequence
// seq: it computes the ID and the payload hash. The returned record owns
// copies of emitter and payload.
func NewRecord(chain string, emitter []byte, seq uint64, destination, receiver, contentType string, payload []byte) (Record, error) {
	id, err := ComputeRecordID(chain, emitter, seq)
	if err != nil {
		return Record{}, err
	}
	h := sha256.Sum256(payload)
	r := Record{
		Id:          id[:],
		SourceChain: chain,
		Emitter:     bytes.Clone(emitter),
		Sequence:    seq,
		Destination: destination,
		Receiver:    receiver,
		ContentType: contentType,
		Payload:     bytes.Clone(payload),
		PayloadHash: h[:],
	}
	if err := r.Validate(); err != nil {
		return Record{}, err
	}
	return r, nil
}

// RecordID returns the record's ID; the zero ID if Id is not 32 bytes.
func (r Record) RecordID() RecordID {
	id, _ := RecordIDFromBytes(r.Id)
	return id
}

// Validate checks the record's shape and that its ID and payload hash
// follow from its other fields. It is what a receiver runs first: a record
// that fails it was altered after it left its source ledger. Errors wrap
// ErrInvalidRecord.
func (r Record) Validate() error {
	switch {
	case r.SourceChain == "" || len(r.SourceChain) > math.MaxUint16:
		return ErrInvalidRecord.Wrap("source_chain must be 1 to 65535 bytes")
	case len(r.Emitter) == 0 || len(r.Emitter) > math.MaxUint16:
		return ErrInvalidRecord.Wrap("emitter must be 1 to 65535 bytes")
	case r.Sequence == 0:
		return ErrInvalidRecord.Wrap("sequence must be at least 1")
	case r.Destination == "" || len(r.Destination) > math.MaxUint16:
		return ErrInvalidRecord.Wrap("destination must be 1 to 65535 bytes")
	case len(r.Receiver) > math.MaxUint16 || len(r.ContentType) > math.MaxUint16:
		return ErrInvalidRecord.Wrap("receiver and content_type must be at most 65535 bytes")
	case len(r.Id) != sha256.Size:
		return ErrInvalidRecord.Wrapf("id must be 32 bytes, got %d", len(r.Id))
	case len(r.PayloadHash) != sha256.Size:
		return ErrInvalidRecord.Wrapf("payload_hash must be 32 bytes, got %d", len(r.PayloadHash))
	}
	id, err := ComputeRecordID(r.SourceChain, r.Emitter, r.Sequence)
	if err != nil {
		return err
	}
	if !bytes.Equal(id[:], r.Id) {
		return ErrInvalidRecord.Wrapf("id %x does not follow from source_chain %q, emitter %x, sequence %d (want %s)",
			r.Id, r.SourceChain, r.Emitter, r.Sequence, id)
	}
	if h := sha256.Sum256(r.Payload); !bytes.Equal(h[:], r.PayloadHash) {
		return ErrInvalidRecord.Wrapf("payload_hash %x is not sha256 of the payload (%x)", r.PayloadHash, h)
	}
	return nil
}

// packetRecord is the JSON form of a record in a packet payload. Field order
// is fixed by the struct, so encoding is deterministic.
type packetRecord struct {
	ID          string `json:"id"`
	SourceChain string `json:"source_chain"`
	Emitter     string `json:"emitter"`
	Sequence    uint64 `json:"sequence"`
	Destination string `json:"destination"`
	Receiver    string `json:"receiver"`
	ContentType string `json:"content_type"`
	Payload     []byte `json:"payload"`
	PayloadHash string `json:"payload_hash"`
}

// EncodePacketValue returns the payload value that carries r:
//
//	{"id":"<64 hex>","source_chain":"…","emitter":"0x<hex>","sequence":N,
//	 "destination":"…","receiver":"…","content_type":"…",
//	 "payload":"<base64>","payload_hash":"0x<64 hex>"}
//
// with the fields in that order, no white space and no HTML escaping (Go's
// encoding/json otherwise writes <, > and & as \u003c, \u003e, \u0026).
// Readers should decode the value, not re-encode a record and compare
// bytes. It does not validate r.
func EncodePacketValue(r Record) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(packetRecord{
		ID:          hex.EncodeToString(r.Id),
		SourceChain: r.SourceChain,
		Emitter:     "0x" + hex.EncodeToString(r.Emitter),
		Sequence:    r.Sequence,
		Destination: r.Destination,
		Receiver:    r.Receiver,
		ContentType: r.ContentType,
		Payload:     r.Payload,
		PayloadHash: "0x" + hex.EncodeToString(r.PayloadHash),
	})
	if err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// DecodePacketValue parses a payload value written by EncodePacketValue or
// by another ledger's gateway, and validates the record (Validate). Hex
// fields may have a 0x prefix or not. Unknown fields, trailing data and
// missing fields are refused. Errors wrap ErrInvalidRecord.
func DecodePacketValue(value []byte) (Record, error) {
	dec := json.NewDecoder(bytes.NewReader(value))
	dec.DisallowUnknownFields()
	var p packetRecord
	if err := dec.Decode(&p); err != nil {
		return Record{}, ErrInvalidRecord.Wrapf("packet value is not a records JSON object: %v", err)
	}
	if dec.More() {
		return Record{}, ErrInvalidRecord.Wrap("packet value has data after the JSON object")
	}
	if err := requireFields(value); err != nil {
		return Record{}, err
	}
	id, err := decodeHex("id", p.ID)
	if err != nil {
		return Record{}, err
	}
	emitter, err := decodeHex("emitter", p.Emitter)
	if err != nil {
		return Record{}, err
	}
	payloadHash, err := decodeHex("payload_hash", p.PayloadHash)
	if err != nil {
		return Record{}, err
	}
	r := Record{
		Id:          id,
		SourceChain: p.SourceChain,
		Emitter:     emitter,
		Sequence:    p.Sequence,
		Destination: p.Destination,
		Receiver:    p.Receiver,
		ContentType: p.ContentType,
		Payload:     p.Payload,
		PayloadHash: payloadHash,
	}
	if r.Payload == nil {
		r.Payload = []byte{}
	}
	if err := r.Validate(); err != nil {
		return Record{}, err
	}
	return r, nil
}

// requiredFields are the keys a packet value must have; receiver,
// content_type and payload may be empty but must be present.
var requiredFields = []string{"id", "source_chain", "emitter", "sequence", "destination", "receiver", "content_type", "payload", "payload_hash"}

func requireFields(value []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(value, &m); err != nil {
		return ErrInvalidRecord.Wrapf("packet value: %v", err)
	}
	for _, f := range requiredFields {
		if _, ok := m[f]; !ok {
			return ErrInvalidRecord.Wrapf("packet value: field %q is missing", f)
		}
	}
	return nil
}

func decodeHex(field, s string) ([]byte, error) {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		return nil, ErrInvalidRecord.Wrapf("%s: %v", field, err)
	}
	return b, nil
}

// Ack is the JSON success acknowledgement of a delivered record:
// {"record_id":"<64 hex>"}. Failures are acknowledged with IBC v2's
// universal error acknowledgement; their reason is in the
// "ibccallbackerror-liaison.record_refused" event of the receiving tx.
type Ack struct {
	RecordID string `json:"record_id"`
}

// EncodeAck returns the success acknowledgement for id.
func EncodeAck(id RecordID) []byte {
	b, _ := json.Marshal(Ack{RecordID: id.String()}) // cannot fail: one string field
	return b
}

// DecodeAck parses a success acknowledgement.
func DecodeAck(b []byte) (RecordID, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var a Ack
	if err := dec.Decode(&a); err != nil {
		return RecordID{}, ErrInvalidAck.Wrapf("not a records acknowledgement: %v", err)
	}
	id, err := ParseRecordID(a.RecordID)
	if err != nil {
		return RecordID{}, ErrInvalidAck.Wrap(err.Error())
	}
	return id, nil
}
