package cli

import (
	"encoding/hex"
	"encoding/json"

	channeltypesv2 "github.com/cosmos/ibc-go/v10/modules/core/04-channel/v2/types"
	hostv2 "github.com/cosmos/ibc-go/v10/modules/core/24-host/v2"

	"github.com/liaison-gw/liaison/adapters/cosmos/module/types"
)

// PublishedView is the JSON the published queries print.
type PublishedView struct {
	// Record is the record in its packet JSON form (types.EncodePacketValue).
	Record json.RawMessage `json:"record"`
	Status string          `json:"status"`
	Sender string          `json:"sender"`
	Height int64           `json:"height"`
	// ValueKey is the key (hex) in the "records" store under which the
	// packet value is kept for good: prove the record with it.
	ValueKey string     `json:"value_key"`
	Packet   PacketView `json:"packet"`
}

// PacketView describes the IBC v2 packet that carries a published record.
type PacketView struct {
	Sequence          uint64 `json:"sequence"`
	SourceClient      string `json:"source_client"`
	DestinationClient string `json:"destination_client"`
	TimeoutTimestamp  uint64 `json:"timeout_timestamp"`
	// CommitmentKey is the key of the packet commitment in the "ibc" store
	// (hex): source_client ‖ 0x01 ‖ u64be(sequence). ibc-go deletes it when
	// the packet is acknowledged or times out.
	CommitmentKey string `json:"commitment_key"`
	// Commitment is the value stored there (hex), channeltypesv2.CommitPacket.
	Commitment string `json:"commitment"`
}

// NewPublishedView converts a stored PublishedRecord.
func NewPublishedView(p types.PublishedRecord) (PublishedView, error) {
	value, err := types.EncodePacketValue(p.Record)
	if err != nil {
		return PublishedView{}, err
	}
	if len(p.Packet.Payloads) == 1 {
		value = p.Packet.Payloads[0].Value
	}
	return PublishedView{
		Record:   value,
		Status:   p.Status.String(),
		Sender:   p.Sender,
		Height:   p.Height,
		ValueKey: hex.EncodeToString(types.RecordValueKey(p.Record.RecordID())),
		Packet: PacketView{
			Sequence:          p.Packet.Sequence,
			SourceClient:      p.Packet.SourceClient,
			DestinationClient: p.Packet.DestinationClient,
			TimeoutTimestamp:  p.Packet.TimeoutTimestamp,
			CommitmentKey:     hex.EncodeToString(hostv2.PacketCommitmentKey(p.Packet.SourceClient, p.Packet.Sequence)),
			Commitment:        hex.EncodeToString(channeltypesv2.CommitPacket(p.Packet)),
		},
	}, nil
}

// DeliveredView is the JSON the delivered query prints.
type DeliveredView struct {
	Record            json.RawMessage `json:"record"`
	SourceClient      string          `json:"source_client"`
	DestinationClient string          `json:"destination_client"`
	PacketSequence    uint64          `json:"packet_sequence"`
	Relayer           string          `json:"relayer"`
	Height            int64           `json:"height"`
}

// NewDeliveredView converts a stored DeliveredRecord.
func NewDeliveredView(d types.DeliveredRecord) (DeliveredView, error) {
	value, err := types.EncodePacketValue(d.Record)
	if err != nil {
		return DeliveredView{}, err
	}
	return DeliveredView{
		Record:            value,
		SourceClient:      d.SourceClient,
		DestinationClient: d.DestinationClient,
		PacketSequence:    d.PacketSequence,
		Relayer:           d.Relayer,
		Height:            d.Height,
	}, nil
}
