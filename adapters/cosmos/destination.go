package cosmos

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"
	channeltypesv2 "github.com/cosmos/ibc-go/v10/modules/core/04-channel/v2/types"

	"github.com/liaison-gw/liaison/relayer"
)

// Events the destination reads (adapters/cosmos/module/README.md). ibc-go
// renames the events of a failed application callback with this prefix.
const (
	eventWriteAck       = "write_acknowledgement"
	eventRefused        = "ibccallbackerror-liaison.record_refused"
	refusedPrefix       = "ibccallbackerror-"
	reasonAlreadyStored = "record already delivered"
)

// destination delivers records to the chain's records module over IBC v2,
// proven through the gateway's 06-solomachine client.
type destination struct {
	c *Chain
	s *submitter
}

var _ relayer.Destination = (*destination)(nil)

// Destination returns the chain's records destination. It needs
// account.key and gateway.client_id, and attestor keys that can sign the
// client's proofs. Every destination of one Chain shares one submitter,
// so that submissions to the chain are serialized.
func (c *Chain) Destination() (relayer.Destination, error) {
	if c.cfg.Gateway.ClientID == "" {
		return nil, fmt.Errorf("chain %s: delivering needs gateway.client_id (run liaison cosmos setup-client)", c.name)
	}
	s, err := c.submitterOnce()
	if err != nil {
		return nil, err
	}
	if err := s.attestors.canSign(); err != nil {
		return nil, fmt.Errorf("chain %s: %w", c.name, err)
	}
	return &destination{c: c, s: s}, nil
}

// submitterOnce returns the chain's submitter, loading its keys on first
// use.
func (c *Chain) submitterOnce() (*submitter, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.submitter == nil {
		s, err := newSubmitter(c)
		if err != nil {
			return nil, err
		}
		c.submitter = s
	}
	return c.submitter, nil
}

// Submit delivers the record in one transaction with one MsgRecvPacket. It
// reads the gateway client (sequence, timestamp, key) and the account from
// the chain, builds the packet (source: the gateway's counterparty id;
// sequence: PacketSequence(id); timeout: now + gateway.packet_timeout) and
// its solomachine proof, dry-runs the transaction, and only then signs and
// broadcasts it. It waits up to gateway.inclusion_timeout for the block
// that holds it, so that the next submission reads the client's next
// sequence; submissions are serialized.
//
// A dry run in which the module refuses the record is relayer.ErrPermanent
// with the module's reason, or relayer.ErrNotLanded when the reason is that
// the record is already delivered (the engine then asks Delivered); a dry
// run in which the packet was already received is relayer.ErrNotLanded.
// Nothing is sent in those cases, nor for any error wrapping
// relayer.ErrUnavailable or relayer.ErrNotLanded. Other errors mean the
// transaction may have reached the chain.
func (d *destination) Submit(ctx context.Context, del relayer.Delivery) (string, error) {
	rec := del.Record
	switch {
	case rec == nil:
		return "", fmt.Errorf("%w: no record", relayer.ErrPermanent)
	case rec.Destination != d.c.name:
		return "", fmt.Errorf("%w: record %s is for %q, this is chain %q", relayer.ErrPermanent, rec.ID, rec.Destination, d.c.name)
	}
	d.s.mu.Lock()
	defer d.s.mu.Unlock()
	var txID string
	err := d.c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		var err error
		txID, err = d.submit(ctx, ep, rec)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("chain %s: deliver %s: %w", d.c.name, rec.ID, err)
	}
	return txID, nil
}

func (d *destination) submit(ctx context.Context, ep *endpoint, rec *relayer.Record) (string, error) {
	g := d.c.cfg.Gateway
	cs, err := readClientState(ctx, ep, g.ClientID)
	if err != nil {
		return "", err
	}
	if err := d.s.attestors.checkClient(g.ClientID, cs); err != nil {
		return "", err
	}
	cp, err := readCounterparty(ctx, ep, g.ClientID)
	if err != nil {
		return "", err
	}
	if cp.ClientId != g.CounterpartyClientID || len(cp.MerklePrefix) != 2 {
		return "", fmt.Errorf("%w: client %s is registered with counterparty %q and a prefix of %d elements; "+
			"gateway.counterparty_client_id is %q and the gateway needs a two-element prefix", relayer.ErrPermanent,
			g.ClientID, cp.ClientId, len(cp.MerklePrefix), g.CounterpartyClientID)
	}
	now := d.c.now()
	packet, err := deliveryPacket(rec, cp.ClientId, g.ClientID, uint64(now.Add(g.PacketTimeout).Unix()))
	if err != nil {
		return "", fmt.Errorf("%w: %v", relayer.ErrPermanent, err)
	}
	proof, ts, err := d.s.attestors.commitmentProof(cs, cp.MerklePrefix, packet, now)
	if err != nil {
		return "", err
	}
	msg := channeltypesv2.NewMsgRecvPacket(packet, proof, clienttypes.NewHeight(0, cs.sequence), d.s.address)
	var sim simulation
	hash, err := d.s.sendChecked(ctx, ep, []proto.Message{msg}, &sim, func(sim simulation) error {
		return judge(sim.events, g.ClientID, packet.Sequence, rec, "in a dry run")
	})
	if err != nil {
		return "", err
	}
	d.c.log.Info("delivery submitted", "chain", d.c.name, "record_id", rec.ID.String(), "tx", hash,
		"packet_sequence", packet.Sequence, "solomachine_sequence", cs.sequence, "timestamp", ts, "gas", sim.gasUsed)
	res, err := d.s.waitIncluded(ctx, ep, hash)
	if err != nil {
		return hash, nil // sent; Confirm follows it
	}
	if res == nil {
		d.c.log.Warn("delivery not in a block yet; Confirm will follow it", "chain", d.c.name, "tx", hash, "waited", g.InclusionTimeout)
	}
	return hash, nil
}

