package relayertest

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/liaison-gw/liaison/relayer"
)

// Clock is a relayer.Clock that moves only when told to: Advance fires the
// timers that come due. Waiters and BlockUntil tell a test when the engine
// has gone back to sleep, so it can check what the engine did (or did not
// do) in a given span of engine time without sleeping.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	timers  map[*clockTimer]struct{}
	changed chan struct{} // closed and replaced when timers change
}

// NewClock returns a clock standing at start.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start, timers: map[*clockTimer]struct{}{}, changed: make(chan struct{})}
}

type clockTimer struct {
	c   *Clock
	at  time.Time
	out chan time.Time
}

// Now implements relayer.Clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer implements relayer.Clock. A timer of zero or negative duration
// fires at once.
func (c *Clock) NewTimer(d time.Duration) relayer.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &clockTimer{c: c, at: c.now.Add(d), out: make(chan time.Time, 1)}
	if d <= 0 {
		t.out <- c.now
		return t
	}
	c.timers[t] = struct{}{}
	c.notifyLocked()
	return t
}

func (t *clockTimer) C() <-chan time.Time { return t.out }

func (t *clockTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	if _, ok := t.c.timers[t]; !ok {
		return false
	}
	delete(t.c.timers, t)
	t.c.notifyLocked()
	return true
}

func (c *Clock) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// Advance moves the clock forward by d and fires every timer due by then.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	fired := false
	for t := range c.timers {
		if !t.at.After(c.now) {
			delete(c.timers, t)
			t.out <- c.now
			fired = true
		}
	}
	if fired {
		c.notifyLocked()
	}
}

// Waiters returns how many timers are waiting to fire.
func (c *Clock) Waiters() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// BlockUntil waits until exactly n timers wait to fire, which, for an
// engine whose loops each sleep on one timer when idle, means they are all
// asleep again. It fails after timeout of real time.
func (c *Clock) BlockUntil(n int, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		c.mu.Lock()
		got, changed := len(c.timers), c.changed
		c.mu.Unlock()
		if got == n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("%d timers waiting after %s, want %d", got, timeout, n)
		}
	}
}

// Run advances the clock by step every tick of real time until the
// returned stop is called: engine time runs on its own, step/tick times
// faster than the wall clock.
func (c *Clock) Run(step, tick time.Duration) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				c.Advance(step)
			case <-done:
				return
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(done); <-finished })
	}
}
