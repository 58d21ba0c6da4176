package fabric

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/relayer"
)

// destination attests records on the chaincode's Inbox with the chain's
// identity. It implements relayer.Destination and relayer.Preparer.
type destination struct {
	c        *Chain
	attestor string // our attestor key in the Inbox
}

var (
	_ relayer.Destination = (*destination)(nil)
	_ relayer.Preparer    = (*destination)(nil)
)

// Prepare builds the proposal Attest(recordJSON, evidenceHashHex) and signs
// it. Prepared.Data is the signed proposal (the gateway client's
// serialized ProposedTransaction) and Prepared.TxID its transaction ID,
// which Fabric derives from the proposal's nonce and creator: a resumed
// submission sends the same proposal, and the ledger accepts a transaction
// ID once. Prepare talks to no peer.
func (d *destination) Prepare(ctx context.Context, del relayer.Delivery) (relayer.Prepared, error) {
	rec := del.Record
	if rec == nil {
		return relayer.Prepared{}, fmt.Errorf("%w: no record to prepare", relayer.ErrPermanent)
	}
	recJSON, err := json.Marshal(toChaincode(rec))
	if err != nil {
		return relayer.Prepared{}, fmt.Errorf("%w: encode record %s: %v", relayer.ErrPermanent, rec.ID, err)
	}
	p, err := d.sign("Attest", string(recJSON), hex.EncodeToString(del.EvidenceHash[:]))
	if err != nil {
		return relayer.Prepared{}, fmt.Errorf("chain %s: prepare attest of %s: %w", d.c.name, rec.ID, err)
	}
	return p, nil
}

// Submit has the prepared proposal endorsed (the gateway collects enough
// endorsements for the chaincode's policy), sends the transaction to the
// orderer and waits up to timeouts.commit for its commit status. It
// prepares a proposal first when the delivery carries none.
//
// Errors (see doc.go, "Error mapping"): a failed endorsement sent nothing
// to the orderer: relayer.ErrUnavailable when the peers could not be
// reached or the chaincode is not ready, relayer.ErrPermanent when the
// chaincode refuses the record (conflict, unauthorized, wrong destination,
// invalid), a plain error otherwise. An endorsement refused because the
// transaction ID is already on the ledger looks the transaction up: VALID
// is success, another code is relayer.ErrNotLanded. A failed hand-over to
// the orderer is a plain error (it may have been ordered). A commit status
// other than VALID is relayer.ErrNotLanded; no status within the wait is
// success, and Confirm decides later.
func (d *destination) Submit(ctx context.Context, del relayer.Delivery) (string, error) {
	if len(del.Prepared) == 0 {
		p, err := d.Prepare(ctx, del)
		if err != nil {
			return "", err
		}
		del.Prepared = p.Data
	}
	var txID string
	err := d.c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		var err error
		txID, err = d.submit(ctx, ep, del.Prepared)
		return err
	})
	if err != nil {
		if txID != "" {
			return "", fmt.Errorf("chain %s: submit %s: %w", d.c.name, txID, err)
		}
		return "", fmt.Errorf("chain %s: submit: %w", d.c.name, err)
	}
	return txID, nil
}

