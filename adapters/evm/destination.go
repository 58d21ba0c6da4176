package evm

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/liaison-gw/liaison/relayer"
)

// destination attests records on the chain's Inbox with the chain's signer
// key. It implements relayer.Destination and relayer.Preparer.
type destination struct {
	c     *Chain
	s     *sender
	inbox common.Address
}

var (
	_ relayer.Destination = (*destination)(nil)
	_ relayer.Preparer    = (*destination)(nil)
)

// Prepare builds and signs Inbox.attest(record, evidenceHash) with the next
// nonce of the signer (see doc.go, "Nonces"). The gas limit is the estimate
// plus 20%, or gas.fallback_limit when estimation fails for a reason other
// than a revert; a revert with data (NotAttestor, WrongDestination,
// FieldTooLong, …) is relayer.ErrPermanent naming the decoded error, and no
// nonce is used then. An unreachable endpoint is relayer.ErrUnavailable.
func (d *destination) Prepare(ctx context.Context, del relayer.Delivery) (relayer.Prepared, error) {
	rec := del.Record
	if rec == nil {
		return relayer.Prepared{}, fmt.Errorf("%w: no record to prepare", relayer.ErrPermanent)
	}
	data, err := d.c.inboxABI.TryPackAttest(inboxRecord(rec), del.EvidenceHash)
	if err != nil {
		return relayer.Prepared{}, fmt.Errorf("%w: encode attest: %v", relayer.ErrPermanent, err)
	}
	var out relayer.Prepared
	err = d.c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		gas, err := d.gasLimit(ctx, ep, rec, data)
		if err != nil {
			return err
		}
		out, err = d.signInboxCall(ctx, ep, gas, data)
		return err
	})
	if err != nil {
		return relayer.Prepared{}, fmt.Errorf("chain %s: prepare attest of %s: %w", d.c.name, rec.ID, err)
	}
	return out, nil
}

// signInboxCall signs a call of the Inbox with data and the gas limit,
// with current fees and the signer's next nonce.
func (d *destination) signInboxCall(ctx context.Context, ep *endpoint, gas uint64, data []byte) (relayer.Prepared, error) {
	f, err := d.c.suggestFees(ctx, ep)
	if err != nil {
		return relayer.Prepared{}, err
	}
	tx, err := d.s.sign(ctx, ep, func(nonce uint64) types.TxData { return f.tx(d.c.chainID, nonce, gas, d.inbox, data) })
	if err != nil {
		return relayer.Prepared{}, err
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return relayer.Prepared{}, err
	}
	return relayer.Prepared{Data: raw, TxID: tx.Hash().Hex()}, nil
}

// gasLimit estimates attest's gas.
func (d *destination) gasLimit(ctx context.Context, ep *endpoint, rec *relayer.Record, data []byte) (uint64, error) {
	gas, err := ep.estimateGas(ctx, d.s.addr, d.inbox, data)
	if err == nil {
		return gas + (gas+4)/5, nil
	}
	if errors.Is(err, relayer.ErrUnavailable) || ctx.Err() != nil {
		return 0, err
	}
	if revert, ok := revertData(err); ok {
		return 0, fmt.Errorf("%w: the Inbox %s refuses record %s from %s: %s",
			relayer.ErrPermanent, d.inbox.Hex(), rec.ID, d.s.addr.Hex(), describeRevert(d.c.inboxABI.GetABI(), revert))
	}
	d.c.log.Warn("gas estimation failed; using gas.fallback_limit", "chain", d.c.name, "record", rec.ID.String(),
		"fallback_limit", d.c.cfg.Gas.FallbackLimit, "reason", err)
	return d.c.cfg.Gas.FallbackLimit, nil
}

