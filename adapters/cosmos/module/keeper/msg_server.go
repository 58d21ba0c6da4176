package keeper

import (
	"context"
	"strconv"

	sdk "github.com/cosmos/cosmos-sdk/types"

	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"
	channeltypesv2 "github.com/cosmos/ibc-go/v10/modules/core/04-channel/v2/types"

	"github.com/liaison-gw/liaison/adapters/cosmos/module/types"
)

type msgServer struct{ k *Keeper }

// NewMsgServer returns the module's Msg service.
func NewMsgServer(k *Keeper) types.MsgServer { return msgServer{k: k} }

var _ types.MsgServer = msgServer{}

// PublishRecord implements types.MsgServer. See Keeper.Publish.
func (s msgServer) PublishRecord(goCtx context.Context, msg *types.MsgPublishRecord) (*types.MsgPublishRecordResponse, error) {
	return s.k.Publish(sdk.UnwrapSDKContext(goCtx), msg)
}

// Publish assigns the next sequence to a new record, stores it and sends it
// in an IBC v2 packet on msg.SourceClient with one payload (ports
// "records", version "liaison-records-1", encoding "application/json",
// value = EncodePacketValue(record)). The packet times out
// msg.TimeoutSeconds after the block time (0 means DefaultTimeoutSeconds).
//
// It fails, and the transaction changes nothing, when the message is
// malformed, the params are unset, the timeout exceeds MaxTimeoutSeconds,
// or ibc-go refuses the packet (no such client, no registered
// counterparty, client not active, timeout already passed on the
// counterparty's clock).
func (k *Keeper) Publish(ctx sdk.Context, msg *types.MsgPublishRecord) (*types.MsgPublishRecordResponse, error) {
	if _, err := sdk.AccAddressFromBech32(msg.Sender); err != nil {
		return nil, types.ErrInvalidRecord.Wrapf("sender %q: %v", msg.Sender, err)
	}
	if !clienttypes.IsValidClientID(msg.SourceClient) {
		return nil, types.ErrInvalidRecord.Wrapf("source_client %q is not a client id", msg.SourceClient)
	}
	timeout := msg.TimeoutSeconds
	if timeout == 0 {
		timeout = types.DefaultTimeoutSeconds
	}
	if timeout > types.MaxTimeoutSeconds {
		return nil, types.ErrInvalidTimeout.Wrapf("timeout_seconds %d is above %d (24 h)", timeout, types.MaxTimeoutSeconds)
	}
	params, err := k.GetParams(ctx)
	if err != nil {
		return nil, err
	}
	if err := params.Validate(); err != nil {
		return nil, err
	}
	seq, err := k.NextSequence(ctx)
	if err != nil {
		return nil, err
	}
	record, err := types.NewRecord(params.ChainName, []byte(types.PortID), seq, msg.Destination, msg.Receiver, msg.ContentType, msg.Payload)
	if err != nil {
		return nil, err
	}
	value, err := types.EncodePacketValue(record)
	if err != nil {
		return nil, err
	}
	payload := channeltypesv2.NewPayload(types.PortID, types.PortID, types.Version, types.Encoding, value)
	timeoutTimestamp := uint64(ctx.BlockTime().Unix()) + timeout

	// Store the record before sending: OnSendPacket accepts only a packet
	// that carries a stored, not yet sent record, and completes it with
	// the packet sequence and destination client.
	if err := k.setPublished(ctx, types.PublishedRecord{
		Record: record,
		Packet: channeltypesv2.Packet{
			SourceClient:     msg.SourceClient,
			TimeoutTimestamp: timeoutTimestamp,
			Payloads:         []channeltypesv2.Payload{payload},
		},
		Sender: msg.Sender,
		Height: ctx.BlockHeight(),
		Status: types.PUBLISH_STATUS_UNSPECIFIED,
	}); err != nil {
		return nil, err
	}
	if err := k.setRecordValue(ctx, record.RecordID(), value); err != nil {
		return nil, err
	}
	if err := k.SetNextSequence(ctx, seq+1); err != nil {
		return nil, err
	}

	res, err := k.packets.SendPacket(ctx, channeltypesv2.NewMsgSendPacket(msg.SourceClient, timeoutTimestamp, k.moduleAddr.String(), payload))
	if err != nil {
		return nil, err
	}
	id := record.RecordID()
	published, found, err := k.GetPublished(ctx, id)
	if err != nil {
		return nil, err
	}
	if !found || published.Status != types.PUBLISH_STATUS_SENT || published.Packet.Sequence != res.Sequence {
		// OnSendPacket did not run for this packet: the "records" v2 route
		// is not wired to this module.
		return nil, types.ErrUnauthorizedSend.Wrapf("packet %d on %s was not confirmed by the records IBC module", res.Sequence, msg.SourceClient)
	}

	ctx.EventManager().EmitEvent(sdk.NewEvent(types.EventTypePublished,
		sdk.NewAttribute(types.AttributeID, id.String()),
		sdk.NewAttribute(types.AttributeSequence, strconv.FormatUint(seq, 10)),
		sdk.NewAttribute(types.AttributeDestination, record.Destination),
		sdk.NewAttribute(types.AttributeReceiver, record.Receiver),
		sdk.NewAttribute(types.AttributePacketSequence, strconv.FormatUint(res.Sequence, 10)),
		sdk.NewAttribute(types.AttributeSourceClient, msg.SourceClient),
		sdk.NewAttribute(types.AttributeDestinationClient, published.Packet.DestinationClient),
	))
	return &types.MsgPublishRecordResponse{Id: id[:], Sequence: seq, PacketSequence: res.Sequence}, nil
}
