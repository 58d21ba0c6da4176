package main

// An attack on the HTTP API's server settings. It fails on the code it
// was written against.

import (
	"bufio"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/config"
)

// The API's http.Server sets only ReadHeaderTimeout: no ReadTimeout,
// IdleTimeout or WriteTimeout, and no limit on connections. A caller with
// no token sends a request's headers with a Content-Length and never the
// body: the handler answers 401 without reading it, and the server then
// waits, without a deadline, to discard the body before it writes the
// 401. The connection (a file descriptor of the relayer's own process,
// which also holds the store and the chains' connections) is held for as
// long as the caller likes; a few thousand such connections exhaust the
// process's descriptors. An idle keep-alive connection after any answered
// request is held forever the same way.
func TestAttackAPIServerHoldsUnauthenticatedSlowConnections(t *testing.T) {
	tok := filepath.Join(t.TempDir(), "ops.token")
	if err := os.WriteFile(tok, []byte("0123456789abcdef0123456789abcdef\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{API: config.API{Listen: "127.0.0.1:0",
		Tokens: []config.APIToken{{Name: "ops", File: tok, Role: config.RoleOperator}}}}
	a := serveTestAPI(t, cfg)

	c, err := net.Dial("tcp", a.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// No Authorization header; the body is announced and never sent.
	if _, err := c.Write([]byte("POST /api/v1/records/00/retry HTTP/1.1\r\nHost: x\r\nContent-Length: 60000\r\n\r\n{")); err != nil {
		t.Fatal(err)
	}
	// The server should give up on the connection within its read or
	// idle timeout; without either, wait past ReadHeaderTimeout.
	wait := max(a.srv.ReadTimeout, a.srv.IdleTimeout)
	if wait == 0 {
		wait = a.srv.ReadHeaderTimeout
	}
	wait += 2 * time.Second
	_ = c.SetReadDeadline(time.Now().Add(wait))
	line, err := bufio.NewReader(c).ReadString('\n')
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Errorf("an unauthenticated connection announcing a body it never sends was still open, unanswered, after %s "+
			"(ReadTimeout %s, IdleTimeout %s, WriteTimeout %s): it is held without limit",
			wait, a.srv.ReadTimeout, a.srv.IdleTimeout, a.srv.WriteTimeout)
	} else {
		t.Logf("the server answered or closed: %q %v", line, err)
	}
}
