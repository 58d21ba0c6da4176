package httpapi_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/liaison-gw/liaison/internal/httpapi"
)

// chromium finds the browser: LIAISON_CHROMIUM (set by `make test` from
// scripts/chromium.sh), else chromium on PATH. Without either the browser
// tests are skipped, saying how to run them.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("LIAISON_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium: run scripts/chromium.sh (Debian's chromium package), or make test, which does")
	return ""
}

// artifacts is where the browser tests leave their screenshots:
// LIAISON_ARTIFACTS/explorer, else liaison-artifacts/explorer in the
// system's temporary directory.
func artifacts(t *testing.T) string {
	t.Helper()
	base := os.Getenv("LIAISON_ARTIFACTS")
	if base == "" {
		base = filepath.Join(os.TempDir(), "liaison-artifacts")
	}
	dir := filepath.Join(base, "explorer")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestExplorerInChromium clicks through the explorer in headless Chromium
// over a real relay run (the engine and SQLite store, fake ledgers): the
// routes, a route's latency chart and dead record, a search by
// destination transaction and by a payload field, a record's page, and an
// operator's skip of the dead record. It saves a screenshot of each page.
func TestExplorerInChromium(t *testing.T) {
	exe := chromium(t)
	f := newFixture(t)
	out := artifacts(t)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.WindowSize(1280, 1000), chromedp.Flag("disable-gpu", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()

	pageError := func() string {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.getElementById("error")||{}).textContent||""`))
		return msg
	}
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v (page error: %q)", what, err, pageError())
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v (page error: %q)", sel, err, pageError())
		}
		return s
	}
	eval := func(js string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](js)); err != nil {
			t.Fatalf("%s: %v", js, err)
		}
	}
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(out, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	// A confirmed record and its destination transaction, from the API.
	var page httpapi.RecordPage
	f.get("/api/v1/records?state=confirmed&limit=1", &page)
	confirmed := page.Records[0]
	dead := f.forged.String()

	// Open the explorer (/ redirects there) with the operator's token.
	do("open the explorer", chromedp.Navigate(f.srv.URL+"/"), chromedp.WaitReady(css("body")))
	eval(`sessionStorage.setItem("liaison-token", "` + opsToken + `")`)
	do("reload with the token", chromedp.Reload(), chromedp.WaitVisible(css("#routes")), chromedp.WaitVisible(css("#latest table.records")))
	shot("home.png")
	if got := text("#routes"); !strings.Contains(got, "a-to-b") || !strings.Contains(got, "dept-a → dept-b") {
		t.Fatalf("routes table: %q", got)
	}

	do("open the route", chromedp.Click(css(`#routes a[href="#/route/a-to-b"]`)),
		chromedp.WaitVisible(css("#legs")), chromedp.WaitVisible(css(`#dead button[data-act="skip"]`)))
	shot("route.png")
	if got := text("#dead"); !strings.Contains(got, dead[:16]) || !strings.Contains(got, "evidence rejected") {
		t.Fatalf("dead records: %q", got)
	}

	do("search by destination transaction", chromedp.SetValue(css("#q"), confirmed.Destination.Tx), chromedp.Click(css("#search button")),
		chromedp.WaitVisible(css("section.on-route")))
	shot("record.png")
	if got := text("#dest-tx"); got != confirmed.Destination.Tx {
		t.Fatalf("record page shows destination tx %q, want %q", got, confirmed.Destination.Tx)
	}
	if trust, sha, tl := text("#trust"), text("#evidence-sha"), text("table.timeline"); !strings.Contains(trust, "fake-hmac") ||
		sha != confirmed.Evidence.SHA256 || !strings.Contains(tl, "confirmed") {
		t.Fatalf("verification: trust %q, evidence %q (want %s), timeline %q", trust, sha, confirmed.Evidence.SHA256, tl)
	}

	do("search by a payload field", chromedp.SetValue(css("#q"), "licence=3"), chromedp.Click(css("#search button")),
		chromedp.WaitVisible(css("#payload-3")))
	if got := text("section.on-route"); !strings.Contains(got, `{"licence":3}`) {
		t.Fatalf("payload search landed on: %q", got)
	}

	do("open the route again", chromedp.Navigate(f.srv.URL+"/explorer/#/route/a-to-b"),
		chromedp.WaitVisible(css(`#dead button[data-act="skip"]`)))
	eval(`window.prompt = () => "forged upstream; re-issued as a new licence"`)
	do("skip the dead record as an operator", chromedp.Click(css(`#dead button[data-act="skip"]`)), chromedp.WaitVisible(css("#dead p.note")))
	shot("route-after-skip.png")
	if got := text("#dead-count"); got != "0" {
		t.Fatalf("dead count after skip: %q", got)
	}
	var audit []httpapi.AuditRow
	f.get("/api/v1/audit", &audit)
	if len(audit) != 1 || audit[0].Actor != "api:alice" || audit[0].Action != "skip" || audit[0].ID != dead {
		b, _ := json.Marshal(audit)
		t.Fatalf("audit after the click: %s", b)
	}

	// The page shows the API's errors.
	do("open an unknown record", chromedp.Navigate(f.srv.URL+"/explorer/#/record/"+strings.Repeat("ab", 32)), chromedp.WaitVisible(css("#error")))
	if got := text("#error"); !strings.Contains(got, "not found") {
		t.Fatalf("unknown record: %q", got)
	}
	t.Logf("screenshots in %s", out)
}
