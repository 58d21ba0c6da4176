//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkLoad is the load harness (issue #6). For each pair of ledgers
// (two geth nodes; Fabric and geth; a Cosmos devnet and geth) it starts
// liaison with an unordered route each way, publishes N records on every
// route while liaison runs (N is LIAISON_LOAD_N, default 200), waits until
// /metrics counts them all delivered, stops liaison and reads `liaison
// stats --json`. At the end it prints one table with every route: records
// per second from the first observation to the last confirmation, and the
// p50/p95/p99 of each leg (source finality, proof fetch, verification,
// submission, destination commit, end to end). Each setup runs once,
// whatever b.N; select one with -bench 'Load/fabric'.
//
//	LIAISON_GETH=$(scripts/gobin.sh geth) go test -tags e2e -run '^$' -bench '^BenchmarkLoad$' -benchtime 1x -timeout 60m ./e2e/
//
// Records are published as fast as each ledger's client allows: on geth
// all at once, on Fabric one after another (each publish increments the
// chaincode's sequence, so concurrent ones would conflict), on Cosmos one
// CLI transaction per block. Where publishing is slower than relaying, the
// route's records/s is the publishing rate.
func BenchmarkLoad(b *testing.B) {
	n := loadN(b)
	var all []loadRoute
	for _, s := range []struct {
		name string
		run  func(b *testing.B, n int) []loadRoute
	}{
		{"evm-evm", loadEVMEVM},
		{"evm-evm-batch", loadEVMEVMBatch},
		{"fabric-evm", loadFabricEVM},
		{"cosmos-evm", loadCosmosEVM},
	} {
		b.Run(s.name, func(b *testing.B) {
			routes := s.run(b, n)
			for _, r := range routes {
				b.ReportMetric(r.RecordsPerSec, r.Route+"-records/s")
			}
			all = append(all, routes...)
		})
	}
	if len(all) > 0 {
		fmt.Printf("\nLoad harness: %d records published on each route while liaison runs\n\n", n)
		printLoadTable(os.Stdout, all)
		fmt.Println()
	}
}

// loadN reads LIAISON_LOAD_N.
func loadN(t testing.TB) int {
	s := os.Getenv("LIAISON_LOAD_N")
	if s == "" {
		return 200
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		t.Fatalf("LIAISON_LOAD_N=%q: want a positive number", s)
	}
	return n
}

func loadEVMEVM(b *testing.B, n int) []loadRoute {
	x := setupEVMEVM(b, "unordered")
	lp := x.startLiaison(b)
	x.a.publish(b, x.outA, "chain-b", n, "load-ab")
	x.b.publish(b, x.outB, "chain-a", n, "load-ba")
	return loadFinish(b, lp, x.cfgPath, x.metrics, n, "a-to-b", "b-to-a")
}

// loadEVMEVMBatch is evm-evm with batches on both sides: records are
// published 20 per Outbox.publishBatch, and delivered up to 100 per
// attestBatch.
func loadEVMEVMBatch(b *testing.B, n int) []loadRoute {
	x := setupEVMEVMWith(b, "unordered", "    batch: {max_records: 100, max_wait: 500ms, concurrency: 4}\n")
	lp := x.startLiaison(b)
	x.a.publishBatched(b, x.outA, "chain-b", n, 20, "load-ab")
	x.b.publishBatched(b, x.outB, "chain-a", n, 20, "load-ba")
	return loadFinish(b, lp, x.cfgPath, x.metrics, n, "a-to-b", "b-to-a")
}

func loadFabricEVM(b *testing.B, n int) []loadRoute {
	x := setupFabricEVM(b, "unordered")
	lp := x.startLiaison(b)
	x.b.publish(b, x.outB, x.fab.ChainName, n, "load-ef")
	x.fab.client(b, 2, "User1").publish(b, "ledger-b", n, "load-fe")
	return loadFinish(b, lp, x.cfgPath, x.metrics, n, "fabric-to-evm", "evm-to-fabric")
}

