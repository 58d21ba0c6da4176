package relayertest

import (
	"context"
	"errors"
	"sync"

	"github.com/liaison-gw/liaison/relayer"
)

// CrashMode says what happens to the write at which a CrashingStore dies.
type CrashMode int

const (
	// CrashBeforeWrite loses the write: the process died before it.
	CrashBeforeWrite CrashMode = iota
	// CrashAfterWrite commits the write, then dies before anyone learns.
	CrashAfterWrite
)

func (m CrashMode) String() string {
	if m == CrashAfterWrite {
		return "after-write"
	}
	return "before-write"
}

// ErrCrashed is what every write returns once a CrashingStore has died.
var ErrCrashed = errors.New("simulated crash: the process is dead")

// CrashingStore wraps a store and dies at its At-th write (1-based; 0 never
// dies). Writes are serialised, so "the At-th write" is well defined even
// with concurrent writers. After the crash every write fails and OnCrash
// has run, so the test can also cut the fake ledgers off from the dead
// process.
type CrashingStore struct {
	relayer.Store
	At      int
	Mode    CrashMode
	OnCrash func()

	mu      sync.Mutex
	writes  int
	crashed bool
}

// Writes returns the number of writes attempted so far.
func (s *CrashingStore) Writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

// Crashed reports whether the store has died.
func (s *CrashingStore) Crashed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.crashed
}

func (s *CrashingStore) write(f func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.crashed {
		return ErrCrashed
	}
	s.writes++
	if s.writes != s.At {
		return f()
	}
	if s.Mode == CrashAfterWrite {
		if err := f(); err != nil {
			return err
		}
	}
	s.crashed = true
	if s.OnCrash != nil {
		s.OnCrash()
	}
	return ErrCrashed
}

// Observe implements relayer.RecordStore.
func (s *CrashingStore) Observe(ctx context.Context, route string, recs []relayer.NewRecord, next relayer.Cursor) error {
	return s.write(func() error { return s.Store.Observe(ctx, route, recs, next) })
}

// Apply implements relayer.RecordStore.
func (s *CrashingStore) Apply(ctx context.Context, ts []relayer.Transition) (applied []bool, err error) {
	err = s.write(func() error {
		applied, err = s.Store.Apply(ctx, ts)
		return err
	})
	return applied, err
}

// ReplaceAnchors implements relayer.TrustStore.
func (s *CrashingStore) ReplaceAnchors(ctx context.Context, a relayer.Anchor) error {
	return s.write(func() error { return s.Store.ReplaceAnchors(ctx, a) })
}

// SaveAnchor implements relayer.TrustStore.
func (s *CrashingStore) SaveAnchor(ctx context.Context, a relayer.Anchor) error {
	return s.write(func() error { return s.Store.SaveAnchor(ctx, a) })
}
