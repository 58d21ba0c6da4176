package cosmos

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/liaison-gw/liaison/relayer"
)

// The records module's protocol constants (adapters/cosmos/module/README.md).
const (
	// StoreName is the module's KV store, the first element of the Merkle
	// path of every proof of it.
	StoreName = "records"
	// PortID is the module's IBC v2 port, and the emitter (its UTF-8
	// bytes) of every record a Cosmos chain publishes.
	PortID = "records"
	// PayloadVersion and PayloadEncoding are what every records payload
	// carries.
	PayloadVersion  = "liaison-records-1"
	PayloadEncoding = "application/json"

	prefixNextSequence = 0x02
	prefixDelivered    = 0x04
	prefixSequence     = 0x05
	prefixRecordValue  = 0x06

	queryService = "/liaison.records.v1.Query/"
)

// RecordValueKey returns the records-store key of a published record's
// permanent value: 0x06 ‖ id. The module writes it once, in the publishing
// transaction, and never changes or deletes it.
func RecordValueKey(id relayer.RecordID) []byte { return append([]byte{prefixRecordValue}, id[:]...) }

func sequenceKey(seq uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte{prefixSequence}, seq)
}

// recordValue is the JSON form of a record in a records packet and in the
// records store, with the module's field order.
type recordValue struct {
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

var recordValueFields = []string{"id", "source_chain", "emitter", "sequence", "destination", "receiver", "content_type", "payload", "payload_hash"}

// EncodeRecordValue returns the records JSON of rec, byte for byte as the
// module writes it: the fields in the order above, no white space, no HTML
// escaping, the ID as bare hex, emitter and payload hash as 0x hex, the
// payload as base64.
func EncodeRecordValue(rec *relayer.Record) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(recordValue{
		ID:          hex.EncodeToString(rec.ID[:]),
		SourceChain: string(rec.Source.Chain),
		Emitter:     "0x" + hex.EncodeToString(rec.Source.Emitter),
		Sequence:    rec.Source.Sequence,
		Destination: string(rec.Destination),
		Receiver:    rec.Receiver,
		ContentType: rec.ContentType,
		Payload:     rec.Payload,
		PayloadHash: "0x" + hex.EncodeToString(rec.PayloadHash[:]),
	})
	if err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// DecodeRecordValue parses a records JSON value with the module's rules:
// every field present, no unknown field, no trailing data, hex with or
// without 0x, and the ID and payload hash following from the other fields
// (relayer.Record.Check). The result has no height or transaction.
func DecodeRecordValue(b []byte) (relayer.Record, error) {
	var v recordValue
	if err := relayer.DecodeStrict(b, &v); err != nil {
		return relayer.Record{}, fmt.Errorf("record value: %w", err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return relayer.Record{}, fmt.Errorf("record value: %w", err)
	}
	for _, f := range recordValueFields {
		if _, ok := fields[f]; !ok {
			return relayer.Record{}, fmt.Errorf("record value: field %q is missing", f)
		}
	}
	id, err := hexField("id", v.ID, 32)
	if err != nil {
		return relayer.Record{}, err
	}
	emitter, err := hexField("emitter", v.Emitter, -1)
	if err != nil {
		return relayer.Record{}, err
	}
	ph, err := hexField("payload_hash", v.PayloadHash, 32)
	if err != nil {
		return relayer.Record{}, err
	}
	if v.Payload == nil {
		v.Payload = []byte{}
	}
	rec := relayer.Record{
		ID:          relayer.RecordID(id),
		Source:      relayer.SourceRef{Chain: relayer.ChainID(v.SourceChain), Emitter: emitter, Sequence: v.Sequence},
		Destination: relayer.ChainID(v.Destination),
		Receiver:    v.Receiver,
		ContentType: v.ContentType,
		Payload:     v.Payload,
		PayloadHash: relayer.HexHash(ph),
	}
	if err := rec.Check(); err != nil {
		return relayer.Record{}, fmt.Errorf("record value: %w", err)
	}
	return rec, nil
}

func hexField(name, s string, size int) ([]byte, error) {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		return nil, fmt.Errorf("record value: %s: %w", name, err)
	}
	if size >= 0 && len(b) != size {
		return nil, fmt.Errorf("record value: %s has %d bytes, want %d", name, len(b), size)
	}
	return b, nil
}

// sameContent reports which field of b differs from a, or "" when the
// records carry the same content (everything but height and transaction).
func sameContent(a, b *relayer.Record) string {
	switch {
	case a.ID != b.ID:
		return "id"
	case a.Source.Chain != b.Source.Chain:
		return "source chain"
	case !bytes.Equal(a.Source.Emitter, b.Source.Emitter):
		return "emitter"
	case a.Source.Sequence != b.Source.Sequence:
		return "sequence"
	case a.Destination != b.Destination:
		return "destination"
	case a.Receiver != b.Receiver:
		return "receiver"
	case a.ContentType != b.ContentType:
		return "content type"
	case !bytes.Equal(a.Payload, b.Payload):
		return "payload"
	case a.PayloadHash != b.PayloadHash:
		return "payload hash"
	}
	return ""
}

// Protobuf of the records module (proto/liaison/records/v1), read with
// protowire: the module's generated types live in its own Go module.

// pbFields splits a message into its fields, field number to the values
// in order: varints as uint64, length-delimited fields as []byte. Other wire
// types are an error.
func pbFields(b []byte) (map[protowire.Number][]any, error) {
	out := map[protowire.Number][]any{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		b = b[n:]
		switch typ {
		case protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return nil, protowire.ParseError(n)
			}
			out[num] = append(out[num], v)
			b = b[n:]
		case protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return nil, protowire.ParseError(n)
			}
			out[num] = append(out[num], v)
			b = b[n:]
		default:
			return nil, fmt.Errorf("field %d has wire type %d", num, typ)
		}
	}
	return out, nil
}

