package records

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
)

// Outcomes of Attest.
const (
	// OutcomeVoted: the vote was stored; fewer than M attestors agree yet.
	OutcomeVoted = "voted"
	// OutcomeDelivered: this attestation delivered the record.
	OutcomeDelivered = "delivered"
	// OutcomeDuplicate: nothing changed. The attestor had already voted
	// for this digest, or the record was already delivered with it.
	OutcomeDuplicate = "duplicate"
	// OutcomeConflict (AttestBatch only): the attestation contradicts what
	// the Inbox holds; nothing changed, and Error says why. Attest fails
	// with ErrConflict instead.
	OutcomeConflict = "conflict"
)

// Vote is one attestor's attestation of one record.
type Vote struct {
	Attestor     string `json:"attestor"`
	Digest       string `json:"digest"`
	EvidenceHash string `json:"evidence_hash"`
	TxID         string `json:"tx_id"`
}

// Delivery is a delivered record, stored as JSON under
// "inbox/delivered/<id hex>" and carried by the RecordDelivered event.
type Delivery struct {
	// Record is the record in canonical form (see Record).
	Record Record `json:"record"`
	// Digest is its RecordDigest, 0x-prefixed hex.
	Digest string `json:"digest"`
	// Votes are the votes of the current attestors for Digest that
	// delivered it, sorted by attestor key.
	Votes []Vote `json:"votes"`
	// TxID is the transaction that delivered it.
	TxID string `json:"tx_id"`
	// Committee is set when a committee attestation delivered it
	// (DeliverAttested); Votes is then empty.
	Committee *CommitteeProof `json:"committee,omitempty" metadata:",optional"`
}

// AttestResult says what an attestation did.
type AttestResult struct {
	ID        string `json:"id"`
	Digest    string `json:"digest"`
	Attestor  string `json:"attestor"`
	Outcome   string `json:"outcome"`
	Votes     uint32 `json:"votes"`
	Threshold uint32 `json:"threshold"`
	Error     string `json:"error,omitempty" metadata:",optional"` // OutcomeConflict: why
}

