package records

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
)

// PublishRecord publishes a record to destination and returns its ID (64
// hex digits). payload is standard base64 (padded), so any bytes can be
// published. It assigns the next sequence number (the first record has
// sequence 1), stores the record's 32-byte commitment (RecordDigest) under
// "outbox/record/<id hex>" and sets the RecordPublished event, whose
// payload is the Record as JSON.
//
// Any member of the channel may publish. The chaincode must be invoked
// directly under the name it was initialized with: a chaincode-to-chaincode
// call is refused (ErrUnauthorized), because Fabric drops the events of the
// called chaincode and the relayer would never see the record.
//
// Every publish reads and writes "outbox/seq", so at most one PublishRecord
// per block is valid; the others fail validation with an MVCC read
// conflict and must be submitted again.
func (c *Contract) PublishRecord(ctx contractapi.TransactionContextInterface, destination, receiver, contentType, payload string) (string, error) {
	recs, err := publish(ctx, []PublishInput{{Destination: destination, Receiver: receiver, ContentType: contentType, Payload: payload}}, 0)
	if err != nil {
		return "", err
	}
	ev, err := json.Marshal(recs[0])
	if err != nil {
		return "", fmt.Errorf("encode event: %w", err)
	}
	if err := ctx.GetStub().SetEvent(EventRecordPublished, ev); err != nil {
		return "", fmt.Errorf("set event: %w", err)
	}
	return recs[0].ID, nil
}

// PublishInput is one record of a PublishRecords call: the fields of a
// PublishRecord call, with the payload in standard base64.
type PublishInput struct {
	Destination string `json:"destination"`
	Receiver    string `json:"receiver"`
	ContentType string `json:"content_type"`
	Payload     string `json:"payload"`
}

// Bounds of one PublishRecords transaction. The evidence of each record
// of a transaction carries the whole block (Fabric's block data hash
// covers every envelope, so nothing less proves it), so the relayer stores
// and verifies about records × block bytes per transaction. These bounds
// keep that within what one PublishRecord with a large payload already
// costs, about 25 MB; the relayer's verifier refuses events beyond them.
const (
	MaxPublishBatch      = 100
	MaxPublishBatchBytes = 64 << 10 // payload bytes, decoded, of all the records
)

// PublishRecords publishes several records in one transaction and returns
// their IDs in order. recordsJSON is a JSON array of PublishInput (unknown
// fields refused), 1 to MaxPublishBatch of them, with at most
// MaxPublishBatchBytes of payload in all. Each record gets its own
// sequence (consecutive, in array order), ID and commitment, exactly as if
// each had been published by PublishRecord; "outbox/seq" is written once,
// with the last sequence. A transaction carries one chaincode event, so
// the event is RecordsPublished, whose payload is the []Record as JSON.
//
// It is all or nothing: one invalid input fails the whole call.
func (c *Contract) PublishRecords(ctx contractapi.TransactionContextInterface, recordsJSON string) ([]string, error) {
	in, err := decodePublishInputs(recordsJSON)
	if err != nil {
		return nil, err
	}
	recs, err := publish(ctx, in, MaxPublishBatchBytes)
	if err != nil {
		return nil, err
	}
	ev, err := json.Marshal(recs)
	if err != nil {
		return nil, fmt.Errorf("encode event: %w", err)
	}
	if err := ctx.GetStub().SetEvent(EventRecordsPublished, ev); err != nil {
		return nil, fmt.Errorf("set event: %w", err)
	}
	ids := make([]string, len(recs))
	for i := range recs {
		ids[i] = recs[i].ID
	}
	return ids, nil
}

