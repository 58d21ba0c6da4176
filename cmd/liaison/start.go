package main

import (
	"context"
	"fmt"
	"io"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/internal/telemetry"
	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/sqlitestore"
)

func newStartCmd() *cobra.Command {
	var cfgPath string
	c := &cobra.Command{
		Use:   "start",
		Short: "Run the relayer with a configuration file",
		Long: `Start connects to every chain the routes use, checks their chain ids and trust
anchors, and relays records until it receives SIGINT or SIGTERM. It then stops taking
new work, lets in-flight steps finish (up to 10s) and exits 0. A restart resumes
where it stopped; records in flight are checked with the destination first.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := config.Load(cfgPath)
			if err != nil {
				return failed(err)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			return runRelayer(ctx, cfg, cmd)
		},
	}
	c.Flags().StringVarP(&cfgPath, "config", "c", "liaison.yaml", "configuration file")
	return c
}

// runRelayer runs the engine described by cfg until ctx ends.
func runRelayer(ctx context.Context, cfg *config.Config, cmd *cobra.Command) error {
	p, err := openRelayer(ctx, cfg, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer p.close()
	return p.run(ctx)
}

// relayerProcess is a configured engine with everything it owns.
type relayerProcess struct {
	cfg      *config.Config
	tel      *telemetry.Telemetry
	store    relayer.Store
	ledgers  map[string]ledger
	eng      *relayer.Engine
	balances *signerBalances
	expiry   *trustExpiry
	api      *apiServer // nil without api.listen
}

// openRelayer sets up telemetry, the store and every chain connection; it
// fails with the first problem, naming it.
func openRelayer(ctx context.Context, cfg *config.Config, logOut io.Writer) (_ *relayerProcess, err error) {
	// p, not the named result: every failure below returns nil, and what
	// was opened before it must still be closed.
	p := &relayerProcess{cfg: cfg}
	defer func() {
		if err != nil {
			p.close()
		}
	}()
	if p.tel, err = telemetry.New(ctx, cfg.Telemetry, telemetry.Options{LogOutput: logOut, Version: version}); err != nil {
		return nil, err
	}
	if p.store, err = sqlitestore.Open(cfg.Store.Path, sqlitestore.Options{Synchronous: cfg.Store.Synchronous}); err != nil {
		return nil, err
	}
	if p.expiry, err = newTrustExpiry(p.tel.MeterProvider.Meter("github.com/liaison-gw/liaison/cmd/liaison")); err != nil {
		return nil, err
	}
	if p.ledgers, err = connect(ctx, cfg, p.tel.Logger, p.expiry); err != nil {
		return nil, err
	}
	meter := p.tel.MeterProvider.Meter("github.com/liaison-gw/liaison/cmd/liaison")
	if p.balances, err = newSignerBalances(meter, cfg, p.ledgers, p.tel.Logger); err != nil {
		return nil, err
	}
	routes, err := buildRoutes(cfg, p.ledgers)
	if err != nil {
		return nil, err
	}
	p.eng, err = relayer.NewEngine(relayer.Options{
		Store: p.store, Routes: routes, Logger: p.tel.Logger,
		TracerProvider: p.tel.TracerProvider, MeterProvider: p.tel.MeterProvider,
	})
	if err != nil {
		return nil, err
	}
	if p.api, err = openAPI(cfg, p.store, p.eng, p.expiry, p.tel.Logger); err != nil {
		return nil, err
	}
	p.tel.SetReady(p.eng.Ready)
	return p, nil
}

// run runs the engine until ctx ends.
func (p *relayerProcess) run(ctx context.Context) error {
	log := p.tel.Logger
	if addr := p.tel.Addr(); addr != "" {
		log.Info("serving /metrics, /healthz and /readyz", "addr", addr)
	}
	if p.api != nil {
		log.Info("serving the HTTP API", "addr", p.api.Addr(), "tokens", len(p.cfg.API.Tokens))
	}
	log.Info("liaison starting", "version", version, "store", p.cfg.Store.Path, "routes", len(p.cfg.Routes))
	bctx, stopHelpers := context.WithCancel(ctx)
	var helpers sync.WaitGroup
	helpers.Go(func() { p.balances.run(bctx) })
	helpers.Go(func() { p.api.serve(bctx) })
	err := p.eng.Run(ctx)
	stopHelpers()
	helpers.Wait()
	if err != nil {
		return fmt.Errorf("relayer: %w", err)
	}
	return nil
}

func (p *relayerProcess) close() {
	if p.api != nil {
		p.api.ln.Close() // if run never served it
	}
	if p.ledgers != nil {
		closeAll(p.ledgers)
	}
	if p.store != nil {
		p.store.Close()
	}
	if p.tel != nil {
		shutdownTelemetry(p.tel)
	}
}

func shutdownTelemetry(tel *telemetry.Telemetry) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tel.Close(ctx)
}