func (d *destination) submit(ctx context.Context, ep *endpoint, prepared []byte) (string, error) {
	p, err := ep.gw.NewProposal(prepared)
	if err != nil {
		return "", fmt.Errorf("%w: the prepared proposal does not decode: %v", relayer.ErrNotLanded, err)
	}
	txID := p.TransactionID()
	ectx, cancel := context.WithTimeout(ctx, d.c.cfg.Timeouts.Endorse)
	tx, err := p.EndorseWithContext(ectx)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return txID, ctx.Err()
		}
		outcome, f := classifyEndorse(err)
		switch outcome {
		case endorseDuplicate:
			return txID, d.duplicate(ctx, ep, txID)
		case endorseRefused:
			class, msg := f.chaincodeClass()
			return txID, fmt.Errorf("%w: peer %s: the chaincode refuses the attestation (%s): %s", relayer.ErrPermanent, ep.addr, class, msg)
		case endorseRetry:
			return txID, fmt.Errorf("%w: peer %s: endorse: %s", relayer.ErrUnavailable, ep.addr, f.text())
		}
		return txID, fmt.Errorf("peer %s: endorse (nothing was ordered): %s", ep.addr, f.text())
	}
	sctx, cancel := context.WithTimeout(ctx, d.c.cfg.Timeouts.Submit)
	commit, err := tx.SubmitWithContext(sctx)
	cancel()
	if err != nil {
		// The orderer may have received it: the engine asks Delivered.
		return txID, fmt.Errorf("peer %s: submit to the orderer (it may have been ordered): %s", ep.addr, inspect(err).text())
	}
	cctx, cancel := context.WithTimeout(ctx, d.c.cfg.Timeouts.Commit)
	st, err := commit.StatusWithContext(cctx)
	cancel()
	switch {
	case err != nil:
		d.c.log.Debug("no commit status yet; Confirm will ask again", "chain", d.c.name, "tx", txID, "err", inspect(err).text())
	case !st.Successful:
		return txID, fmt.Errorf("%w: transaction %s was committed in block %d as %s", relayer.ErrNotLanded, txID, st.BlockNumber, st.Code)
	}
	return txID, nil
}

// duplicate decides on a proposal whose transaction ID the ledger holds
// already: an earlier submission of the same proposal was committed.
func (d *destination) duplicate(ctx context.Context, ep *endpoint, txID string) error {
	code, block, err := d.c.txStatus(ctx, ep, txID)
	switch {
	case errors.Is(err, errTxUnknown):
		return fmt.Errorf("peer %s refused transaction %s as a duplicate, but knows no such transaction", ep.addr, txID)
	case err != nil:
		return err
	case code != peer.TxValidationCode_VALID:
		return fmt.Errorf("%w: transaction %s was committed in block %d as %s, and its ID cannot be used again", relayer.ErrNotLanded, txID, block, code)
	}
	d.c.log.Info("the prepared transaction was committed before; not sent again", "chain", d.c.name, "tx", txID, "block", block)
	return nil
}

// Delivered reports whether the Inbox has delivered the record with its
// digest (IsDelivered, GetDelivered) or holds this relayer's attestation
// of it (HasAttested). Queries read the peer's committed state, which is
// final on Fabric. A delivery with another digest than the record's is
// relayer.ErrPermanent. The chaincode offers no query of a vote's digest,
// so an attestation of ours that is not delivered yet counts whatever its
// digest (a conflicting one fails Submit with "conflict:" instead).
func (d *destination) Delivered(ctx context.Context, rec *relayer.Record) (bool, error) {
	id := hex.EncodeToString(rec.ID[:])
	digest, err := RecordDigest(rec)
	if err != nil {
		return false, fmt.Errorf("%w: %v", relayer.ErrPermanent, err)
	}
	var delivered bool
	err = d.c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		done, err := d.c.evaluateBool(ctx, ep, "IsDelivered", id)
		if err != nil {
			return err
		}
		if !done {
			delivered, err = d.c.evaluateBool(ctx, ep, "HasAttested", id, d.attestor)
			return err
		}
		raw, err := d.c.evaluate(ctx, ep, ep.contract, "GetDelivered", id)
		if err != nil {
			return err
		}
		var got struct {
			Digest string `json:"digest"`
		}
		if err := json.Unmarshal(raw, &got); err != nil {
			return fmt.Errorf("peer %s: GetDelivered answered %q: %w", ep.addr, raw, err)
		}
		if want := "0x" + hex.EncodeToString(digest[:]); !strings.EqualFold(got.Digest, want) {
			return fmt.Errorf("%w: the Inbox delivered digest %s for record %s, but this record's digest is %s: another record with the same id was attested",
				relayer.ErrPermanent, got.Digest, rec.ID, want)
		}
		delivered = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("chain %s: delivered %s: %w", d.c.name, rec.ID, err)
	}
	return delivered, nil
}

