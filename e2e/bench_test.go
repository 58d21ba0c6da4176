//go:build e2e

package e2e

import (
	"fmt"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// BenchmarkFabricEVMRelay measures how fast liaison drains a backlog on
// real ledgers: b.N records are published on Fabric (for the EVM) and b.N
// on geth (for Fabric) while liaison is stopped; then liaison starts and
// the clock runs until /metrics counts every record delivered on both
// routes. Both routes are unordered; geth mines a block every second, the
// Fabric orderer cuts blocks on its batch timeout. Run it with
//
//	LIAISON_GETH=$(scripts/gobin.sh geth) go test -tags e2e -run '^$' -bench FabricEVMRelay -benchtime 100x ./e2e/
func BenchmarkFabricEVMRelay(b *testing.B) {
	x := setupFabricEVM(b, "unordered")
	publisher := x.fab.client(b, 2, "User1")
	publisher.publish(b, "ledger-b", b.N, "bench-fe")
	x.b.publish(b, x.outB, x.fab.ChainName, b.N, "bench-ef")

	drain(b, x.startLiaison, x.metrics, "fabric-to-evm", "evm-to-fabric")
}

var deliveredLine = regexp.MustCompile(`liaison_records_delivered_total\{route="([^"]+)"\} (\d+)`)

// delivered reads a route's delivered counter from a /metrics body.
func delivered(body, route string) int {
	for _, m := range deliveredLine.FindAllStringSubmatch(body, -1) {
		if m[1] == route {
			n, _ := strconv.Atoi(m[2])
			return n
		}
	}
	return 0
}

// BenchmarkCosmosEVMRelay is BenchmarkFabricEVMRelay for a real
// liaison-simd devnet (one validator, ~0.5 s blocks) and geth: b.N records
// each way published while liaison is stopped, then the time to drain both
// unordered routes.
//
//	LIAISON_GETH=$(scripts/gobin.sh geth) go test -tags e2e -run '^$' -bench CosmosEVMRelay -benchtime 100x ./e2e/
func BenchmarkCosmosEVMRelay(b *testing.B) {
	x := setupCosmosEVM(b, "unordered")
	x.cn.publish(b, x.client, "ledger-b", b.N, "bench-ce")
	x.b.publish(b, x.outB, x.name, b.N, "bench-ec")
	drain(b, x.startLiaison, x.metrics, "cosmos-to-evm", "evm-to-cosmos")
}

// drain starts liaison and reports how fast each route delivers its b.N
// records, from the start until /metrics counts them all.
func drain(b *testing.B, start func(testing.TB) *proc, metrics string, routes ...string) {
	b.ResetTimer()
	t0 := time.Now()
	lp := start(b)
	done := map[string]time.Duration{}
	waitFor(b, fmt.Sprintf("%d records delivered on each route", b.N), 10*time.Minute, func() bool {
		_, body := httpGet("http://" + metrics + "/metrics")
		for _, route := range routes {
			if _, ok := done[route]; !ok && delivered(body, route) >= b.N {
				done[route] = time.Since(t0)
			}
		}
		return len(done) == len(routes)
	})
	b.StopTimer()
	lp.stop(b, syscall.SIGTERM)
	for route, d := range done {
		b.ReportMetric(float64(b.N)/d.Seconds(), route+"-records/s")
	}
}
