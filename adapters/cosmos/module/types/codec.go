package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterLegacyAminoCodec registers MsgPublishRecord for amino JSON
// signing (SIGN_MODE_LEGACY_AMINO_JSON, used by hardware wallets).
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	cdc.RegisterConcrete(&MsgPublishRecord{}, "liaison/records/MsgPublishRecord", nil)
}

// RegisterInterfaces registers the module's messages and Msg service.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil), &MsgPublishRecord{})
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
