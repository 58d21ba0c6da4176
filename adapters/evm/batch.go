package evm

import (
	"context"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/rpc"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
	"github.com/liaison-gw/liaison/relayer"
)

var _ relayer.BatchDestination = (*destination)(nil)

// blockGasShare is the share of the latest block's gas limit one batch
// may use: a batch that fills a whole block would wait for an empty one.
const blockGasShare = 2 // 1/2

// PrepareBatch builds and signs Inbox.attestBatch for ds, or for the
// longest prefix of ds whose gas fits half the latest block's gas limit,
// with the signer's next nonce. The gas limit is the estimate plus 20%.
// A batch the Inbox refuses as a whole (a revert in the estimate) is
// relayer.ErrPermanent naming the decoded error; the engine then splits it.
// An unreachable endpoint is relayer.ErrUnavailable.
func (d *destination) PrepareBatch(ctx context.Context, ds []relayer.Delivery) (relayer.Prepared, int, error) {
	if len(ds) == 0 {
		return relayer.Prepared{}, 0, fmt.Errorf("%w: an empty batch", relayer.ErrPermanent)
	}
	var out relayer.Prepared
	n := len(ds)
	err := d.c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		head, err := ep.block(ctx, rpc.LatestBlockNumber)
		if err != nil {
			return err
		}
		budget := uint64(head.GasLimit) / blockGasShare
		var data []byte
		var gas uint64
		for {
			if data, err = d.packBatch(ds[:n]); err != nil {
				return err
			}
			var known bool
			if gas, known, err = d.batchGas(ctx, ep, ds[:n], data); err != nil {
				return err
			}
			if gas <= budget || n == 1 {
				break
			}
			if !known {
				// The node could not estimate it, most likely because it
				// does not fit a block: halve it.
				n = max(1, n/2)
				continue
			}
			// Scale down to the budget, by at least one record.
			n = max(1, min(n-1, int(uint64(n)*budget/gas)))
		}
		out, err = d.signInboxCall(ctx, ep, gas, data)
		return err
	})
	if err != nil {
		return relayer.Prepared{}, 0, fmt.Errorf("chain %s: prepare a batch of %d records: %w", d.c.name, n, err)
	}
	return out, n, nil
}

// SubmitBatch sends a prepared batch; it is Submit for prepared bytes.
func (d *destination) SubmitBatch(ctx context.Context, prepared []byte) (string, error) {
	return d.send(ctx, prepared)
}

func (d *destination) packBatch(ds []relayer.Delivery) ([]byte, error) {
	recs := make([]contracts.InboxRecord, len(ds))
	hashes := make([][32]byte, len(ds))
	for i, del := range ds {
		if del.Record == nil {
			return nil, fmt.Errorf("%w: batch member %d has no record", relayer.ErrPermanent, i)
		}
		recs[i], hashes[i] = inboxRecord(del.Record), del.EvidenceHash
	}
	data, err := d.c.inboxABI.TryPackAttestBatch(recs, hashes)
	if err != nil {
		return nil, fmt.Errorf("%w: encode attestBatch: %v", relayer.ErrPermanent, err)
	}
	return data, nil
}

// batchGas estimates attestBatch's gas, plus 20% (known). When estimation
// fails for a reason other than a revert, it is gas.fallback_limit per
// record, not known: for more than one record the caller makes the batch
// smaller instead (an estimate fails for a batch that exceeds the block).
func (d *destination) batchGas(ctx context.Context, ep *endpoint, ds []relayer.Delivery, data []byte) (gas uint64, known bool, err error) {
	gas, err = ep.estimateGas(ctx, d.s.addr, d.inbox, data)
	if err == nil {
		return gas + (gas+4)/5, true, nil
	}
	if errors.Is(err, relayer.ErrUnavailable) || ctx.Err() != nil {
		return 0, false, err
	}
	if revert, ok := revertData(err); ok {
		return 0, false, fmt.Errorf("%w: the Inbox %s refuses a batch of %d records (the first %s) from %s: %s",
			relayer.ErrPermanent, d.inbox.Hex(), len(ds), ds[0].Record.ID, d.s.addr.Hex(), describeRevert(d.c.inboxABI.GetABI(), revert))
	}
	if len(ds) == 1 {
		d.c.log.Warn("gas estimation failed; using gas.fallback_limit", "chain", d.c.name, "record", ds[0].Record.ID.String(),
			"fallback_limit", d.c.cfg.Gas.FallbackLimit, "reason", err)
	}
	return d.c.cfg.Gas.FallbackLimit * uint64(len(ds)), false, nil
}
