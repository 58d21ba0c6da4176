package relayer

import "time"

// Clock is the engine's time: what it stamps on records and events, when
// a retry or a batch is due, and the timers it sleeps on between polls.
// The engine and its store take the same Clock, so that times the store
// writes (a record's last update, which starts a batch's max_wait) and
// times the engine compares them with agree. Tests pass a clock they move
// by hand (relayertest.Clock) instead of sleeping.
//
// Span timestamps stay on the wall clock: they are for people reading a
// trace, not for deciding anything.
type Clock interface {
	Now() time.Time
	// NewTimer returns a timer that fires once, d from now.
	NewTimer(d time.Duration) Timer
}

// Timer is a one-shot timer of a Clock.
type Timer interface {
	// C delivers the time once the timer fires.
	C() <-chan time.Time
	// Stop prevents the timer from firing; it reports whether it stopped
	// it (false: it had fired or was stopped).
	Stop() bool
}

// SystemClock is the wall clock.
func SystemClock() Clock { return systemClock{} }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) NewTimer(d time.Duration) Timer { return systemTimer{time.NewTimer(d)} }

type systemTimer struct{ t *time.Timer }

func (t systemTimer) C() <-chan time.Time { return t.t.C }
func (t systemTimer) Stop() bool          { return t.t.Stop() }

// sleepOn waits for d on c or until done is closed; it reports whether the
// full time passed.
func sleepOn(c Clock, d time.Duration, done <-chan struct{}) bool {
	t := c.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
		return true
	case <-done:
		return false
	}
}