// Submit sends the prepared transaction (or prepares one first when the
// delivery carries none). The same bytes sent again are one transaction:
// "already known" is success. When the node says the nonce is too low,
// Submit looks for a receipt of this transaction or of a replacement of it:
// one found is success, none is relayer.ErrNotLanded. A transaction the node
// refuses for any other reason (funds, fees, gas) or that this relayer
// cannot have signed is relayer.ErrNotLanded too, so that the engine
// prepares a new one, unless an earlier send of the same transaction was
// accepted (that copy may still land: a plain error). Nothing sent is relayer.ErrUnavailable; any other
// error means the transaction may have reached the node.
func (d *destination) Submit(ctx context.Context, del relayer.Delivery) (string, error) {
	if len(del.Prepared) == 0 {
		p, err := d.Prepare(ctx, del)
		if err != nil {
			return "", err
		}
		del.Prepared = p.Data
	}
	return d.send(ctx, del.Prepared)
}

// send sends a prepared transaction: see Submit.
func (d *destination) send(ctx context.Context, prepared []byte) (string, error) {
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(prepared); err != nil {
		return "", fmt.Errorf("%w: chain %s: the prepared transaction does not decode: %v", relayer.ErrNotLanded, d.c.name, err)
	}
	if err := d.s.checkOurs(tx, d.inbox); err != nil {
		return "", fmt.Errorf("%w: chain %s: %w", relayer.ErrNotLanded, d.c.name, err)
	}
	sl := d.s.track(tx)
	latest := d.s.txsOf(sl)[0]
	var sendErr error
	err := d.c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		sendErr = ep.send(ctx, latest)
		switch {
		case sendErr == nil, errors.Is(sendErr, errAlreadyKnown):
			d.s.markSent(sl)
			return nil
		case errors.Is(sendErr, errNonceTooLow):
			landed, err := d.s.anyReceipt(ctx, ep, sl)
			if err != nil {
				return err
			}
			if landed {
				return nil
			}
			d.s.forget(sl)
			d.s.resync(ctx, ep)
			return fmt.Errorf("%w: nonce %d was used by another transaction, so %s can never land", relayer.ErrNotLanded, tx.Nonce(), tx.Hash().Hex())
		case errors.Is(sendErr, errReplacementUnderpriced):
			d.s.forget(sl)
			return fmt.Errorf("%w: another transaction with nonce %d is pending, so %s cannot enter the pool (%v)", relayer.ErrNotLanded, tx.Nonce(), tx.Hash().Hex(), sendErr)
		case errors.Is(sendErr, errRefused):
			if !d.s.sentAt(sl).IsZero() {
				// An earlier send was accepted: that copy may still land.
				return fmt.Errorf("%w (an earlier send of it was accepted and may still land)", sendErr)
			}
			d.s.forget(sl)
			d.s.release(tx.Nonce())
			return fmt.Errorf("%w: %w", relayer.ErrNotLanded, sendErr)
		}
		return sendErr
	})
	if err != nil {
		return "", fmt.Errorf("chain %s: submit %s (nonce %d): %w", d.c.name, tx.Hash().Hex(), tx.Nonce(), err)
	}
	return tx.Hash().Hex(), nil
}