// decodePublishInputs reads the array one element at a time, so that an
// over-long one is refused before it is all decoded (any member may call
// PublishRecords), and checks the bounds.
func decodePublishInputs(recordsJSON string) ([]PublishInput, error) {
	if len(recordsJSON) > 4*MaxPublishBatchBytes {
		return nil, fmt.Errorf("%w: records: %d bytes of JSON, at most %d", ErrInvalid, len(recordsJSON), 4*MaxPublishBatchBytes)
	}
	dec := json.NewDecoder(strings.NewReader(recordsJSON))
	dec.DisallowUnknownFields()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, fmt.Errorf("%w: records: want a JSON array", ErrInvalid)
	}
	var in []PublishInput
	size := 0
	for dec.More() {
		if len(in) == MaxPublishBatch {
			return nil, fmt.Errorf("%w: more than %d records", ErrInvalid, MaxPublishBatch)
		}
		var p PublishInput
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("%w: records: record %d: %v", ErrInvalid, len(in), err)
		}
		// A coarse bound (padding makes DecodedLen overestimate by up
		// to 2 a record); publish checks the exact size.
		if size += base64.StdEncoding.DecodedLen(len(p.Payload)); size > MaxPublishBatchBytes+2*MaxPublishBatch {
			return nil, fmt.Errorf("%w: more than %d payload bytes", ErrInvalid, MaxPublishBatchBytes)
		}
		in = append(in, p)
	}
	if _, err := dec.Token(); err != nil { // the closing bracket
		return nil, fmt.Errorf("%w: records: %v", ErrInvalid, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: records: trailing data after the array", ErrInvalid)
	}
	if len(in) == 0 {
		return nil, fmt.Errorf("%w: no records", ErrInvalid)
	}
	return in, nil
}

// publish checks the caller and the inputs (with at most maxBytes of
// payload in all, when positive), assigns consecutive sequences and writes
// each record's commitment and the last sequence. The caller sets the
// event.
func publish(ctx contractapi.TransactionContextInterface, in []PublishInput, maxBytes int) ([]Record, error) {
	cfg, err := loadConfig(ctx)
	if err != nil {
		return nil, err
	}
	invoked, err := invokedChaincode(ctx)
	if err != nil {
		return nil, err
	}
	if invoked != cfg.Emitter {
		return nil, fmt.Errorf("%w: invoked as chaincode %q but records are published by %q; call it directly, not from another chaincode",
			ErrUnauthorized, invoked, cfg.Emitter)
	}
	bodies := make([][]byte, len(in))
	size := 0
	for i, p := range in {
		if p.Destination == "" {
			return nil, fmt.Errorf("%w: record %d: empty destination", ErrInvalid, i)
		}
		if bodies[i], err = base64.StdEncoding.Strict().DecodeString(p.Payload); err != nil {
			return nil, fmt.Errorf("%w: record %d: payload is not standard base64: %v", ErrInvalid, i, err)
		}
		size += len(bodies[i])
	}
	if maxBytes > 0 && size > maxBytes {
		return nil, fmt.Errorf("%w: %d payload bytes, at most %d in one PublishRecords", ErrInvalid, size, maxBytes)
	}
	first, err := nextSequence(ctx)
	if err != nil {
		return nil, err
	}
	if uint64(len(in)-1) > math.MaxUint64-first {
		return nil, fmt.Errorf("%w: sequence space exhausted", ErrInvalid)
	}
	stub := ctx.GetStub()
	recs := make([]Record, len(in))
	for i, p := range in {
		rec, digest, err := newRecord(cfg.ChainName, []byte(cfg.Emitter), first+uint64(i), p.Destination, p.Receiver, p.ContentType, bodies[i])
		if err != nil {
			return nil, err
		}
		if err := stub.PutState(keyOutboxRecord+rec.ID, digest[:]); err != nil {
			return nil, fmt.Errorf("write commitment: %w", err)
		}
		recs[i] = rec
	}
	var seqBytes [8]byte
	binary.BigEndian.PutUint64(seqBytes[:], first+uint64(len(in)-1))
	if err := stub.PutState(keyOutboxSeq, seqBytes[:]); err != nil {
		return nil, fmt.Errorf("write %s: %w", keyOutboxSeq, err)
	}
	return recs, nil
}

// nextSequence returns the sequence after the one stored under
// "outbox/seq" (8 bytes, big-endian; absent means 0).
func nextSequence(ctx contractapi.TransactionContextInterface) (uint64, error) {
	b, err := ctx.GetStub().GetState(keyOutboxSeq)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", keyOutboxSeq, err)
	}
	var last uint64
	switch len(b) {
	case 0:
	case 8:
		last = binary.BigEndian.Uint64(b)
	default:
		return 0, fmt.Errorf("%s holds %d bytes, want 8", keyOutboxSeq, len(b))
	}
	if last == math.MaxUint64 {
		return 0, fmt.Errorf("%w: sequence space exhausted", ErrInvalid)
	}
	return last + 1, nil
}
