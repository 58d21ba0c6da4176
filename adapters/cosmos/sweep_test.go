package cosmos

import (
	"testing"

	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/evidencetest"
)

// unboundRecordFields are record fields that no Cosmos commitment covers
// and the verifier does not check against the proof, although
// relayer.Record says everything in a record is covered. A changed value
// verifies, and `liaison evidence verify` prints the forged height and
// transaction as part of a valid record. The engine is not fooled (it
// compares the bundle's record with the one it observed, SameRecord
// ignoring these three), but a reader of a bundle is. Reported, not fixed
// here: the store proof is of a later version than the record's block
// (evidence_skip.json: height 6, version 8), and the stored value names
// neither.
var unboundRecordFields = map[string]string{
	"record.route":         "no commitment covers the route; the relayer names it",
	"record.source.height": "the stored value does not carry it, and the proof's version is not the record's height",
	"record.source.tx_id":  "the stored value does not carry it, and a store proof cannot show it",
}

// TestForgerySweep forges every committed bundle in every single-field
// way and at every byte of its proofs and light blocks (1 in 16 with
// -short), and requires VerifyEvidence, against the bundle's own pinned
// anchor and at its proving time, to refuse each forgery (see
// relayer/evidencetest), but for unboundRecordFields. Nothing else is
// tolerated.
func TestForgerySweep(t *testing.T) {
	evidencetest.RunTestdata(t, relayer.LedgerCosmos, func(t *testing.T, raw []byte) evidencetest.Options {
		return evidencetest.Options{Verifier: NewVerifier(), Stride: evidencetest.ShortStride(), Gaps: unboundRecordFields}
	})
}