// Delivered reports whether, at the chain's final block, the Inbox holds
// this relayer's attestation of the record (attestationOf(id, us) equals
// the record's digest) or has delivered it (deliveredDigest(id) equals it).
// A different digest in either place is a conflict that resubmitting cannot
// fix: relayer.ErrPermanent naming both digests.
func (d *destination) Delivered(ctx context.Context, rec *relayer.Record) (bool, error) {
	digest := RecordDigest(rec)
	id := [32]byte(rec.ID)
	var delivered bool
	err := d.c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		final, err := d.c.finalHeight(ctx, ep)
		if err != nil {
			return err
		}
		at := rpc.BlockNumber(final)
		mine, err := d.read(ctx, ep, d.c.inboxABI.PackAttestationOf(id, d.s.addr), at, d.c.inboxABI.UnpackAttestationOf)
		if err != nil {
			return err
		}
		if mine == digest {
			delivered = true
			return nil
		}
		done, err := d.read(ctx, ep, d.c.inboxABI.PackDeliveredDigest(id), at, d.c.inboxABI.UnpackDeliveredDigest)
		if err != nil {
			return err
		}
		switch {
		case done == digest:
			delivered = true
		case done != [32]byte{}:
			return fmt.Errorf("%w: the Inbox delivered digest %x for record %s, but this record's digest is %x: another record with the same id was attested",
				relayer.ErrPermanent, done, rec.ID, digest)
		case mine != [32]byte{}:
			return fmt.Errorf("%w: this relayer (%s) attested digest %x for record %s, but its digest is %x",
				relayer.ErrPermanent, d.s.addr.Hex(), mine, rec.ID, digest)
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("chain %s: delivered %s: %w", d.c.name, rec.ID, err)
	}
	return delivered, nil
}

// read runs a view call of the Inbox at block n.
func (d *destination) read(ctx context.Context, ep *endpoint, data []byte, n rpc.BlockNumber, unpack func([]byte) ([32]byte, error)) ([32]byte, error) {
	out, err := ep.ethCall(ctx, d.s.addr, d.inbox, data, n)
	if err != nil {
		return [32]byte{}, err
	}
	v, err := unpack(out)
	if err != nil {
		return [32]byte{}, fmt.Errorf("endpoint %s: Inbox %s answered %#x at block %v: %w (is the inbox address right?)", ep.name, d.inbox.Hex(), out, n, err)
	}
	return v, nil
}

// Confirm reports on the transaction txID and its replacements: nil when
// one has a successful receipt in a final, canonical block;
// relayer.ErrPending while it is mined in a block that is not final yet, or
// not mined and its nonce still free; relayer.ErrNotLanded when its receipt
// says it reverted (with the decoded reason when the node gives it), when
// the account's nonce moved past it without a receipt of ours (another
// transaction used the nonce), or when the node knows nothing of a
// transaction this process does not know either (after a restart).
//
// While pending, Confirm also sends the transaction again if the node lost
// it, replaces it with a higher fee once it has waited gas.stuck_after at
// the account's next nonce, and fills a nonce gap below it (see doc.go).
func (d *destination) Confirm(ctx context.Context, rec *relayer.Record, txID string) error {
	if !strings.HasPrefix(txID, "0x") || len(txID) != 66 {
		return fmt.Errorf("%w: %q is not a transaction hash", relayer.ErrNotLanded, txID)
	}
	hash := common.HexToHash(txID)
	err := d.c.do(ctx, func(ctx context.Context, ep *endpoint) error { return d.confirm(ctx, ep, hash) })
	if err != nil {
		return fmt.Errorf("chain %s: confirm %s: %w", d.c.name, txID, err)
	}
	return nil
}

