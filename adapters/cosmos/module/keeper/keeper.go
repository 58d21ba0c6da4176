// Package keeper holds the records module's state and logic: publishing
// records as IBC v2 packets and storing the records other ledgers deliver.
package keeper

import (
	"encoding/binary"
	"fmt"

	corestore "cosmossdk.io/core/store"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/liaison-gw/liaison/adapters/cosmos/module/types"
)

// Keeper owns the "records" store. The store layout is documented in
// types/keys.go. A Keeper is safe to share: it holds no mutable state of
// its own, everything lives in the store of the context it is given.
type Keeper struct {
	cdc          codec.BinaryCodec
	storeService corestore.KVStoreService
	packets      types.PacketSender
	// moduleAddr is the only signer OnSendPacket accepts. No one holds its
	// private key, so only this module can send records packets.
	moduleAddr sdk.AccAddress
}

// NewKeeper returns a keeper over the given store that sends packets with
// packets (the app's IBCKeeper.ChannelKeeperV2) signed as moduleAddr (the
// module account address, authtypes.NewModuleAddress(types.ModuleName)).
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, packets types.PacketSender, moduleAddr sdk.AccAddress) (*Keeper, error) {
	switch {
	case cdc == nil || storeService == nil || packets == nil:
		return nil, fmt.Errorf("records keeper: codec, store service and packet sender are required")
	case len(moduleAddr) == 0:
		return nil, fmt.Errorf("records keeper: module address is required")
	}
	return &Keeper{cdc: cdc, storeService: storeService, packets: packets, moduleAddr: moduleAddr}, nil
}

// ModuleAddress returns the address that signs the module's packets.
func (k *Keeper) ModuleAddress() sdk.AccAddress { return k.moduleAddr }

// GetParams returns the module parameters; zero Params if genesis did not
// set them.
func (k *Keeper) GetParams(ctx sdk.Context) (types.Params, error) {
	var p types.Params
	_, err := k.get(ctx, types.ParamsKey(), &p)
	return p, err
}

// SetParams validates and stores the module parameters.
func (k *Keeper) SetParams(ctx sdk.Context, p types.Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return k.set(ctx, types.ParamsKey(), &p)
}

// NextSequence returns the sequence the next published record gets (1 on
// a fresh chain).
func (k *Keeper) NextSequence(ctx sdk.Context) (uint64, error) {
	bz, err := k.storeService.OpenKVStore(ctx).Get(types.NextSequenceKey())
	if err != nil {
		return 0, err
	}
	if bz == nil {
		return 1, nil
	}
	if len(bz) != 8 {
		return 0, fmt.Errorf("records: corrupt next sequence (%d bytes)", len(bz))
	}
	return binary.BigEndian.Uint64(bz), nil
}

// SetNextSequence stores the next record sequence; seq must be at least 1.
func (k *Keeper) SetNextSequence(ctx sdk.Context, seq uint64) error {
	if seq == 0 {
		return fmt.Errorf("records: next sequence must be at least 1")
	}
	return k.storeService.OpenKVStore(ctx).Set(types.NextSequenceKey(), binary.BigEndian.AppendUint64(nil, seq))
}

// GetPublished returns the published record with the given ID; found is
// false if there is none.
func (k *Keeper) GetPublished(ctx sdk.Context, id types.RecordID) (p types.PublishedRecord, found bool, err error) {
	found, err = k.get(ctx, types.PublishedKey(id), &p)
	return p, found, err
}

// GetPublishedBySequence returns the published record with the given
// sequence; found is false if there is none.
func (k *Keeper) GetPublishedBySequence(ctx sdk.Context, seq uint64) (types.PublishedRecord, bool, error) {
	bz, err := k.storeService.OpenKVStore(ctx).Get(types.SequenceIndexKey(seq))
	if err != nil || bz == nil {
		return types.PublishedRecord{}, false, err
	}
	id, err := types.RecordIDFromBytes(bz)
	if err != nil {
		return types.PublishedRecord{}, false, err
	}
	return k.GetPublished(ctx, id)
}

// setPublished stores p under its record ID and indexes its sequence.
func (k *Keeper) setPublished(ctx sdk.Context, p types.PublishedRecord) error {
	id := p.Record.RecordID()
	if err := k.set(ctx, types.PublishedKey(id), &p); err != nil {
		return err
	}
	return k.storeService.OpenKVStore(ctx).Set(types.SequenceIndexKey(p.Record.Sequence), id[:])
}

// GetRecordValue returns the packet value stored for the published record
// with the given ID (see types.RecordValuePrefix); nil if there is none.
func (k *Keeper) GetRecordValue(ctx sdk.Context, id types.RecordID) ([]byte, error) {
	return k.storeService.OpenKVStore(ctx).Get(types.RecordValueKey(id))
}

func (k *Keeper) setRecordValue(ctx sdk.Context, id types.RecordID, value []byte) error {
	return k.storeService.OpenKVStore(ctx).Set(types.RecordValueKey(id), value)
}

// GetDelivered returns the delivered record with the given ID; found is
// false if there is none.
func (k *Keeper) GetDelivered(ctx sdk.Context, id types.RecordID) (d types.DeliveredRecord, found bool, err error) {
	found, err = k.get(ctx, types.DeliveredKey(id), &d)
	return d, found, err
}

// HasDelivered reports whether a record with this ID was delivered.
func (k *Keeper) HasDelivered(ctx sdk.Context, id types.RecordID) (bool, error) {
	return k.storeService.OpenKVStore(ctx).Has(types.DeliveredKey(id))
}

func (k *Keeper) setDelivered(ctx sdk.Context, d types.DeliveredRecord) error {
	return k.set(ctx, types.DeliveredKey(d.Record.RecordID()), &d)
}

// iterate calls fn with the value of every key under prefix, in key order.
func (k *Keeper) iterate(ctx sdk.Context, prefix byte, fn func(value []byte) error) error {
	it, err := k.storeService.OpenKVStore(ctx).Iterator([]byte{prefix}, []byte{prefix + 1})
	if err != nil {
		return err
	}
	defer it.Close()
	for ; it.Valid(); it.Next() {
		if err := fn(it.Value()); err != nil {
			return err
		}
	}
	return nil
}

func (k *Keeper) get(ctx sdk.Context, key []byte, into codec.ProtoMarshaler) (bool, error) {
	bz, err := k.storeService.OpenKVStore(ctx).Get(key)
	if err != nil || bz == nil {
		return false, err
	}
	if err := k.cdc.Unmarshal(bz, into); err != nil {
		return false, fmt.Errorf("records: corrupt value at key %x: %w", key, err)
	}
	return true, nil
}

func (k *Keeper) set(ctx sdk.Context, key []byte, v codec.ProtoMarshaler) error {
	bz, err := k.cdc.Marshal(v)
	if err != nil {
		return err
	}
	return k.storeService.OpenKVStore(ctx).Set(key, bz)
}
