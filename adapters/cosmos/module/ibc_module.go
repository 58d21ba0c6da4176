package records

import (
	"strconv"

	sdk "github.com/cosmos/cosmos-sdk/types"

	channeltypesv2 "github.com/cosmos/ibc-go/v10/modules/core/04-channel/v2/types"
	"github.com/cosmos/ibc-go/v10/modules/core/api"

	"github.com/liaison-gw/liaison/adapters/cosmos/module/keeper"
	"github.com/liaison-gw/liaison/adapters/cosmos/module/types"
)

var _ api.IBCModule = IBCModule{}

// IBCModule is the records application for the IBC v2 router, under port
// types.PortID.
type IBCModule struct {
	k *keeper.Keeper
}

// NewIBCModule returns the IBC v2 application over k.
func NewIBCModule(k *keeper.Keeper) IBCModule { return IBCModule{k: k} }

// OnSendPacket accepts only packets that MsgPublishRecord sends (see
// Keeper.ConfirmSend); any other MsgSendPacket on port "records" fails.
func (m IBCModule) OnSendPacket(ctx sdk.Context, sourceClient, destinationClient string, sequence uint64, payload channeltypesv2.Payload, signer sdk.AccAddress) error {
	return m.k.ConfirmSend(ctx, sourceClient, destinationClient, sequence, payload, signer)
}

// OnRecvPacket stores the record the packet carries (Keeper.Deliver) and
// acknowledges it with {"record_id":"<hex>"}. A refused record gets IBC
// v2's universal error acknowledgement; the reason is in the
// liaison.record_refused event (renamed by ibc-go, see types.EventTypeRefused)
// and in the node log.
func (m IBCModule) OnRecvPacket(ctx sdk.Context, sourceClient, destinationClient string, sequence uint64, payload channeltypesv2.Payload, relayer sdk.AccAddress) channeltypesv2.RecvPacketResult {
	id, err := m.k.Deliver(ctx, sourceClient, destinationClient, sequence, payload, relayer)
	if err != nil {
		ctx.Logger().Info("records: refused packet", "source_client", sourceClient, "destination_client", destinationClient, "sequence", sequence, "error", err)
		ctx.EventManager().EmitEvent(sdk.NewEvent(types.EventTypeRefused,
			sdk.NewAttribute(types.AttributeID, refusedID(id)),
			sdk.NewAttribute(types.AttributePacketSequence, strconv.FormatUint(sequence, 10)),
			sdk.NewAttribute(types.AttributeSourceClient, sourceClient),
			sdk.NewAttribute(types.AttributeDestinationClient, destinationClient),
			sdk.NewAttribute(types.AttributeReason, err.Error()),
		))
		return channeltypesv2.RecvPacketResult{Status: channeltypesv2.PacketStatus_Failure}
	}
	return channeltypesv2.RecvPacketResult{Status: channeltypesv2.PacketStatus_Success, Acknowledgement: types.EncodeAck(id)}
}

// refusedID prints the ID of a refused record, or "" when the payload was
// not even a record.
func refusedID(id types.RecordID) string {
	if id == (types.RecordID{}) {
		return ""
	}
	return id.String()
}

// OnAcknowledgementPacket records the destination's answer for a
// published record (Keeper.Acknowledged).
func (m IBCModule) OnAcknowledgementPacket(ctx sdk.Context, sourceClient, _ string, sequence uint64, ack []byte, payload channeltypesv2.Payload, _ sdk.AccAddress) error {
	return m.k.Acknowledged(ctx, sourceClient, sequence, ack, payload)
}

// OnTimeoutPacket marks a published record timed out (Keeper.TimedOut).
func (m IBCModule) OnTimeoutPacket(ctx sdk.Context, sourceClient, _ string, sequence uint64, payload channeltypesv2.Payload, _ sdk.AccAddress) error {
	return m.k.TimedOut(ctx, sourceClient, sequence, payload)
}
