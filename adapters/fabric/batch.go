package fabric

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/liaison-gw/liaison/relayer"
)

var _ relayer.BatchDestination = (*destination)(nil)

// maxBatch bounds the records of one AttestBatch proposal (the chaincode
// takes up to 1000; a smaller batch keeps proposals and endorsement times
// modest).
const maxBatch = 200

// PrepareBatch builds the proposal AttestBatch(records, evidence hashes)
// for up to maxBatch records of ds and signs it, as Prepare does for one
// record: Prepared.TxID is fixed by the proposal, so a resumed batch is
// the same transaction, which the ledger accepts once.
func (d *destination) PrepareBatch(ctx context.Context, ds []relayer.Delivery) (relayer.Prepared, int, error) {
	n := min(len(ds), maxBatch)
	if n == 0 {
		return relayer.Prepared{}, 0, fmt.Errorf("%w: an empty batch", relayer.ErrPermanent)
	}
	recs := make([]chaincodeRecord, n)
	hashes := make([]string, n)
	for i, del := range ds[:n] {
		if del.Record == nil {
			return relayer.Prepared{}, 0, fmt.Errorf("%w: batch member %d has no record", relayer.ErrPermanent, i)
		}
		recs[i], hashes[i] = toChaincode(del.Record), hex.EncodeToString(del.EvidenceHash[:])
	}
	recJSON, err := json.Marshal(recs)
	if err != nil {
		return relayer.Prepared{}, 0, fmt.Errorf("%w: encode a batch of %d records: %v", relayer.ErrPermanent, n, err)
	}
	hashJSON, err := json.Marshal(hashes)
	if err != nil {
		return relayer.Prepared{}, 0, fmt.Errorf("%w: encode evidence hashes: %v", relayer.ErrPermanent, err)
	}
	p, err := d.sign("AttestBatch", string(recJSON), string(hashJSON))
	if err != nil {
		return relayer.Prepared{}, 0, fmt.Errorf("chain %s: prepare a batch of %d records: %w", d.c.name, n, err)
	}
	return p, n, nil
}

// SubmitBatch sends a prepared batch as Submit sends one attestation. A
// batch the chaincode refuses as a whole (a record addressed elsewhere,
// say) was not ordered and never will be: relayer.ErrNotLanded, wrapping
// relayer.ErrPermanent, so that the engine splits it and dead-letters
// only a record refused alone.
func (d *destination) SubmitBatch(ctx context.Context, prepared []byte) (string, error) {
	txID, err := d.Submit(ctx, relayer.Delivery{Prepared: prepared})
	if err != nil && errors.Is(err, relayer.ErrPermanent) && !errors.Is(err, relayer.ErrNotLanded) {
		return "", fmt.Errorf("%w: %w", relayer.ErrNotLanded, err)
	}
	return txID, err
}

// sign builds and signs a proposal of fn(args...) with the chain's
// identity, on the preferred endpoint's gateway; it talks to no peer.
func (d *destination) sign(fn string, args ...string) (relayer.Prepared, error) {
	ep := d.c.eps[d.c.failover.Preferred(len(d.c.eps))]
	p, err := ep.contract.NewProposal(fn, client.WithArguments(args...))
	if err != nil {
		return relayer.Prepared{}, err
	}
	unsigned, err := p.Bytes()
	if err != nil {
		return relayer.Prepared{}, err
	}
	sig, err := d.c.sign(p.Digest())
	if err != nil {
		return relayer.Prepared{}, fmt.Errorf("sign: %w", err)
	}
	signed, err := ep.gw.NewSignedProposal(unsigned, sig)
	if err != nil {
		return relayer.Prepared{}, err
	}
	data, err := signed.Bytes()
	if err != nil {
		return relayer.Prepared{}, err
	}
	return relayer.Prepared{Data: data, TxID: signed.TransactionID()}, nil
}