func loadCosmosEVM(b *testing.B, n int) []loadRoute {
	x := setupCosmosEVM(b, "unordered")
	lp := x.startLiaison(b)
	x.b.publish(b, x.outB, x.name, n, "load-ec")
	x.cn.publish(b, x.client, "ledger-b", n, "load-ce")
	return loadFinish(b, lp, x.cfgPath, x.metrics, n, "cosmos-to-evm", "evm-to-cosmos")
}

// loadFinish waits until /metrics counts n records delivered on each
// route, stops liaison and returns what `liaison stats` says of the
// routes.
func loadFinish(b *testing.B, lp *proc, cfgPath, metrics string, n int, routes ...string) []loadRoute {
	b.Helper()
	waitFor(b, fmt.Sprintf("%d records delivered on %s", n, strings.Join(routes, " and ")), 20*time.Minute, func() bool {
		_, body := httpGet("http://" + metrics + "/metrics")
		for _, r := range routes {
			if delivered(body, r) < n {
				return false
			}
		}
		return true
	})
	if code := lp.stop(b, syscall.SIGTERM); code != 0 {
		b.Errorf("liaison exited %d on SIGTERM", code)
	}
	out := mustLiaisonStdout(b, "stats", "-c", cfgPath, "--since", "all", "--json")
	var doc struct {
		Routes []loadRoute `json:"routes"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		b.Fatalf("liaison stats --json: %v\n%s", err, out)
	}
	var got []loadRoute
	for _, want := range routes {
		for _, r := range doc.Routes {
			if r.Route == want {
				if r.Records != n {
					b.Errorf("route %s: stats counts %d confirmed records, want %d", want, r.Records, n)
				}
				got = append(got, r)
			}
		}
	}
	if len(got) != len(routes) {
		b.Fatalf("liaison stats lists routes %+v, want %v", doc.Routes, routes)
	}
	return got
}

// loadRoute is the part of a route in `liaison stats --json` that the table
// shows.
type loadRoute struct {
	Route         string  `json:"route"`
	Records       int     `json:"records"`
	RecordsPerSec float64 `json:"records_per_s"`
	Stages        []struct {
		Stage string  `json:"stage"`
		N     int     `json:"n"`
		P50   float64 `json:"p50_ms"`
		P95   float64 `json:"p95_ms"`
		P99   float64 `json:"p99_ms"`
	} `json:"stages"`
}

// printLoadTable writes a Markdown table: one row per route, one column per
// leg with its p50 / p95 / p99.
func printLoadTable(w io.Writer, routes []loadRoute) {
	var stages []string
	for _, s := range routes[0].Stages {
		stages = append(stages, s.Stage)
	}
	fmt.Fprintf(w, "| route | records | records/s | %s |\n", strings.Join(stages, " | "))
	fmt.Fprintf(w, "| --- | ---: | ---: |%s\n", strings.Repeat(" ---: |", len(stages)))
	for _, r := range routes {
		cells := make([]string, len(stages))
		for i, name := range stages {
			cells[i] = "n/a"
			for _, s := range r.Stages {
				if s.Stage == name && s.N > 0 {
					cells[i] = fmt.Sprintf("%s / %s / %s", loadMS(s.P50), loadMS(s.P95), loadMS(s.P99))
				}
			}
		}
		fmt.Fprintf(w, "| %s | %d | %.1f | %s |\n", r.Route, r.Records, r.RecordsPerSec, strings.Join(cells, " | "))
	}
}

// loadMS prints milliseconds with two or three significant digits.
func loadMS(ms float64) string {
	abs := ms
	if abs < 0 {
		abs = -abs
	}
	switch {
	case abs >= 1000:
		return fmt.Sprintf("%.2f s", ms/1000)
	case abs >= 10:
		return fmt.Sprintf("%.0f ms", ms)
	default:
		return fmt.Sprintf("%.2f ms", ms)
	}
}