// Attest records the caller's attestation that the record (recordJSON, a
// Record as JSON) was committed on its source ledger, with evidenceHash
// (64 hex digits) the SHA-256 of the evidence the attestor verified.
//
// The caller must match exactly one configured attestor (else
// ErrUnauthorized). The record must be addressed to this chain (else
// ErrWrongDestination) and its ID and payload hash must follow from its
// fields (else ErrInvalid). Votes are counted per record digest, so a
// faulty attestor can neither block nor alter a record: once M current
// attestors voted for the same digest, the record is delivered: stored
// under "inbox/delivered/<id hex>" with the RecordDelivered event.
//
// Repeating an attestation (same attestor, same digest), or attesting a
// record that was delivered with the same digest, changes nothing and
// returns OutcomeDuplicate without error. An attestation that contradicts
// the delivered digest, or the same attestor's earlier vote, fails with
// ErrConflict ("conflict: ..."): Fabric keeps no event of a failed
// transaction, so the error message is the record of the conflict.
func (c *Contract) Attest(ctx contractapi.TransactionContextInterface, recordJSON, evidenceHash string) (*AttestResult, error) {
	cfg, attestor, err := attestorCall(ctx)
	if err != nil {
		return nil, err
	}
	evidence, err := parseHash32("evidence hash", evidenceHash)
	if err != nil {
		return nil, err
	}
	in, err := decodeRecord([]byte(recordJSON))
	if err != nil {
		return nil, err
	}
	res, delivered, err := attest(ctx, cfg, attestor, in, evidence)
	if err != nil {
		return nil, err
	}
	switch {
	case delivered != nil:
		err = ctx.GetStub().SetEvent(EventRecordDelivered, delivered)
	case res.Outcome == OutcomeVoted:
		err = setJSONEvent(ctx, EventRecordAttested, res)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// maxBatch bounds the records of one AttestBatch.
const maxBatch = 1000

// AttestBatch attests several records in one transaction, each exactly as
// Attest would, in order: recordsJSON is a JSON array of records,
// evidenceHashesJSON a JSON array of as many evidence hashes. It returns
// one AttestResult per record. A conflict does not fail the transaction:
// that record's result has Outcome "conflict" and the error's message,
// and nothing of it is written. Anything else Attest refuses (not an
// attestor, a record addressed elsewhere, a malformed record) fails the
// whole transaction; so does a record ID given twice, since a transaction
// does not read its own writes. The one event is RecordsAttested, the
// results of the records that were voted or delivered.
func (c *Contract) AttestBatch(ctx contractapi.TransactionContextInterface, recordsJSON, evidenceHashesJSON string) ([]AttestResult, error) {
	cfg, attestor, err := attestorCall(ctx)
	if err != nil {
		return nil, err
	}
	raws, hashes, err := decodeBatch(recordsJSON, evidenceHashesJSON)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	results := make([]AttestResult, 0, len(raws))
	var changed []AttestResult
	for i, raw := range raws {
		in, err := decodeRecord(raw)
		if err != nil {
			return nil, fmt.Errorf("%w (record %d)", err, i)
		}
		evidence, err := parseHash32("evidence hash", hashes[i])
		if err != nil {
			return nil, fmt.Errorf("%w (record %d)", err, i)
		}
		res, _, err := attest(ctx, cfg, attestor, in, evidence)
		var conflict *conflictError
		switch {
		case errors.As(err, &conflict):
			res = conflict.res
			res.Outcome, res.Error = OutcomeConflict, err.Error()
		case err != nil:
			return nil, fmt.Errorf("%w (record %d)", err, i)
		}
		if seen[res.ID] {
			return nil, fmt.Errorf("%w: record %s is in the batch twice", ErrInvalid, res.ID)
		}
		seen[res.ID] = true
		results = append(results, *res)
		if res.Outcome == OutcomeVoted || res.Outcome == OutcomeDelivered {
			changed = append(changed, *res)
		}
	}
	if len(changed) > 0 {
		if err := setJSONEvent(ctx, EventRecordsAttested, changed); err != nil {
			return nil, err
		}
	}
	return results, nil
}

// attestorCall loads the configuration and the caller's attestor key.
func attestorCall(ctx contractapi.TransactionContextInterface) (*Config, string, error) {
	cfg, err := loadConfig(ctx)
	if err != nil {
		return nil, "", err
	}
	who, err := callerOf(ctx)
	if err != nil {
		return nil, "", err
	}
	attestor, err := attestorOf(cfg, who)
	if err != nil {
		return nil, "", err
	}
	return cfg, attestor, nil
}

// decodeRecord decodes a Record strictly (no unknown field).
func decodeRecord(b []byte) (Record, error) {
	var in Record
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return in, fmt.Errorf("%w: record JSON: %v", ErrInvalid, err)
	}
	return in, nil
}

// conflictError is an ErrConflict with the result so far, for AttestBatch.
type conflictError struct {
	res *AttestResult
	err error
}

func (e *conflictError) Error() string { return e.err.Error() }
func (e *conflictError) Unwrap() error { return e.err }

// attest is Attest for a caller that is attestor: it returns what the
// attestation did and, when it delivered the record, the Delivery JSON it
// stored. A conflict is a *conflictError (wrapping ErrConflict) and writes
// nothing.
func attest(ctx contractapi.TransactionContextInterface, cfg *Config, attestor string, in Record, evidence [32]byte) (*AttestResult, []byte, error) {
	rec, _, digest, err := in.check()
	if err != nil {
		return nil, nil, err
	}
	if rec.Destination != cfg.ChainName {
		return nil, nil, fmt.Errorf("%w: record %s is addressed to %q, this inbox is %q", ErrWrongDestination, rec.ID, rec.Destination, cfg.ChainName)
	}
	digestHex := "0x" + hex.EncodeToString(digest[:])
	res := &AttestResult{ID: rec.ID, Digest: digestHex, Attestor: attestor, Threshold: cfg.Threshold}
	conflict := func(format string, args ...any) (*AttestResult, []byte, error) {
		return nil, nil, &conflictError{res: res, err: fmt.Errorf("%w: "+format, append([]any{ErrConflict}, args...)...)}
	}

	var delivered Delivery
	ok, err := getJSON(ctx, keyInboxDelivered+rec.ID, &delivered)
	if err != nil {
		return nil, nil, err
	}
	if ok {
		if delivered.Digest != digestHex {
			return conflict("record %s was delivered with digest %s; %s attests digest %s", rec.ID, delivered.Digest, attestor, digestHex)
		}
		res.Outcome, res.Votes = OutcomeDuplicate, uint32(len(delivered.Votes))
		return res, nil, nil
	}

	var votes []Vote
	if _, err := getJSON(ctx, keyInboxVotes+rec.ID, &votes); err != nil {
		return nil, nil, err
	}
	i, found := slices.BinarySearchFunc(votes, attestor, func(v Vote, k string) int { return strings.Compare(v.Attestor, k) })
	if found {
		if votes[i].Digest != digestHex {
			return conflict("%s attested digest %s for record %s before, now %s", attestor, votes[i].Digest, rec.ID, digestHex)
		}
		res.Outcome = OutcomeDuplicate
	} else {
		votes = slices.Insert(votes, i, Vote{
			Attestor:     attestor,
			Digest:       digestHex,
			EvidenceHash: "0x" + hex.EncodeToString(evidence[:]),
			TxID:         ctx.GetStub().GetTxID(),
		})
		if _, err := putJSON(ctx, keyInboxVotes+rec.ID, votes); err != nil {
			return nil, nil, err
		}
		res.Outcome = OutcomeVoted
	}

	agree := countingVotes(cfg, votes, digestHex)
	res.Votes = uint32(len(agree))
	if res.Votes < cfg.Threshold {
		return res, nil, nil
	}
	d := Delivery{Record: rec, Digest: digestHex, Votes: agree, TxID: ctx.GetStub().GetTxID()}
	b, err := putJSON(ctx, keyInboxDelivered+rec.ID, d)
	if err != nil {
		return nil, nil, err
	}
	res.Outcome = OutcomeDelivered
	return res, b, nil
}

// setJSONEvent sets the transaction's one chaincode event.
func setJSONEvent(ctx contractapi.TransactionContextInterface, name string, v any) error {
	ev, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	if err := ctx.GetStub().SetEvent(name, ev); err != nil {
		return fmt.Errorf("set event: %w", err)
	}
	return nil
}

// countingVotes returns the votes for digest by attestors that are still
// configured, in attestor order.
func countingVotes(cfg *Config, votes []Vote, digest string) []Vote {
	out := []Vote{}
	for _, v := range votes {
		if v.Digest != digest {
			continue
		}
		if slices.ContainsFunc(cfg.Attestors, func(a Attestor) bool { return a.Key == v.Attestor }) {
			out = append(out, v)
		}
	}
	return out
}

// GetCommitment returns the commitment (RecordDigest, 0x-prefixed hex)
// the Outbox stored for the record with this ID, or ErrNotFound.
func (c *Contract) GetCommitment(ctx contractapi.TransactionContextInterface, id string) (string, error) {
	rid, err := parseHash32("id", id)
	if err != nil {
		return "", err
	}
	b, err := ctx.GetStub().GetState(OutboxRecordKey(rid))
	if err != nil {
		return "", fmt.Errorf("read commitment: %w", err)
	}
	if b == nil {
		return "", fmt.Errorf("%w: no record %x in the outbox", ErrNotFound, rid)
	}
	return "0x" + hex.EncodeToString(b), nil
}

// IsDelivered reports whether the Inbox delivered the record with this ID.
func (c *Contract) IsDelivered(ctx contractapi.TransactionContextInterface, id string) (bool, error) {
	rid, err := parseHash32("id", id)
	if err != nil {
		return false, err
	}
	b, err := ctx.GetStub().GetState(keyInboxDelivered + hex.EncodeToString(rid[:]))
	if err != nil {
		return false, fmt.Errorf("read delivery: %w", err)
	}
	return b != nil, nil
}

// GetDelivered returns the delivery of the record with this ID, or
// ErrNotFound when it is not delivered.
func (c *Contract) GetDelivered(ctx contractapi.TransactionContextInterface, id string) (*Delivery, error) {
	rid, err := parseHash32("id", id)
	if err != nil {
		return nil, err
	}
	d := new(Delivery)
	ok, err := getJSON(ctx, keyInboxDelivered+hex.EncodeToString(rid[:]), d)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: record %x is not delivered", ErrNotFound, rid)
	}
	return d, nil
}

// HasAttested reports whether the attestor with this key has voted on the
// record with this ID, for any digest, whether or not it still is an
// attestor.
func (c *Contract) HasAttested(ctx contractapi.TransactionContextInterface, id, attestorKey string) (bool, error) {
	rid, err := parseHash32("id", id)
	if err != nil {
		return false, err
	}
	var votes []Vote
	if _, err := getJSON(ctx, keyInboxVotes+hex.EncodeToString(rid[:]), &votes); err != nil {
		return false, err
	}
	return slices.ContainsFunc(votes, func(v Vote) bool { return v.Attestor == attestorKey }), nil
}

// GetConfig returns the configuration, or ErrNotInitialized before Init.
func (c *Contract) GetConfig(ctx contractapi.TransactionContextInterface) (*Config, error) {
	return loadConfig(ctx)
}
