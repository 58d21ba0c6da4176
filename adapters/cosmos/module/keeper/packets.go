package keeper

import (
	"bytes"
	"strconv"

	sdk "github.com/cosmos/cosmos-sdk/types"

	channeltypesv2 "github.com/cosmos/ibc-go/v10/modules/core/04-channel/v2/types"

	"github.com/liaison-gw/liaison/adapters/cosmos/module/types"
)

// checkPayload checks the fields every records payload carries, in either
// direction.
func checkPayload(p channeltypesv2.Payload) error {
	switch {
	case p.SourcePort != types.PortID || p.DestinationPort != types.PortID:
		return types.ErrInvalidPayload.Wrapf("ports %q → %q, want %q → %q", p.SourcePort, p.DestinationPort, types.PortID, types.PortID)
	case p.Version != types.Version:
		return types.ErrInvalidPayload.Wrapf("version %q, want %q", p.Version, types.Version)
	case p.Encoding != types.Encoding:
		return types.ErrInvalidPayload.Wrapf("encoding %q, want %q", p.Encoding, types.Encoding)
	}
	return nil
}

// ConfirmSend is the OnSendPacket check. ibc-go lets any account send a
// packet from any port, so it accepts a records packet only when:
//   - the signer is this module's address (only Publish can sign so);
//   - the payload is a records payload whose value is a record that
//     Publish stored and has not sent yet, for the same source client.
//
// It then completes the stored packet with its sequence and destination
// client and marks the record sent.
func (k *Keeper) ConfirmSend(ctx sdk.Context, sourceClient, destinationClient string, sequence uint64, payload channeltypesv2.Payload, signer sdk.AccAddress) error {
	if !signer.Equals(k.moduleAddr) {
		return types.ErrUnauthorizedSend.Wrapf("signer %s is not the records module", signer)
	}
	if err := checkPayload(payload); err != nil {
		return err
	}
	record, err := types.DecodePacketValue(payload.Value)
	if err != nil {
		return err
	}
	published, found, err := k.GetPublished(ctx, record.RecordID())
	if err != nil {
		return err
	}
	if !found || published.Status != types.PUBLISH_STATUS_UNSPECIFIED ||
		published.Packet.SourceClient != sourceClient ||
		len(published.Packet.Payloads) != 1 || !bytes.Equal(published.Packet.Payloads[0].Value, payload.Value) {
		return types.ErrUnauthorizedSend.Wrapf("record %s is not waiting to be sent on %s", record.RecordID(), sourceClient)
	}
	published.Packet.Sequence = sequence
	published.Packet.DestinationClient = destinationClient
	published.Status = types.PUBLISH_STATUS_SENT
	return k.setPublished(ctx, published)
}

// Deliver is the OnRecvPacket logic. It decodes and validates the record
// (types.DecodePacketValue), checks that it is for this chain, refuses an
// ID that was delivered before, stores it as a DeliveredRecord and emits
// liaison.record_delivered. Errors wrap ErrInvalidPayload,
// ErrInvalidRecord, ErrWrongDestination or ErrAlreadyDelivered; each is
// permanent for that packet.
func (k *Keeper) Deliver(ctx sdk.Context, sourceClient, destinationClient string, sequence uint64, payload channeltypesv2.Payload, relayer sdk.AccAddress) (types.RecordID, error) {
	if err := checkPayload(payload); err != nil {
		return types.RecordID{}, err
	}
	record, err := types.DecodePacketValue(payload.Value)
	if err != nil {
		return types.RecordID{}, err
	}
	id := record.RecordID()
	params, err := k.GetParams(ctx)
	if err != nil {
		return id, err
	}
	if err := params.Validate(); err != nil {
		return id, err
	}
	if record.Destination != params.ChainName {
		return id, types.ErrWrongDestination.Wrapf("record %s is for %q, this chain is %q", id, record.Destination, params.ChainName)
	}
	if record.SourceChain == params.ChainName {
		return id, types.ErrInvalidRecord.Wrapf("record %s claims to come from this chain (%q)", id, params.ChainName)
	}
	delivered, err := k.HasDelivered(ctx, id)
	if err != nil {
		return id, err
	}
	if delivered {
		return id, types.ErrAlreadyDelivered.Wrapf("record %s", id)
	}
	if err := k.setDelivered(ctx, types.DeliveredRecord{
		Record:            record,
		SourceClient:      sourceClient,
		DestinationClient: destinationClient,
		PacketSequence:    sequence,
		Relayer:           relayer.String(),
		Height:            ctx.BlockHeight(),
	}); err != nil {
		return id, err
	}
	ctx.EventManager().EmitEvent(sdk.NewEvent(types.EventTypeDelivered,
		sdk.NewAttribute(types.AttributeID, id.String()),
		sdk.NewAttribute(types.AttributeSourceChain, record.SourceChain),
		sdk.NewAttribute(types.AttributeSequence, strconv.FormatUint(record.Sequence, 10)),
		sdk.NewAttribute(types.AttributeReceiver, record.Receiver),
		sdk.NewAttribute(types.AttributePacketSequence, strconv.FormatUint(sequence, 10)),
		sdk.NewAttribute(types.AttributeSourceClient, sourceClient),
		sdk.NewAttribute(types.AttributeDestinationClient, destinationClient),
	))
	return id, nil
}

