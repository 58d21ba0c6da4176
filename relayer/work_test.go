package relayer

import "testing"

// nextWork is the one place that decides what a worker does with a record.
func TestNextWork(t *testing.T) {
	plain := &routeRunner{}
	batching := &routeRunner{bdst: struct{ BatchDestination }{}}
	for _, c := range []struct {
		name string
		r    *routeRunner
		e    Entry
		want work
	}{
		{"observed", plain, Entry{State: StateObserved}, workProve},
		{"verified, never sent", plain, Entry{State: StateVerified}, workSubmit},
		{"verified after a failed attempt", plain, Entry{State: StateVerified, Attempts: 1}, workAskThenSend},
		{"verified with a transaction (operator retry)", plain, Entry{State: StateVerified, DestTx: "0x1"}, workAskThenSend},
		{"verified on a batching route", batching, Entry{State: StateVerified, Attempts: 1}, workBatch},
		{"submitting", plain, Entry{State: StateSubmitting}, workAskThenSend},
		{"submitted", plain, Entry{State: StateSubmitted}, workConfirm},
		{"confirmed", plain, Entry{State: StateConfirmed}, workNone},
		{"dead", plain, Entry{State: StateDead}, workNone},
		{"skipped", plain, Entry{State: StateSkipped}, workNone},
	} {
		if got := c.r.nextWork(&c.e); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}
