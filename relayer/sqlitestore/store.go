// Package sqlitestore is the embedded, default relayer.Store: one SQLite
// file in WAL mode, written through a single connection and read through a
// small pool. It needs no cgo (modernc.org/sqlite).
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/liaison-gw/liaison/relayer"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Options tune the store. The zero value is safe.
type Options struct {
	// Synchronous is SQLite's synchronous setting: "full" (default) keeps
	// every committed transition through a power loss; "normal" keeps them
	// through a process crash only.
	Synchronous string
	// ReadConns is the size of the read pool; default 4.
	ReadConns int
	// Clock stamps what the store writes (a record's last update); nil
	// means the wall clock. Give it the engine's clock.
	Clock relayer.Clock
}

// Store implements relayer.Store on SQLite.
type Store struct {
	w     *sql.DB // one connection: SQLite has one writer
	ws    *writeStmts
	r     *sql.DB
	clock relayer.Clock
}

var _ relayer.Store = (*Store)(nil)

// Open opens or creates the database at path and applies migrations.
func Open(path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite store: a path is required")
	}
	sync := strings.ToLower(opts.Synchronous)
	switch sync {
	case "":
		sync = "full"
	case "full", "normal":
	default:
		return nil, fmt.Errorf("sqlite store: synchronous %q: want full or normal", opts.Synchronous)
	}
	if opts.ReadConns <= 0 {
		opts.ReadConns = 4
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous("+sync+")")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Add("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	s := &Store{w: w, clock: opts.Clock}
	if s.clock == nil {
		s.clock = relayer.SystemClock()
	}
	if err := s.migrate(context.Background()); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	}
	if s.ws, err = prepareWriteStmts(context.Background(), w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn)
	if err != nil {
		s.ws.close()
		w.Close()
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	}
	r.SetMaxOpenConns(opts.ReadConns)
	s.r = r
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.ws.close()
	return errors.Join(s.r.Close(), s.w.Close())
}

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var v int
	err := s.w.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := s.w.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (0)`); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	case err != nil:
		return fmt.Errorf("migrate: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this build knows (%d): use a newer liaison", v, len(migrations))
	}
	for i := v; i < len(migrations); i++ {
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, i+1)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	return nil
}

func (s *Store) inTx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

const closedStates = `('confirmed', 'skipped')`
const inactiveStates = `('confirmed', 'skipped', 'dead')`
