//go:build !nodemo

package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/liaison-gw/liaison/config"
)

var metricRef = regexp.MustCompile(`\bliaison_[a-z0-9_]+`)

// TestOpsFilesUseExportedMetrics runs the demo's relayer with /metrics and
// the HTTP API on, lists the records through the API, scrapes /metrics, and checks that every metric the alert rules and the Grafana
// dashboard in ops/ refer to is one the relayer exports, and that README
// documents every metric family it exports. A renamed metric fails here,
// not silently in someone's Prometheus.
func TestOpsFilesUseExportedMetrics(t *testing.T) {
	dir, err := os.MkdirTemp("", "ops") // short: Unix socket paths
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	d := &demoRun{o: demoOptions{records: 3, batch: 2, dir: dir, blockTime: 50 * time.Millisecond, quiet: true}, out: io.Discard}
	if err := d.setup(ctx); err != nil {
		t.Fatal(err)
	}
	defer d.a.Close()
	defer d.b.Close()
	cfg, err := config.Load(d.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Telemetry.Listen = "127.0.0.1:0"
	// The HTTP API too, with an operator token.
	const token = "0123456789abcdef0123456789abcdef-ops"
	tokenFile := filepath.Join(dir, "ops.token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg.API = config.API{Listen: "127.0.0.1:0", Tokens: []config.APIToken{{Name: "ops", File: tokenFile, Role: config.RoleOperator}}}
	p, err := openRelayer(ctx, cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	// The demo's chains trust by finality, which does not expire; a light
	// client's warning makes the expiry gauge appear.
	p.expiry.set("dept-a", time.Now().Add(time.Hour))
	runCtx, stop := context.WithCancel(ctx)
	runErr := make(chan error, 1)
	go func() { runErr <- p.run(runCtx) }()
	published, err := d.publish(ctx)
	if err == nil {
		err = d.follow(ctx, p.store, published)
	}
	if err != nil {
		stop()
		<-runErr
		t.Fatal(err)
	}
	var body string
	for {
		body = scrape(t, "http://"+p.tel.Addr()+"/metrics")
		if strings.Contains(body, `liaison_signer_balance_state{chain="dept-b",state="ok"} 1`) {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("the signer's balance state never became ok:\n%s", body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	req, _ := http.NewRequest("GET", "http://"+p.api.Addr()+"/api/v1/records?route=a-to-b", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Records []struct{ ID, State string } `json:"records"`
	}
	err = json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || len(page.Records) != 3 || page.Records[0].State != "confirmed" {
		t.Fatalf("the API lists %+v (%d, %v), want the 3 confirmed records", page.Records, resp.StatusCode, err)
	}
	stop()
	if err := <-runErr; err != nil {
		t.Fatal(err)
	}
	exported := map[string]bool{}
	for _, line := range strings.Split(body, "\n") {
		if name := metricRef.FindString(line); name != "" && strings.HasPrefix(line, name) {
			exported[name] = true
		}
	}

	refs := map[string][]string{} // metric -> where
	rules, err := os.ReadFile("../../ops/prometheus/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	var rf struct {
		Groups []struct {
			Rules []struct {
				Alert string `yaml:"alert"`
				Expr  string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(rules, &rf); err != nil {
		t.Fatal(err)
	}
	for _, g := range rf.Groups {
		for _, r := range g.Rules {
			for _, m := range metricRef.FindAllString(r.Expr, -1) {
				refs[m] = append(refs[m], "alert "+r.Alert)
			}
		}
	}
	dash, err := os.ReadFile("../../ops/grafana/liaison.json")
	if err != nil {
		t.Fatal(err)
	}
	var db struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
		Templating struct {
			List []struct {
				Definition string `json:"definition"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(dash, &db); err != nil {
		t.Fatalf("ops/grafana/liaison.json: %v", err)
	}
	for _, p := range db.Panels {
		for _, tg := range p.Targets {
			for _, m := range metricRef.FindAllString(tg.Expr, -1) {
				refs[m] = append(refs[m], "panel "+p.Title)
			}
		}
	}
	for _, v := range db.Templating.List {
		for _, m := range metricRef.FindAllString(v.Definition, -1) {
			refs[m] = append(refs[m], "dashboard variable")
		}
	}
	if len(refs) < 10 {
		t.Fatalf("only %d metrics referred to by ops/: the files were not read right", len(refs))
	}
	for m, where := range refs {
		if !exported[m] {
			t.Errorf("%s (used by %s) is not exported", m, strings.Join(where, ", "))
		}
	}

	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for m := range exported {
		names = append(names, m)
	}
	sort.Strings(names)
	for _, m := range names {
		family := m
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			family = strings.TrimSuffix(family, suffix)
		}
		if !regexp.MustCompile(regexp.QuoteMeta(family) + `\b`).Match(readme) {
			t.Errorf("README.md does not document %s", family)
		}
	}
}

func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
