package attestation

import (
	"runtime"
	"testing"
)

// TestAttackVerifyAllocatesPerSignatureBeforeChecking: Verify sizes its
// signer slice and seen-map by len(sigs) before it looks at the first
// signature, and never compares len(sigs) with len(attestors) (more
// signatures than attestors can never all be distinct members). Whoever
// supplies the signature list -- a relayer, any client submitting to a
// destination that runs this code -- makes the verifier allocate about 65
// bytes per entry, even for empty entries that cost 2 bytes on the wire
// and are refused at index 0: 1 Mi empty signatures against a 3-member set
// cost some 68 MB here.
func TestAttackVerifyAllocatesPerSignatureBeforeChecking(t *testing.T) {
	v := loadVector(t)
	sigs := make([][]byte, 1<<20) // all empty: the first is already malformed
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Verify(v.Data, sigs, v.addresses(), v.Threshold)
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("empty signatures verified")
	}
	const limit = 4 << 20
	if got := after.TotalAlloc - before.TotalAlloc; got > limit {
		t.Fatalf("Verify allocated %d MB to refuse %d signatures against %d attestors (%v); want O(attestors), under %d MB",
			got>>20, len(sigs), len(v.Attestors), err, limit>>20)
	}
}
