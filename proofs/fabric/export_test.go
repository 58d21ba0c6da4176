package fabric

import (
	"testing"
	"time"
)

// ValidateConfigUpdate is validateConfigUpdate, for FuzzConfigUpdate: a
// fuzzer cannot sign blocks, so it calls the config update check directly.
var ValidateConfigUpdate = validateConfigUpdate

// BenchRate starts measuring a benchmark's rate; the returned function,
// called after the loop, reports blocks/s over wall time and, where the
// process's CPU time is known, blocks/cpu-s: blocks per second of CPU this
// process used (the benchmark and the garbage collector). On a shared
// machine the second moves far less with other processes' load.
func BenchRate(b *testing.B) (report func()) {
	wall, cpu := time.Now(), processCPU()
	return func() {
		b.ReportMetric(float64(b.N)/time.Since(wall).Seconds(), "blocks/s")
		if used := processCPU() - cpu; used > 0 && cpu > 0 {
			b.ReportMetric(float64(b.N)/used.Seconds(), "blocks/cpu-s")
		}
	}
}
