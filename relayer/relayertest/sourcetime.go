package relayertest

import (
	"testing"
	"time"

	"github.com/liaison-gw/liaison/relayer"
)

// CheckSourceTimeIgnored checks what every verifier must do with the
// record's source time, which no ledger's commitment covers: a valid
// bundle stays valid, through an encode and decode, whatever time its
// record carries. verify runs the adapter's verifier on a bundle. ev is
// not changed.
func CheckSourceTimeIgnored(t testing.TB, name string, ev *relayer.Evidence, verify func(*relayer.Evidence) error) {
	t.Helper()
	for _, at := range []time.Time{time.Date(2001, 2, 3, 4, 5, 6, 7, time.UTC), time.Unix(1, 0)} {
		c := *ev
		c.Record.Source.Time = at
		raw, err := relayer.EncodeEvidence(&c)
		if err != nil {
			t.Fatal(err)
		}
		timed, err := relayer.DecodeEvidence(raw)
		if err != nil || !timed.Record.Source.Time.Equal(at) {
			t.Fatalf("%s with source time %v: decoded %v, %v", name, at, timed, err)
		}
		if err := verify(timed); err != nil {
			t.Fatalf("%s with source time %v: %v", name, at, err)
		}
	}
}
