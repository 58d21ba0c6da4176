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

// VerifyChain, for tests only, verifies consecutive blocks, in order, starting from the
// trusted config, and returns the config in force after the last one with
// the verified blocks. Each block must be the successor of the one before it
// (number + 1 and previous hash = its Hash, ErrBrokenLink); the first block
// is linked to the trusted config block when it directly follows it, and
// otherwise not linked (verify its predecessor first if that matters). A
// config block (one CONFIG transaction signed by an orderer, whose config
// update is valid against the config before it and signed as that config's
// mod_policies require; see VerifyBlock and the package documentation) is
// verified under the config before it and then replaces it, so the blocks
// after it are checked against the new MSPs, orderers and policies. trusted
// must carry its full channel config for that (HasConfigBlock).
//
// The error is the first block's *VerifyError; the blocks before it were
// valid, but nothing is returned for them, so that a caller cannot mistake
// a partial chain for the whole.
func VerifyChain(trusted *TrustedConfig, blocks [][]byte) (*TrustedConfig, []*Block, error) {
	cur := trusted
	var prev *Block
	out := make([]*Block, 0, len(blocks))
	for i, raw := range blocks {
		var prevHash []byte
		if prev != nil {
			prevHash = prev.Hash
		}
		b, err := verifyBlock(cur, prevHash, raw, i == 0)
		if err != nil {
			return nil, nil, err
		}
		if prev != nil && b.Number != prev.Number+1 {
			return nil, nil, &VerifyError{Block: b.Number, Reason: reason(ErrBrokenLink, "block %d follows block %d", b.Number, prev.Number)}
		}
		if b.Config != nil {
			cur = b.Config
		}
		out = append(out, b)
		prev = b
	}
	return cur, out, nil
}
