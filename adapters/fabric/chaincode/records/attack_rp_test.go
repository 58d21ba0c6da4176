package records

import (
	"runtime"
	"strings"
	"testing"
)

// Attack on PublishRecords: memory amplification at endorsement, NOT a
// forged record. PublishRecords is open to every channel member and decodes
// the whole input array into []PublishInput before it counts it against
// MaxPublishBatch (AttestBatch, which decodes the same way, checks that the
// caller is an attestor first). Each "{}," of input, 3 bytes, becomes a
// 64-byte PublishInput plus the slice's growth: in all ~120× the input,
// where contractapi alone costs ~13× (a refused non-array input of the same
// size). A proposal near the peers' default 100 MB gRPC limit makes the
// chaincode allocate on the order of 10 GB while simulating, for a call
// that is then refused. Low severity: endorsement-time DoS of the chaincode
// container, nothing is committed.
//
// The test compares the allocation of a 1,000,000-entry array with that of
// an input of the same size that is refused at once (a JSON string), which
// is what contractapi itself costs; an over-long array should cost about
// the same. It fails now (≈357 MB against ≈41 MB for 3 MB of input).
func TestAttackRPPublishRecordsDecodesBeforeCounting(t *testing.T) {
	const n = 1_000_000
	alloc := func(in string) (uint64, string) {
		w := newWorld(t, false)
		runtime.GC()
		var a, b runtime.MemStats
		runtime.ReadMemStats(&a)
		r := w.invoke(w.user1, "PublishRecords", in)
		runtime.ReadMemStats(&b)
		return b.TotalAlloc - a.TotalAlloc, r.err
	}
	array := "[" + strings.Repeat("{},", n-1) + "{}]"
	base, baseErr := alloc(`"` + strings.Repeat("x", len(array)-2) + `"`)
	got, err := alloc(array)
	t.Logf("%d-byte input: not an array %d MB (%s); %d-entry array %d MB (%s)", len(array), base>>20, baseErr, n, got>>20, err)
	if err == "" {
		t.Fatal("an array of a million records was accepted")
	}
	if got > 2*base {
		t.Fatalf("an over-long array costs %d MB to refuse, %.1f× an input of the same size refused at once (%d MB): "+
			"PublishRecords decodes every entry before it checks the count against %d",
			got>>20, float64(got)/float64(base), base>>20, MaxPublishBatch)
	}
}