func pbBytes(f map[protowire.Number][]any, n protowire.Number) []byte {
	vs := f[n]
	if len(vs) == 0 {
		return nil
	}
	b, _ := vs[len(vs)-1].([]byte)
	return b
}

func pbUint(f map[protowire.Number][]any, n protowire.Number) uint64 {
	vs := f[n]
	if len(vs) == 0 {
		return 0
	}
	v, _ := vs[len(vs)-1].(uint64)
	return v
}

// decodeRecordProto reads a liaison.records.v1.Record.
func decodeRecordProto(b []byte) (relayer.Record, error) {
	f, err := pbFields(b)
	if err != nil {
		return relayer.Record{}, fmt.Errorf("record: %w", err)
	}
	id, ph := pbBytes(f, 1), pbBytes(f, 9)
	if len(id) != 32 || len(ph) != 32 {
		return relayer.Record{}, fmt.Errorf("record: id of %d bytes, payload hash of %d", len(id), len(ph))
	}
	payload := pbBytes(f, 8)
	if payload == nil {
		payload = []byte{}
	}
	return relayer.Record{
		ID: relayer.RecordID(id),
		Source: relayer.SourceRef{
			Chain:    relayer.ChainID(pbBytes(f, 2)),
			Emitter:  bytes.Clone(pbBytes(f, 3)),
			Sequence: pbUint(f, 4),
		},
		Destination: relayer.ChainID(pbBytes(f, 5)),
		Receiver:    string(pbBytes(f, 6)),
		ContentType: string(pbBytes(f, 7)),
		Payload:     bytes.Clone(payload),
		PayloadHash: relayer.HexHash(ph),
	}, nil
}

// published is what the source needs of a liaison.records.v1.PublishedRecord.
type published struct {
	record       relayer.Record
	height       uint64
	sourceClient string
}

// decodePublished reads a QueryPublishedResponse{published: PublishedRecord{
// record 1, packet 2 (ibc.core.channel.v2.Packet: source_client 2),
// sender 3, height 4, status 5}}.
func decodePublished(resp []byte) (published, error) {
	outer, err := pbFields(resp)
	if err != nil {
		return published{}, fmt.Errorf("published response: %w", err)
	}
	f, err := pbFields(pbBytes(outer, 1))
	if err != nil {
		return published{}, fmt.Errorf("published record: %w", err)
	}
	rec, err := decodeRecordProto(pbBytes(f, 1))
	if err != nil {
		return published{}, err
	}
	pkt, err := pbFields(pbBytes(f, 2))
	if err != nil {
		return published{}, fmt.Errorf("published packet: %w", err)
	}
	h := pbUint(f, 4)
	if h == 0 || h > 1<<62 {
		return published{}, fmt.Errorf("published record: height %d", h)
	}
	return published{record: rec, height: h, sourceClient: string(pbBytes(pkt, 2))}, nil
}

// decodeDelivered reads the record of a QueryDeliveredResponse{delivered:
// DeliveredRecord{record 1, …}}.
func decodeDelivered(resp []byte) (relayer.Record, error) {
	outer, err := pbFields(resp)
	if err != nil {
		return relayer.Record{}, fmt.Errorf("delivered response: %w", err)
	}
	f, err := pbFields(pbBytes(outer, 1))
	if err != nil {
		return relayer.Record{}, fmt.Errorf("delivered record: %w", err)
	}
	return decodeRecordProto(pbBytes(f, 1))
}

// decodeChainName reads QueryParamsResponse{params: Params{chain_name 1}}.
func decodeChainName(resp []byte) (string, error) {
	outer, err := pbFields(resp)
	if err != nil {
		return "", fmt.Errorf("params response: %w", err)
	}
	f, err := pbFields(pbBytes(outer, 1))
	if err != nil {
		return "", fmt.Errorf("params: %w", err)
	}
	return string(pbBytes(f, 1)), nil
}

// pbString encodes a message whose only field 1 is the string s.
func pbString(s string) []byte {
	return protowire.AppendString(protowire.AppendTag(nil, 1, protowire.BytesType), s)
}

// pbVarint encodes a message whose only field 1 is the varint v.
func pbVarint(v uint64) []byte {
	return protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), v)
}
