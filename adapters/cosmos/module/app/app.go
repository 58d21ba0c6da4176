// Package app is the liaison-simd application: ibc-go's testing simapp
// (ibc-go/v10/testing/simapp) with the records module added.
//
// simapp.NewSimApp cannot take extra modules, but everything it needs to be
// extended is reachable before its stores are loaded. New therefore builds
// it with loadLatest=false, mounts the "records" store, adds the records
// application to the IBC v2 router (a plain map that SetRouterV2 does not
// seal), adds the module to the module manager and its genesis order,
// registers its services, and only then loads the stores. The alternative,
// a copy of simapp's 800-line constructor, would drift from ibc-go.
//
// Export (genesis export, zero-height) is not supported: simapp has no
// export function.
package app

import (
	"fmt"
	"io"

	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log"
	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/runtime"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/cosmos/ibc-go/v10/testing/simapp"

	records "github.com/liaison-gw/liaison/adapters/cosmos/module"
	"github.com/liaison-gw/liaison/adapters/cosmos/module/keeper"
	"github.com/liaison-gw/liaison/adapters/cosmos/module/types"
)

// Name is the application's name (version.AppName and the default home
// directory ~/.liaison-simd).
const Name = "liaison-simd"

// App is simapp plus the records module.
type App struct {
	*simapp.SimApp
	// RecordsKeeper is the records module's keeper.
	RecordsKeeper *keeper.Keeper
	recordsKey    *storetypes.KVStoreKey
}

// New returns the application. With loadLatest it loads the latest stored
// state; without, the caller must call LoadLatestVersion (or LoadVersion).
// It returns an error when the records module cannot be wired in, for
// example when simapp already routes the "records" port.
func New(logger log.Logger, db dbm.DB, traceStore io.Writer, loadLatest bool, appOpts servertypes.AppOptions, baseAppOptions ...func(*baseapp.BaseApp)) (*App, error) {
	sim := simapp.NewSimApp(logger, db, traceStore, false, appOpts, baseAppOptions...)
	a := &App{SimApp: sim, recordsKey: storetypes.NewKVStoreKey(types.StoreKey)}
	if err := a.addRecords(); err != nil {
		return nil, fmt.Errorf("%s: adding the records module: %w", Name, err)
	}
	if loadLatest {
		if err := a.LoadLatestVersion(); err != nil {
			return nil, fmt.Errorf("%s: loading the latest version: %w", Name, err)
		}
	}
	return a, nil
}

func (a *App) addRecords() (err error) {
	// The IBC v2 router and the module manager panic on conflicts.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	router := a.IBCKeeper.ChannelKeeperV2.Router
	if router == nil {
		return fmt.Errorf("simapp has no IBC v2 router")
	}
	if router.HasRoute(types.PortID) {
		return fmt.Errorf("IBC v2 port %q is already routed", types.PortID)
	}
	if _, ok := a.ModuleManager.Modules[types.ModuleName]; ok {
		return fmt.Errorf("module %q is already registered", types.ModuleName)
	}

	a.MountKVStores(map[string]*storetypes.KVStoreKey{types.StoreKey: a.recordsKey})
	k, err := keeper.NewKeeper(a.AppCodec(), runtime.NewKVStoreService(a.recordsKey),
		a.IBCKeeper.ChannelKeeperV2, authtypes.NewModuleAddress(types.ModuleName))
	if err != nil {
		return err
	}
	a.RecordsKeeper = k
	router.AddRoute(types.PortID, records.NewIBCModule(k))

	am := records.NewAppModule(k)
	am.RegisterInterfaces(a.InterfaceRegistry())
	am.RegisterLegacyAminoCodec(a.LegacyAmino())
	a.BasicModuleManager[types.ModuleName] = am
	mm := a.ModuleManager
	mm.Modules[types.ModuleName] = am
	mm.OrderInitGenesis = append(mm.OrderInitGenesis, types.ModuleName)
	mm.OrderExportGenesis = append(mm.OrderExportGenesis, types.ModuleName)
	am.RegisterServices(a.Configurator())
	return a.Configurator().Error()
}

// GetKey returns the store key with the given name, including "records".
func (a *App) GetKey(name string) *storetypes.KVStoreKey {
	if name == types.StoreKey {
		return a.recordsKey
	}
	return a.SimApp.GetKey(name)
}
