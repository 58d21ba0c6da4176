package fabric

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"strings"

	"github.com/liaison-gw/liaison/relayer"
)

// Event names of the records chaincode.
const (
	EventRecordPublished = "RecordPublished"
	// EventRecordsPublished is the event of a PublishRecords transaction:
	// the records it published, as a JSON array.
	EventRecordsPublished = "RecordsPublished"
	EventRecordDelivered  = "RecordDelivered"
)

// MaxPublishBatch and MaxPublishBatchBytes bound a PublishRecords
// transaction: records, and payload bytes of them all (the chaincode's
// bounds). Each record's evidence carries the whole block, so the relayer
// proves, stores and verifies about records × block bytes per
// transaction; the verifier refuses an event beyond the bounds, so that a
// chaincode that does not keep them cannot make it do more.
const (
	MaxPublishBatch      = 100
	MaxPublishBatchBytes = 64 << 10
)

// recordDigestDomain separates the digest from every other SHA-256 use;
// the chaincode hashes the same bytes.
const recordDigestDomain = "liaison/record-digest/v1"

// RecordDigest returns the commitment the records chaincode stores for a
// record under StateKey(id) and the Inbox counts votes for:
//
//	sha256("liaison/record-digest/v1" ‖ id ‖ u64be(seq)
//	       ‖ u32be(len(destination)) ‖ destination
//	       ‖ u32be(len(receiver)) ‖ receiver
//	       ‖ u32be(len(contentType)) ‖ contentType
//	       ‖ payloadHash)
//
// It uses the record's own ID and payload hash, so run Record.Check first
// on a record that came from outside. It fails only for a string longer
// than 2^32-1 bytes.
func RecordDigest(rec *relayer.Record) ([32]byte, error) {
	h := sha256.New()
	var buf [8]byte
	h.Write([]byte(recordDigestDomain))
	h.Write(rec.ID[:])
	binary.BigEndian.PutUint64(buf[:], rec.Source.Sequence)
	h.Write(buf[:])
	for _, s := range []string{string(rec.Destination), rec.Receiver, rec.ContentType} {
		if uint64(len(s)) > math.MaxUint32 {
			return [32]byte{}, fmt.Errorf("record %s: a field is longer than 2^32-1 bytes", rec.ID)
		}
		binary.BigEndian.PutUint32(buf[:4], uint32(len(s)))
		h.Write(buf[:4])
		h.Write([]byte(s))
	}
	h.Write(rec.PayloadHash[:])
	var d [32]byte
	h.Sum(d[:0])
	return d, nil
}

// StateKey returns the key under which the chaincode stores a record's
// digest: "outbox/record/" and 64 lower-case hex digits of the ID.
func StateKey(id relayer.RecordID) string { return "outbox/record/" + hex.EncodeToString(id[:]) }

// chaincodeRecord is a record as the chaincode's RecordPublished event
// carries it and as Attest takes it (records.Record in the chaincode).
type chaincodeRecord struct {
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

// toChaincode converts a relayer record into the chaincode's JSON form.
func toChaincode(rec *relayer.Record) chaincodeRecord {
	return chaincodeRecord{
		ID:          hex.EncodeToString(rec.ID[:]),
		SourceChain: string(rec.Source.Chain),
		Emitter:     "0x" + hex.EncodeToString(rec.Source.Emitter),
		Sequence:    rec.Source.Sequence,
		Destination: string(rec.Destination),
		Receiver:    rec.Receiver,
		ContentType: rec.ContentType,
		Payload:     base64.StdEncoding.EncodeToString(rec.Payload),
		PayloadHash: "0x" + hex.EncodeToString(rec.PayloadHash[:]),
	}
}

// decodeEventRecord parses a RecordPublished payload strictly (unknown
// fields, trailing data, bad hex or base64 are errors) into the fields of
// a relayer record; the caller sets Source.Chain, Height and TxID.
func decodeEventRecord(payload []byte) (*relayer.Record, chaincodeRecord, error) {
	var cr chaincodeRecord
	if err := relayer.DecodeStrict(payload, &cr); err != nil {
		return nil, cr, fmt.Errorf("RecordPublished payload: %w", err)
	}
	rec, err := cr.record()
	if err != nil {
		return nil, cr, fmt.Errorf("RecordPublished payload: %w", err)
	}
	return rec, cr, nil
}

// decodeEventRecords parses the payload of a chaincode event that
// publishes records: one for RecordPublished, 1 to MaxPublishBatch for
// RecordsPublished with at most MaxPublishBatchBytes of payload, with no
// ID twice. Decoding is as strict as
// decodeEventRecord's.
func decodeEventRecords(name string, payload []byte) ([]*relayer.Record, []chaincodeRecord, error) {
	switch name {
	case EventRecordPublished:
		rec, cr, err := decodeEventRecord(payload)
		if err != nil {
			return nil, nil, err
		}
		return []*relayer.Record{rec}, []chaincodeRecord{cr}, nil
	case EventRecordsPublished:
	default:
		return nil, nil, fmt.Errorf("event %q does not publish records", name)
	}
	var crs []chaincodeRecord
	if err := relayer.DecodeStrict(payload, &crs); err != nil {
		return nil, nil, fmt.Errorf("RecordsPublished payload: %w", err)
	}
	if len(crs) == 0 || len(crs) > MaxPublishBatch {
		return nil, nil, fmt.Errorf("RecordsPublished payload: %d records, want 1 to %d", len(crs), MaxPublishBatch)
	}
	recs := make([]*relayer.Record, len(crs))
	seen := make(map[relayer.RecordID]bool, len(crs))
	size := 0
	for i := range crs {
		rec, err := crs[i].record()
		if err != nil {
			return nil, nil, fmt.Errorf("RecordsPublished payload: record %d: %w", i, err)
		}
		if size += len(rec.Payload); size > MaxPublishBatchBytes {
			return nil, nil, fmt.Errorf("RecordsPublished payload: more than %d payload bytes", MaxPublishBatchBytes)
		}
		if seen[rec.ID] {
			return nil, nil, fmt.Errorf("RecordsPublished payload: record %d: id %s appears twice", i, rec.ID)
		}
		seen[rec.ID] = true
		recs[i] = rec
	}
	return recs, crs, nil
}

// record converts the chaincode's form into the fields of a relayer record;
// the caller sets Source.Chain, Height and TxID.
func (cr *chaincodeRecord) record() (*relayer.Record, error) {
	rec := &relayer.Record{
		Destination: relayer.ChainID(cr.Destination),
		Receiver:    cr.Receiver,
		ContentType: cr.ContentType,
	}
	rec.Source.Sequence = cr.Sequence
	var err error
	if rec.ID, err = relayer.ParseRecordID(cr.ID); err != nil {
		return nil, err
	}
	emitter, err := hex.DecodeString(strings.TrimPrefix(cr.Emitter, "0x"))
	if err != nil {
		return nil, fmt.Errorf("emitter: %w", err)
	}
	rec.Source.Emitter = emitter
	if rec.Payload, err = base64.StdEncoding.Strict().DecodeString(cr.Payload); err != nil {
		return nil, fmt.Errorf("payload is not standard base64: %w", err)
	}
	if err := rec.PayloadHash.UnmarshalText([]byte(cr.PayloadHash)); err != nil {
		return nil, fmt.Errorf("payload_hash: %w", err)
	}
	return rec, nil
}