// Confirm looks the transaction up on the peer's ledger (qscc
// GetTransactionByID): nil when it was committed VALID, relayer.ErrNotLanded
// naming the validation code when it was committed invalid
// (MVCC_READ_CONFLICT, ENDORSEMENT_POLICY_FAILURE, ...: its writes were
// discarded and its ID cannot be used again), relayer.ErrPending while the
// peer does not know it. A transaction still unknown timeouts.lost after
// Confirm first asked is relayer.ErrNotLanded: it never reached the
// orderer, and since the next attestation writes the keys this one reads,
// it could never commit VALID after that one.
func (d *destination) Confirm(ctx context.Context, rec *relayer.Record, txID string) error {
	if _, err := hex.DecodeString(txID); err != nil || len(txID) != 64 {
		return fmt.Errorf("%w: %q is not a Fabric transaction ID", relayer.ErrNotLanded, txID)
	}
	var code peer.TxValidationCode
	var block uint64
	err := d.c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		var err error
		code, block, err = d.c.txStatus(ctx, ep, txID)
		return err
	})
	switch {
	case errors.Is(err, errTxUnknown):
		if since := d.c.unknownFor(txID); since >= d.c.cfg.Timeouts.Lost {
			d.c.forgetUnknown(txID)
			return fmt.Errorf("%w: chain %s: transaction %s is still unknown to the peers after %s: it was not ordered",
				relayer.ErrNotLanded, d.c.name, txID, since.Round(1e9))
		}
		return fmt.Errorf("%w: chain %s: transaction %s is not committed yet", relayer.ErrPending, d.c.name, txID)
	case err != nil:
		return fmt.Errorf("chain %s: confirm %s: %w", d.c.name, txID, err)
	}
	d.c.forgetUnknown(txID)
	if code != peer.TxValidationCode_VALID {
		return fmt.Errorf("%w: chain %s: transaction %s was committed in block %d as %s", relayer.ErrNotLanded, d.c.name, txID, block, code)
	}
	return nil
}

// txStatus returns the validation code and block of a committed
// transaction, or an error wrapping errTxUnknown.
func (c *Chain) txStatus(ctx context.Context, ep *endpoint, txID string) (peer.TxValidationCode, uint64, error) {
	raw, err := c.evaluate(ctx, ep, ep.qscc, "GetTransactionByID", c.cfg.Channel, txID)
	if err != nil {
		return 0, 0, err
	}
	var pt peer.ProcessedTransaction
	if err := proto.Unmarshal(raw, &pt); err != nil {
		return 0, 0, fmt.Errorf("peer %s: GetTransactionByID %s: %w", ep.addr, txID, err)
	}
	// The block number is not in ProcessedTransaction; ask for the block
	// only to name it in messages about invalid transactions.
	var block uint64
	if pt.GetValidationCode() != int32(peer.TxValidationCode_VALID) {
		if b, err := c.blockByTxID(ctx, ep, txID); err == nil {
			block = b.GetHeader().GetNumber()
		}
	}
	return peer.TxValidationCode(pt.GetValidationCode()), block, nil
}

// unknownFor returns how long Confirm has found txID unknown, starting
// the clock on the first call.
func (c *Chain) unknownFor(txID string) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	first, ok := c.first[txID]
	if !ok {
		c.first[txID] = now
		return 0
	}
	return now.Sub(first)
}

func (c *Chain) forgetUnknown(txID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.first, txID)
}

// evaluateBool runs a chaincode query that answers true or false.
func (c *Chain) evaluateBool(ctx context.Context, ep *endpoint, fn string, args ...string) (bool, error) {
	raw, err := c.evaluate(ctx, ep, ep.contract, fn, args...)
	if err != nil {
		return false, err
	}
	b, err := strconv.ParseBool(strings.TrimSpace(string(raw)))
	if err != nil {
		return false, fmt.Errorf("peer %s: %s answered %q, not true or false", ep.addr, fn, raw)
	}
	return b, nil
}
