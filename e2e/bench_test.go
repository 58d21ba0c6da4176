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

	b.ResetTimer()
	start := time.Now()
	lp := x.startLiaison(b)
	done := map[string]time.Duration{}
	waitFor(b, fmt.Sprintf("%d records delivered on each route", b.N), 10*time.Minute, func() bool {
		_, body := httpGet("http://" + x.metrics + "/metrics")
		for _, route := range []string{"fabric-to-evm", "evm-to-fabric"} {
			if _, ok := done[route]; !ok && delivered(body, route) >= b.N {
				done[route] = time.Since(start)
			}
		}
		return len(done) == 2
	})
	b.StopTimer()
	lp.stop(b, syscall.SIGTERM)
	for route, d := range done {
		b.ReportMetric(float64(b.N)/d.Seconds(), route+"-records/s")
	}
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