// Acknowledged is the OnAcknowledgementPacket logic: it marks the published
// record ACKNOWLEDGED (success ack naming the record) or REFUSED (IBC v2
// universal error ack). A success ack that is not {"record_id": <this
// record>} is an error, so the acknowledgement transaction fails.
func (k *Keeper) Acknowledged(ctx sdk.Context, sourceClient string, sequence uint64, ack []byte, payload channeltypesv2.Payload) error {
	published, err := k.sentRecord(ctx, sourceClient, sequence, payload)
	if err != nil {
		return err
	}
	id := published.Record.RecordID()
	if bytes.Equal(ack, channeltypesv2.ErrorAcknowledgement[:]) {
		published.Status = types.PUBLISH_STATUS_REFUSED
	} else {
		acked, err := types.DecodeAck(ack)
		if err != nil {
			return err
		}
		if acked != id {
			return types.ErrInvalidAck.Wrapf("ack names record %s, packet carried %s", acked, id)
		}
		published.Status = types.PUBLISH_STATUS_ACKNOWLEDGED
	}
	if err := k.setPublished(ctx, published); err != nil {
		return err
	}
	ctx.EventManager().EmitEvent(sdk.NewEvent(types.EventTypeAcknowledged,
		sdk.NewAttribute(types.AttributeID, id.String()),
		sdk.NewAttribute(types.AttributeStatus, published.Status.String()),
		sdk.NewAttribute(types.AttributePacketSequence, strconv.FormatUint(sequence, 10)),
		sdk.NewAttribute(types.AttributeSourceClient, sourceClient),
	))
	return nil
}

// TimedOut is the OnTimeoutPacket logic: it marks the published record
// TIMED_OUT. The record keeps its ID and sequence; it is not re-sent.
func (k *Keeper) TimedOut(ctx sdk.Context, sourceClient string, sequence uint64, payload channeltypesv2.Payload) error {
	published, err := k.sentRecord(ctx, sourceClient, sequence, payload)
	if err != nil {
		return err
	}
	published.Status = types.PUBLISH_STATUS_TIMED_OUT
	if err := k.setPublished(ctx, published); err != nil {
		return err
	}
	ctx.EventManager().EmitEvent(sdk.NewEvent(types.EventTypeTimedOut,
		sdk.NewAttribute(types.AttributeID, published.Record.RecordID().String()),
		sdk.NewAttribute(types.AttributePacketSequence, strconv.FormatUint(sequence, 10)),
		sdk.NewAttribute(types.AttributeSourceClient, sourceClient),
	))
	return nil
}

// sentRecord finds the published record a returning packet carried and
// checks that the packet is the one this module sent for it.
func (k *Keeper) sentRecord(ctx sdk.Context, sourceClient string, sequence uint64, payload channeltypesv2.Payload) (types.PublishedRecord, error) {
	if err := checkPayload(payload); err != nil {
		return types.PublishedRecord{}, err
	}
	record, err := types.DecodePacketValue(payload.Value)
	if err != nil {
		return types.PublishedRecord{}, err
	}
	published, found, err := k.GetPublished(ctx, record.RecordID())
	if err != nil {
		return types.PublishedRecord{}, err
	}
	if !found || published.Packet.SourceClient != sourceClient || published.Packet.Sequence != sequence {
		return types.PublishedRecord{}, types.ErrNotFound.Wrapf("no record sent as packet %d on %s", sequence, sourceClient)
	}
	if published.Status != types.PUBLISH_STATUS_SENT {
		return types.PublishedRecord{}, types.ErrInvalidAck.Wrapf("record %s is already %s", record.RecordID(), published.Status)
	}
	return published, nil
}