func (d *destination) confirm(ctx context.Context, ep *endpoint, hash common.Hash) error {
	s := d.s
	sl := s.slotOf(hash)
	if sl == nil {
		r, err := ep.receipt(ctx, hash)
		if err != nil {
			return err
		}
		if r != nil {
			return d.judge(ctx, ep, nil, hash, r)
		}
		cctx, cancel := context.WithTimeout(ctx, ep.timeout)
		tx, pending, err := ep.eth.TransactionByHash(cctx, hash)
		cancel()
		switch {
		case isNotFound(err):
			return fmt.Errorf("%w: endpoint %s knows no receipt and no pending transaction %s (dropped, or replaced before a restart)",
				relayer.ErrNotLanded, ep.name, hash.Hex())
		case err != nil:
			return ep.readError(ctx, "eth_getTransactionByHash", err)
		case !pending:
			return fmt.Errorf("%w: %s is mined but its receipt is not available yet", relayer.ErrPending, hash.Hex())
		}
		sl = s.track(tx)
		s.markSent(sl)
	}
	accountNonce, err := ep.nonce(ctx, s.addr, false)
	if err != nil {
		return err
	}
	s.seen(accountNonce)
	for _, tx := range s.txsOf(sl) {
		r, err := ep.receipt(ctx, tx.Hash())
		if err != nil {
			return err
		}
		if r != nil {
			return d.judge(ctx, ep, sl, tx.Hash(), r)
		}
	}
	if accountNonce > sl.nonce {
		s.forget(sl)
		return fmt.Errorf("%w: the account's nonce is %d, so nonce %d was used by another transaction", relayer.ErrNotLanded, accountNonce, sl.nonce)
	}
	latest := s.txsOf(sl)[0]
	known, err := ep.knows(ctx, latest.Hash())
	if err != nil {
		return err
	}
	switch {
	case !known:
		// The node lost it (or it was sent elsewhere): send it again.
		err := ep.send(ctx, latest)
		if err == nil || errors.Is(err, errAlreadyKnown) {
			s.markSent(sl)
			d.c.log.Info("transaction was not in the node's pool; sent it again", "chain", d.c.name, "tx", latest.Hash().Hex(), "nonce", sl.nonce)
		} else {
			d.c.log.Warn("transaction was not in the node's pool and sending it again failed", "chain", d.c.name, "tx", latest.Hash().Hex(), "err", err)
		}
	case sl.nonce == accountNonce && d.c.now().Sub(s.sentAt(sl)) >= d.c.cfg.Gas.StuckAfter:
		s.replace(ctx, ep, sl)
	}
	s.checkGap(ctx, ep, accountNonce)
	return fmt.Errorf("%w: %s (nonce %d) is not mined yet", relayer.ErrPending, hash.Hex(), sl.nonce)
}

// judge decides on a receipt: pending until its block is final and still
// canonical, then success or, for a revert, not landed.
func (d *destination) judge(ctx context.Context, ep *endpoint, sl *slot, hash common.Hash, r *types.Receipt) error {
	final, err := d.c.finalHeight(ctx, ep)
	if err != nil {
		return err
	}
	block := r.BlockNumber.Uint64()
	if block > final {
		return fmt.Errorf("%w: %s is in block %d, final height is %d", relayer.ErrPending, hash.Hex(), block, final)
	}
	ref, err := ep.block(ctx, rpc.BlockNumber(block))
	if err != nil {
		return err
	}
	if ref.Hash != r.BlockHash {
		return fmt.Errorf("%w: %s was mined in block %d (%s), which is no longer canonical (%s); waiting for it to be mined again",
			relayer.ErrPending, hash.Hex(), block, r.BlockHash.Hex(), ref.Hash.Hex())
	}
	if sl != nil {
		d.s.forget(sl)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return fmt.Errorf("%w: %s reverted in block %d: %s", relayer.ErrNotLanded, hash.Hex(), block, d.revertReason(ctx, ep, hash, block))
	}
	return nil
}

// revertReason replays a reverted transaction at its block's parent to get
// the revert data; best effort, for the operator's eyes.
func (d *destination) revertReason(ctx context.Context, ep *endpoint, hash common.Hash, block uint64) string {
	cctx, cancel := context.WithTimeout(ctx, ep.timeout)
	tx, _, err := ep.eth.TransactionByHash(cctx, hash)
	cancel()
	if err != nil || tx.To() == nil || block == 0 {
		return "reason unknown"
	}
	_, err = ep.ethCall(ctx, d.s.addr, *tx.To(), tx.Data(), rpc.BlockNumber(block-1))
	if data, ok := revertData(err); ok {
		return describeRevert(d.c.inboxABI.GetABI(), data)
	}
	if err != nil {
		return "reason unknown (" + err.Error() + ")"
	}
	return "reason unknown (the call succeeds when replayed at the parent block)"
}

func isNotFound(err error) bool { return errors.Is(err, ethereum.NotFound) }