// Confirm reports on the delivery transaction txID: nil when it is in a
// block (CometBFT blocks are final), succeeded, and the chain acknowledged
// the record with a success acknowledgement naming it. relayer.ErrPending
// while the node does not know it and it may still be included;
// relayer.ErrNotLanded when it failed (with the chain's log), can no longer
// be included (its timeout height passed), the packet had been received
// before (a no-op), or the module refused the record as already delivered;
// relayer.ErrPermanent when the module refused the record for another
// reason, which it names.
func (d *destination) Confirm(ctx context.Context, rec *relayer.Record, txID string) error {
	raw, err := hex.DecodeString(txID)
	if err != nil || len(raw) != 32 {
		return fmt.Errorf("%w: %q is not a transaction hash", relayer.ErrNotLanded, txID)
	}
	err = d.c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		res, err := ep.tx(ctx, raw)
		if err != nil {
			return err
		}
		if res == nil {
			_, latest, err := ep.status(ctx)
			if err != nil {
				return err
			}
			if deadline := d.s.deadlineOf(txID, latest); latest > deadline {
				d.s.forget(txID)
				return fmt.Errorf("%w: %s is not in a block at height %d, past its timeout height %d: it can never land",
					relayer.ErrNotLanded, txID, latest, deadline)
			}
			return fmt.Errorf("%w: %s is not in a block yet (node %s at height %d)", relayer.ErrPending, txID, ep.name, latest)
		}
		d.s.forget(txID)
		if r := res.TxResult; r.Code != 0 {
			return fmt.Errorf("%w: %s failed in block %d: %s code %d: %s", relayer.ErrNotLanded, txID, res.Height, r.Codespace, r.Code, r.Log)
		}
		if err := judge(res.TxResult.Events, d.c.cfg.Gateway.ClientID, PacketSequence(rec.ID), rec, fmt.Sprintf("in block %d", res.Height)); err != nil {
			return err
		}
		d.c.log.Info("delivery acknowledged", "chain", d.c.name, "record_id", rec.ID.String(), "tx", txID, "height", res.Height,
			"packet_sequence", PacketSequence(rec.ID))
		return nil
	})
	if err != nil {
		return fmt.Errorf("chain %s: confirm %s: %w", d.c.name, txID, err)
	}
	return nil
}

// judge reads the outcome of a MsgRecvPacket for packet seq on clientID
// from its events (see Confirm).
func judge(events []abci.Event, clientID string, seq uint64, rec *relayer.Record, where string) error {
	s := strconv.FormatUint(seq, 10)
	for _, e := range events {
		if e.Type != eventWriteAck || attr(e, "packet_dest_client") != clientID || attr(e, "packet_sequence") != s {
			continue
		}
		raw, err := hex.DecodeString(attr(e, "encoded_acknowledgement_hex"))
		var ack channeltypesv2.Acknowledgement
		if err == nil {
			err = ack.Unmarshal(raw)
		}
		if err != nil || len(ack.AppAcknowledgements) != 1 {
			return fmt.Errorf("packet %d %s: undecodable acknowledgement (%v)", seq, where, err)
		}
		app := ack.AppAcknowledgements[0]
		if bytes.Equal(app, channeltypesv2.ErrorAcknowledgement[:]) {
			reason := refusal(events, s)
			if strings.Contains(reason, reasonAlreadyStored) {
				return fmt.Errorf("%w: the records module refused record %s %s: %s", relayer.ErrNotLanded, rec.ID, where, reason)
			}
			return fmt.Errorf("%w: the records module refused record %s %s: %s", relayer.ErrPermanent, rec.ID, where, reason)
		}
		var ok struct {
			RecordID string `json:"record_id"`
		}
		if err := json.Unmarshal(app, &ok); err != nil || ok.RecordID != rec.ID.String() {
			return fmt.Errorf("packet %d %s: acknowledgement %q does not name record %s", seq, where, app, rec.ID)
		}
		return nil
	}
	return fmt.Errorf("%w: packet %d was already received by the chain before (no acknowledgement %s)", relayer.ErrNotLanded, seq, where)
}

// refusal returns the records module's reason for refusing packet seq.
func refusal(events []abci.Event, seq string) string {
	for _, e := range events {
		if e.Type == eventRefused && attr(e, refusedPrefix+"packet_sequence") == seq {
			if r := attr(e, refusedPrefix+"reason"); r != "" {
				return r
			}
		}
	}
	return "reason not reported"
}

// Delivered reports whether the records module holds the record as
// delivered (its Delivered query at the latest height; CometBFT blocks are
// final). A delivered record with the same ID but other content is
// relayer.ErrPermanent naming the field: resubmitting cannot fix it.
func (d *destination) Delivered(ctx context.Context, rec *relayer.Record) (bool, error) {
	var delivered bool
	err := d.c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		var resp rawMsg
		err := ep.invoke(ctx, queryService+"Delivered", &rawMsg{b: pbString(rec.ID.String())}, &resp, 0)
		if errors.Is(err, errNotFound) {
			delivered = false
			return nil
		}
		if err != nil {
			return err
		}
		got, err := decodeDelivered(resp.b)
		if err != nil {
			return fmt.Errorf("node %s: %w", ep.name, err)
		}
		if f := sameContent(rec, &got); f != "" {
			return fmt.Errorf("%w: the chain holds a delivered record %s whose %s differs from this record's", relayer.ErrPermanent, rec.ID, f)
		}
		delivered = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("chain %s: delivered %s: %w", d.c.name, rec.ID, err)
	}
	return delivered, nil
}
