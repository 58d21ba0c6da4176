//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// proc is a child process whose output is kept for failure reports.
type proc struct {
	name   string
	cmd    *exec.Cmd
	out    *syncBuffer
	exited chan struct{}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startProc starts a process; it is killed when the test ends.
func startProc(t testing.TB, name string, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, cmd: exec.Command(bin, args...), out: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.exited
		if t.Failed() {
			t.Logf("--- output of %s (last 4 KB) ---\n%s", name, tail(p.out.String(), 4096))
		}
	})
	return p
}

// stop sends sig and waits for the process to exit; it returns the exit
// code.
func (p *proc) stop(t testing.TB, sig syscall.Signal) int {
	t.Helper()
	p.cmd.Process.Signal(sig)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not exit within 30s of %s", p.name, sig)
	}
	return p.cmd.ProcessState.ExitCode()
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// waitFor polls cond under a deadline.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// httpGet returns the status and body, or 0 when the server is not up.
func httpGet(url string) (int, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// liaison runs the CLI and returns its exit code and combined output.
func liaison(t testing.TB, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(liaisonBin, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out)
		}
		t.Fatalf("run liaison %s: %v", strings.Join(args, " "), err)
	}
	return 0, string(out)
}

func mustLiaison(t testing.TB, args ...string) string {
	t.Helper()
	code, out := liaison(t, args...)
	if code != 0 {
		t.Fatalf("liaison %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

func writeFile(t testing.TB, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

// startLiaison starts `liaison start -c cfgPath` and waits until its
// /readyz, on metrics (host:port), answers 200.
func startLiaison(t testing.TB, cfgPath, metrics string) *proc {
	t.Helper()
	p := startProc(t, "liaison", liaisonBin, "start", "-c", cfgPath)
	deadline := time.Now().Add(time.Minute)
	for {
		if code, _ := httpGet("http://" + metrics + "/readyz"); code == 200 {
			return p
		}
		select {
		case <-p.exited:
			t.Fatalf("liaison exited before it was ready (%v):\n%s", p.cmd.ProcessState, tail(p.out.String(), 4096))
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			// Dump its goroutines: where is it stuck?
			p.cmd.Process.Signal(syscall.SIGQUIT)
			select {
			case <-p.exited:
			case <-time.After(5 * time.Second):
			}
			t.Fatalf("liaison was not ready on %s after a minute; its goroutines:\n%s", metrics, tail(p.out.String(), 64<<10))
		}
	}
}

// verifyEndpointEvidence runs `liaison evidence verify` on a bundle from
// an rpc-finality source (geth --dev has no consensus signatures to
// check): without --accept-endpoint-trust it must exit 3 and say so; with
// it, it must exit 0 with a verdict that still says no consensus
// signature was checked. The anchor is pinned to those the relayer of
// cfgPath trusts. It returns the accepted output.
func verifyEndpointEvidence(t testing.TB, cfgPath, bundle, id string) string {
	t.Helper()
	code, out := liaison(t, "evidence", "verify", bundle, "-c", cfgPath)
	if code != 3 || !strings.Contains(out, "unproven: record "+id) || !strings.Contains(out, "NO consensus signature checked") {
		t.Errorf("evidence verify without --accept-endpoint-trust: exit %d\n%s", code, out)
	}
	out = mustLiaison(t, "evidence", "verify", bundle, "-c", cfgPath, "--accept-endpoint-trust")
	if !strings.Contains(out, "valid on endpoint trust: record "+id) || !strings.Contains(out, "anchor pinned by the trust store of") {
		t.Errorf("evidence verify --accept-endpoint-trust: %s", out)
	}
	return out
}
