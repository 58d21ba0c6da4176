//go:build !nodemo

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestDemo runs the main job end to end on in-process chains: records
// published on A are delivered on B by the real relayer, one transaction
// per record and in batches, unordered and ordered, and the offline
// re-check of one bundle passes while a forged copy is rejected.
func TestDemo(t *testing.T) {
	for _, o := range []demoOptions{
		{records: 6},
		{records: 24, batch: 10},
		{records: 24, batch: 10, ordered: true},
	} {
		t.Run(fmt.Sprintf("batch%d-ordered-%v", o.batch, o.ordered), func(t *testing.T) {
			// Unix socket paths are limited to about 100 bytes.
			dir, err := os.MkdirTemp("", "demo")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.RemoveAll(dir) })
			o.blockTime, o.timeout, o.dir = 50*time.Millisecond, 90*time.Second, dir
			var out bytes.Buffer
			if err := runDemo(context.Background(), &out, o); err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			text := out.String()
			for _, want := range []string{fmt.Sprintf("Delivered %d/%d records exactly once", o.records, o.records), "is rejected:", "evidence rejected:"} {
				if !strings.Contains(text, want) {
					t.Errorf("demo output lacks %q:\n%s", want, text)
				}
			}
			txs := map[string]bool{}
			for _, line := range strings.Split(text, "\n") {
				if _, tx, ok := strings.Cut(line, "→ dest tx "); ok {
					txs[tx] = true
				}
			}
			if o.batch > 1 && len(txs) >= o.records || o.batch <= 1 && len(txs) != o.records {
				t.Errorf("%d records went in %d destination transactions (batch %d)", o.records, len(txs), o.batch)
			}
		})
	}
}

// syncWriter is a bytes.Buffer safe to write and read at once.
type syncWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestDemoServe: --serve keeps the relayer and its API running after the
// records are delivered, prints the API's address, and stops when
// interrupted.
func TestDemoServe(t *testing.T) {
	dir, err := os.MkdirTemp("", "demo")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	ctx, interrupt := context.WithCancel(context.Background())
	defer interrupt()
	var out syncWriter
	done := make(chan error, 1)
	go func() {
		done <- runDemo(ctx, &out, demoOptions{records: 2, dir: dir, blockTime: 50 * time.Millisecond, timeout: 90 * time.Second, serve: true})
	}()
	url := ""
	for deadline := time.Now().Add(90 * time.Second); url == ""; {
		for _, line := range strings.Split(out.String(), "\n") {
			if u, ok := strings.CutSuffix(strings.TrimSpace(line), "/api/v1/routes"); ok && strings.HasPrefix(u, "http://") {
				url = u + "/api/v1/routes"
			}
		}
		select {
		case err := <-done:
			t.Fatalf("demo ended before serving: %v\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no API address printed:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // still serving a while later
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"route": "a-to-b"`) {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	explorerDemo(t, strings.TrimSuffix(url, "/api/v1/routes")+"/explorer/")
	interrupt()
	if err := <-done; err != nil {
		t.Fatalf("demo --serve on interrupt: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Delivered 2/2 records exactly once") {
		t.Errorf("output:\n%s", out.String())
	}
}

// explorerDemo opens the explorer of a demo run in headless Chromium,
// when there is one (see internal/httpapi's browser tests): the routes,
// a record delivered between the two in-process EVM chains, its trust
// model. It saves the screenshots README shows.
func explorerDemo(t *testing.T, url string) {
	t.Helper()
	exe := os.Getenv("LIAISON_CHROMIUM")
	if exe == "" {
		var err error
		if exe, err = exec.LookPath("chromium"); err != nil {
			t.Log("no chromium: the explorer of the demo run is not opened (scripts/chromium.sh installs it)")
			return
		}
	}
	dir := os.Getenv("LIAISON_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "liaison-artifacts")
	}
	dir = filepath.Join(dir, "demo")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.WindowSize(1280, 900))...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()
	shot := func(name string) {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, name), png, 0o644)
		}
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("#latest table.records"))); err != nil {
		t.Fatalf("explorer home: %v", err)
	}
	shot("explorer-home.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#latest table.records a.mono")), chromedp.WaitVisible(chromedp.CSS("table.timeline"))); err != nil {
		t.Fatalf("explorer record page: %v", err)
	}
	shot("explorer-record.png")
	trust, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#trust")))
	if err != nil || !strings.Contains(trust, "rpc-finality") {
		t.Fatalf("the record page's trust model: %q, %v", trust, err)
	}
	t.Logf("explorer screenshots of the demo run in %s", dir)
}
