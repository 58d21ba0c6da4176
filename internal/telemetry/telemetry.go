// Package telemetry sets up Liaison's logs, traces and metrics from the
// config: slog JSON (or text) logs, OpenTelemetry tracing to a JSON-lines
// file and/or an OTLP/gRPC collector, OpenTelemetry metrics exported to
// Prometheus, and an HTTP server for /metrics, /healthz and /readyz.
// Nothing here is global: the caller passes the providers on.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/liaison-gw/liaison/config"
)

// Telemetry holds the configured providers. Close flushes and stops them.
type Telemetry struct {
	Logger         *slog.Logger
	TracerProvider trace.TracerProvider
	MeterProvider  metric.MeterProvider

	tp       *sdktrace.TracerProvider
	mp       *sdkmetric.MeterProvider
	server   *http.Server
	listener net.Listener
	served   chan error // Serve's result, once it returns
	closers  []io.Closer
	ready    atomic.Pointer[func() bool]
}

// Options are what the config does not say.
type Options struct {
	// LogOutput receives logs; default os.Stderr.
	LogOutput io.Writer
	// Version is reported as service.version.
	Version string
}

// New builds telemetry from cfg. The HTTP server, if configured, starts
// listening at once (so a port conflict is reported before anything
// else starts) and serves until Close.
func New(ctx context.Context, cfg config.Telemetry, opts Options) (*Telemetry, error) {
	t := &Telemetry{}
	t.SetReady(func() bool { return false })
	out := opts.LogOutput
	if out == nil {
		out = os.Stderr
	}
	t.Logger = NewLogger(out, cfg.Log.Level, cfg.Log.Format)

	res := resource.NewSchemaless(
		attribute.String("service.name", cfg.ServiceName),
		attribute.String("service.version", opts.Version),
	)
	tpOpts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
	if cfg.Traces.File != "" {
		f, err := os.OpenFile(cfg.Traces.File, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return nil, fmt.Errorf("telemetry: trace file: %w", err)
		}
		t.closers = append(t.closers, f)
		tpOpts = append(tpOpts, sdktrace.WithBatcher(NewFileExporter(f), sdktrace.WithBatchTimeout(time.Second)))
	}
	if ep := cfg.Traces.OTLP.Endpoint; ep != "" {
		o := []otlptracegrpc.Option{otlptracegrpc.WithEndpoint(ep)}
		if cfg.Traces.OTLP.Insecure {
			o = append(o, otlptracegrpc.WithInsecure())
		}
		exp, err := otlptracegrpc.New(ctx, o...)
		if err != nil {
			return nil, fmt.Errorf("telemetry: OTLP exporter for %s: %w", ep, err)
		}
		tpOpts = append(tpOpts, sdktrace.WithBatcher(exp, sdktrace.WithBatchTimeout(time.Second)))
	}
	t.tp = sdktrace.NewTracerProvider(tpOpts...)
	t.TracerProvider = t.tp

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	exp, err := otelprom.New(otelprom.WithRegisterer(reg), otelprom.WithoutScopeInfo())
	if err != nil {
		return nil, fmt.Errorf("telemetry: prometheus exporter: %w", err)
	}
	t.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp), sdkmetric.WithResource(res))
	t.MeterProvider = t.mp

	if cfg.Listen != "" {
		ln, err := net.Listen("tcp", cfg.Listen)
		if err != nil {
			return nil, fmt.Errorf("telemetry: listen on %s: %w", cfg.Listen, err)
		}
		t.listener = ln
		mux := http.NewServeMux()
		mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
		mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
			if !(*t.ready.Load())() {
				http.Error(w, "not ready", http.StatusServiceUnavailable)
				return
			}
			fmt.Fprintln(w, "ready")
		})
		t.server = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		t.served = make(chan error, 1)
		go func() {
			err := t.server.Serve(ln)
			if !errors.Is(err, http.ErrServerClosed) {
				t.Logger.Error("the /metrics server stopped", "addr", ln.Addr().String(), "err", err)
			}
			t.served <- err
		}()
	}
	return t, nil
}

// Addr returns the HTTP server's address, or "" if it is off.
func (t *Telemetry) Addr() string {
	if t.listener == nil {
		return ""
	}
	return t.listener.Addr().String()
}

// SetReady sets the function /readyz asks; it may be called while the
// server runs.
func (t *Telemetry) SetReady(f func() bool) { t.ready.Store(&f) }

// Close stops the server and flushes spans and metrics.
func (t *Telemetry) Close(ctx context.Context) error {
	var errs []error
	if t.server != nil {
		errs = append(errs, t.server.Shutdown(ctx))
		// Shutdown makes Serve return at once; wait for it, so no
		// goroutine of the server outlives Close.
		if err := <-t.served; !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, fmt.Errorf("telemetry: /metrics server: %w", err))
		}
	}
	errs = append(errs, t.tp.Shutdown(ctx), t.mp.Shutdown(ctx))
	for _, c := range t.closers {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// NewLogger returns a slog logger; level and format are as in the config.
func NewLogger(w io.Writer, level, format string) *slog.Logger {
	var l slog.Level
	switch level {
	case "debug":
		l = slog.LevelDebug
	case "warn":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	default:
		l = slog.LevelInfo
	}
	o := &slog.HandlerOptions{Level: l}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, o))
	}
	return slog.New(slog.NewJSONHandler(w, o))
}
