package keeper

import (
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/liaison-gw/liaison/adapters/cosmos/module/types"
)

// InitGenesis validates gs and writes it to the store.
func (k *Keeper) InitGenesis(ctx sdk.Context, gs types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.SetParams(ctx, gs.Params); err != nil {
		return err
	}
	next := gs.NextSequence
	if next == 0 {
		next = 1
	}
	if err := k.SetNextSequence(ctx, next); err != nil {
		return err
	}
	for _, p := range gs.Published {
		if err := k.setPublished(ctx, p); err != nil {
			return err
		}
		// The value the record was sent with, or its encoding if the
		// export predates the packet.
		value, err := publishedValue(p)
		if err != nil {
			return err
		}
		if err := k.setRecordValue(ctx, p.Record.RecordID(), value); err != nil {
			return err
		}
	}
	for _, d := range gs.Delivered {
		if err := k.setDelivered(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis reads the whole module state.
func (k *Keeper) ExportGenesis(ctx sdk.Context) (*types.GenesisState, error) {
	params, err := k.GetParams(ctx)
	if err != nil {
		return nil, err
	}
	next, err := k.NextSequence(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params, NextSequence: next}
	err = k.iterate(ctx, types.PublishedPrefix, func(v []byte) error {
		var p types.PublishedRecord
		if err := k.cdc.Unmarshal(v, &p); err != nil {
			return err
		}
		gs.Published = append(gs.Published, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = k.iterate(ctx, types.DeliveredPrefix, func(v []byte) error {
		var d types.DeliveredRecord
		if err := k.cdc.Unmarshal(v, &d); err != nil {
			return err
		}
		gs.Delivered = append(gs.Delivered, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return gs, nil
}

// publishedValue is the packet value a published record was sent with, or
// its encoding if it has no packet (a hand-written genesis).
func publishedValue(p types.PublishedRecord) ([]byte, error) {
	if len(p.Packet.Payloads) == 1 {
		return p.Packet.Payloads[0].Value, nil
	}
	return types.EncodePacketValue(p.Record)
}
