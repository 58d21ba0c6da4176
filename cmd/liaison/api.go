package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/internal/httpapi"
	"github.com/liaison-gw/liaison/relayer"
)

// maxAPIConns bounds the API's open connections, so that callers cannot
// take the file descriptors the relayer needs for its store and chains.
const maxAPIConns = 256

// apiServer is the HTTP API of `liaison start` (api.listen).
type apiServer struct {
	srv *http.Server
	ln  net.Listener
	log *slog.Logger
}

// openAPI reads the tokens and listens, so that a bad token file or a
// port in use is reported before the relayer starts.
func openAPI(cfg *config.Config, store relayer.Store, eng *relayer.Engine, expiry *trustExpiry, log *slog.Logger) (*apiServer, error) {
	if cfg.API.Listen == "" {
		return nil, nil
	}
	var tokens []httpapi.Token
	for _, t := range cfg.API.Tokens {
		secret, err := config.ReadToken(t.File)
		if err != nil {
			return nil, fmt.Errorf("api token %s: %w", t.Name, err)
		}
		tokens = append(tokens, httpapi.Token{Name: t.Name, Secret: secret, Role: t.Role})
	}
	var chains []relayer.ChainID
	for _, c := range cfg.Chains {
		chains = append(chains, relayer.ChainID(c.Name))
	}
	tlsCfg, clients, err := apiTLS(cfg.API)
	if err != nil {
		return nil, err
	}
	h := httpapi.New(httpapi.Options{Store: store, Engine: eng, Chains: chains, TrustExpiry: expiry.get, Tokens: tokens,
		Clients: clients, Logger: log})
	ln, err := net.Listen("tcp", cfg.API.Listen)
	if err != nil {
		return nil, fmt.Errorf("api: listen on %s: %w", cfg.API.Listen, err)
	}
	// The limit counts TCP connections; TLS goes on top, so that the
	// server sees *tls.Conn and the client's certificate.
	ln = netutil.LimitListener(ln, maxAPIConns)
	if tlsCfg != nil {
		ln = tls.NewListener(ln, tlsCfg)
	}
	// Every connection has an end: a caller that sends its request
	// slowly, or not at all, or keeps an idle connection, is cut off.
	// WriteTimeout allows for the longest answer, a relay request that
	// waits up to a minute.
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 90 * time.Second, IdleTimeout: 60 * time.Second, MaxHeaderBytes: 64 << 10}
	return &apiServer{srv: srv, ln: ln, log: log}, nil
}

// apiTLS builds the API's TLS configuration from api.tls, and the client
// names and roles of mutual TLS; nil without api.tls.
func apiTLS(a config.API) (*tls.Config, map[string]string, error) {
	t := a.TLS
	if t.Cert == "" {
		return nil, nil, nil
	}
	pair, err := config.LoadKeyPair(t.Cert, t.Key)
	if err != nil {
		return nil, nil, fmt.Errorf("api.tls: %w", err)
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{pair}}
	if t.ClientCA == "" {
		return cfg, nil, nil
	}
	clients := map[string]string{}
	names := map[string]bool{}
	for _, c := range t.Clients {
		clients[c.Name] = c.Role
		names[c.Name] = true
	}
	if cfg.ClientCAs, err = config.LoadClientCA(t.ClientCA, names); err != nil {
		return nil, nil, fmt.Errorf("api.tls.client_ca: %w", err)
	}
	// With tokens too, a caller may bring either; without, a certificate
	// is required at the handshake.
	cfg.ClientAuth = tls.VerifyClientCertIfGiven
	if len(a.Tokens) == 0 {
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg, clients, nil
}

// Addr is where the API listens.
func (a *apiServer) Addr() string { return a.ln.Addr().String() }

// serve serves until ctx ends, then shuts down, letting requests in
// flight finish for up to 5 s.
func (a *apiServer) serve(ctx context.Context) {
	if a == nil {
		return
	}
	served := make(chan error, 1)
	go func() { served <- a.srv.Serve(a.ln) }()
	select {
	case err := <-served:
		a.log.Error("the API server stopped", "addr", a.Addr(), "err", err)
		return
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := a.srv.Shutdown(sctx); err != nil {
		a.log.Warn("the API server did not stop cleanly", "err", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		a.log.Error("the API server stopped", "addr", a.Addr(), "err", err)
	}
}
