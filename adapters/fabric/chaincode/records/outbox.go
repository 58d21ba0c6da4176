package records

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"

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
	cfg, err := loadConfig(ctx)
	if err != nil {
		return "", err
	}
	invoked, err := invokedChaincode(ctx)
	if err != nil {
		return "", err
	}
	if invoked != cfg.Emitter {
		return "", fmt.Errorf("%w: invoked as chaincode %q but records are published by %q; call it directly, not from another chaincode",
			ErrUnauthorized, invoked, cfg.Emitter)
	}
	if destination == "" {
		return "", fmt.Errorf("%w: empty destination", ErrInvalid)
	}
	body, err := base64.StdEncoding.Strict().DecodeString(payload)
	if err != nil {
		return "", fmt.Errorf("%w: payload is not standard base64: %v", ErrInvalid, err)
	}
	seq, err := nextSequence(ctx)
	if err != nil {
		return "", err
	}
	rec, digest, err := newRecord(cfg.ChainName, []byte(cfg.Emitter), seq, destination, receiver, contentType, body)
	if err != nil {
		return "", err
	}
	stub := ctx.GetStub()
	var seqBytes [8]byte
	binary.BigEndian.PutUint64(seqBytes[:], seq)
	if err := stub.PutState(keyOutboxSeq, seqBytes[:]); err != nil {
		return "", fmt.Errorf("write %s: %w", keyOutboxSeq, err)
	}
	if err := stub.PutState(keyOutboxRecord+rec.ID, digest[:]); err != nil {
		return "", fmt.Errorf("write commitment: %w", err)
	}
	ev, err := json.Marshal(rec)
	if err != nil {
		return "", fmt.Errorf("encode event: %w", err)
	}
	if err := stub.SetEvent(EventRecordPublished, ev); err != nil {
		return "", fmt.Errorf("set event: %w", err)
	}
	return rec.ID, nil
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
