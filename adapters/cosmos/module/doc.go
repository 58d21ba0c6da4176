// Package records is the Liaison records module for Cosmos SDK chains: an
// IBC v2 application on port "records" that publishes records as packets
// (MsgPublishRecord) and stores the records other ledgers deliver to it.
//
// Wiring it into an app takes four steps (see app.New for a complete
// example on ibc-go's testing simapp):
//
//  1. mount a KV store named types.StoreKey;
//  2. build the keeper with keeper.NewKeeper over that store, the app's
//     IBCKeeper.ChannelKeeperV2 and the module account address;
//  3. add NewIBCModule(keeper) to the IBC v2 router under types.PortID;
//  4. add NewAppModule(keeper) to the module manager and its genesis order.
package records
