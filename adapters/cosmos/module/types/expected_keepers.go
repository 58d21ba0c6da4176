package types

import (
	"context"

	channeltypesv2 "github.com/cosmos/ibc-go/v10/modules/core/04-channel/v2/types"
)

// PacketSender sends IBC v2 packets. ibc-go's channel v2 keeper
// (IBCKeeper.ChannelKeeperV2) implements it; SendPacket runs the core
// checks, writes the packet commitment and calls the source port's
// OnSendPacket.
type PacketSender interface {
	SendPacket(ctx context.Context, msg *channeltypesv2.MsgSendPacket) (*channeltypesv2.MsgSendPacketResponse, error)
}
