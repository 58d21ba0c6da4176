package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/liaison-gw/liaison/relayer"
)

// insertCols are the records columns Observe writes; evidence is always
// NULL there (migration 8 keeps bundles in the evidence table).
const insertCols = `route, id, src_chain, src_height, src_tx, emitter, sequence, dest_chain, receiver,
	content_type, payload, payload_hash, state, attempts, next_at, evidence, prepared, dest_tx,
	last_error, traceparent, observed_at, updated_at, src_time, batch`

// entryCols is what scanEntry reads of a records row, the evidence from
// the evidence table: written once, it is not rewritten with the row on
// every state change.
const entryCols = `route, id, src_chain, src_height, src_tx, emitter, sequence, dest_chain, receiver,
	content_type, payload, payload_hash, state, attempts, next_at,
	(SELECT bundle FROM evidence WHERE evidence.rec = records.n), prepared, dest_tx,
	last_error, traceparent, observed_at, updated_at, src_time, batch`

type rowScanner interface{ Scan(...any) error }

func scanEntry(sc rowScanner) (relayer.Entry, error) {
	var (
		e                        relayer.Entry
		id, emitter, ph          []byte
		height, seq              int64
		state                    string
		nextAt, observed, update int64
		srcTime                  sql.NullInt64
	)
	err := sc.Scan(&e.Record.Route, &id, &e.Record.Source.Chain, &height, &e.Record.Source.TxID, &emitter, &seq,
		&e.Record.Destination, &e.Record.Receiver, &e.Record.ContentType, &e.Record.Payload, &ph,
		&state, &e.Attempts, &nextAt, &e.Evidence, &e.Prepared, &e.DestTx, &e.LastError, &e.TraceParent,
		&observed, &update, &srcTime, &e.Batch)
	if err != nil {
		return e, err
	}
	if len(id) != 32 || len(ph) != 32 {
		return e, fmt.Errorf("corrupt record row: id %d bytes, payload hash %d bytes", len(id), len(ph))
	}
	copy(e.Record.ID[:], id)
	copy(e.Record.PayloadHash[:], ph)
	e.Record.Source.Emitter = emitter
	e.Record.Source.Height = relayer.Height(height)
	e.Record.Source.Sequence = uint64(seq)
	e.State = relayer.State(state)
	e.NextAt, e.ObservedAt, e.UpdatedAt = fromNanos(nextAt), fromNanos(observed), fromNanos(update)
	if srcTime.Valid {
		e.Record.Source.Time = time.Unix(0, srcTime.Int64).UTC()
	}
	if e.Record.Payload == nil {
		e.Record.Payload = []byte{}
	}
	return e, nil
}

func scanEntries(rows *sql.Rows) ([]relayer.Entry, error) {
	defer rows.Close()
	var out []relayer.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Observe implements relayer.RecordStore.
func (s *Store) Observe(ctx context.Context, route string, recs []relayer.NewRecord, next relayer.Cursor) error {
	now := s.clock.Now().UnixNano()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if len(recs) > 0 {
			n, err := s.insertObserved(ctx, tx, route, recs, now)
			if err != nil {
				return err
			}
			events := eventRows{clock: s.clock}
			for i := range recs {
				if n[i] != 0 {
					events.add(n[i], recs[i].Event)
				}
			}
			if err := s.ws.events.exec(ctx, tx, events.args); err != nil {
				return err
			}
		}
		_, err := tx.StmtContext(ctx, s.ws.cursor).ExecContext(ctx, route, string(next), now)
		return err
	})
}

// insertObserved inserts recs in state observed, many rows per statement,
// ignoring keys already stored, and returns each one's row number, zero
// for those already stored (observed before a restart, or twice in recs).
func (s *Store) insertObserved(ctx context.Context, tx *sql.Tx, route string, recs []relayer.NewRecord, now int64) ([]int64, error) {
	out := make([]int64, len(recs))
	args := make([]any, 0, observeCols*len(recs))
	at := make(map[relayer.RecordID]int, len(recs))
	for i := range recs {
		r := &recs[i].Record
		payload := r.Payload
		if payload == nil {
			payload = []byte{}
		}
		args = append(args, route, r.ID[:], string(r.Source.Chain), int64(r.Source.Height), r.Source.TxID,
			[]byte(r.Source.Emitter), int64(r.Source.Sequence), string(r.Destination), r.Receiver, r.ContentType,
			payload, r.PayloadHash[:], recs[i].TraceParent, now, now, nullTime(r.Source.Time))
		if _, dup := at[r.ID]; !dup {
			at[r.ID] = i
		}
	}
	err := s.ws.observe.each(ctx, tx, args, func(st *sql.Stmt, args []any) error {
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				n  int64
				id []byte
			)
			if err := rows.Scan(&n, &id); err != nil {
				return err
			}
			var rid relayer.RecordID
			if len(id) != len(rid) {
				return fmt.Errorf("insert returned a record id of %d bytes", len(id))
			}
			i, ok := at[relayer.RecordID(id)]
			if !ok {
				return fmt.Errorf("insert returned record %x, which it was not given", id)
			}
			out[i] = n
		}
		return rows.Err()
	})
	return out, err
}

// eventRows collects the timeline events of one store transaction, to be
// inserted many rows per statement: per-statement overhead, not SQLite's
// own work, dominated the engine's writes when each event had its own.
type eventRows struct {
	args  []any
	clock relayer.Clock
	now   time.Time
}

func (b *eventRows) add(rec int64, e relayer.Event) {
	at := e.At
	if at.IsZero() {
		if b.now.IsZero() {
			b.now = b.clock.Now()
		}
		at = b.now
	}
	b.args = append(b.args, rec, at.UnixNano(), string(e.Stage), string(e.Chain), e.TxID, e.Attempt, e.Detail, e.Error)
}

// Cursor implements relayer.RecordStore.
func (s *Store) Cursor(ctx context.Context, route string) (relayer.Cursor, error) {
	var c string
	err := s.r.QueryRowContext(ctx, `SELECT cursor FROM cursors WHERE route = ?`, route).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return relayer.Cursor(c), err
}

// Due implements relayer.RecordStore.
func (s *Store) Due(ctx context.Context, dq relayer.DueQuery) ([]relayer.Entry, error) {
	route, now, limit, exclude, states := dq.Route, dq.Now, dq.Limit, dq.Exclude, dq.States
	q := `SELECT ` + entryCols + ` FROM records INDEXED BY records_due
		WHERE route = ? AND state NOT IN ` + inactiveStates + ` AND next_at <= ?`
	if dq.Unbatched && len(states) == 2 && slices.Contains(states, relayer.StateSubmitting) && slices.Contains(states, relayer.StateSubmitted) {
		// Records submitted one by one on a route that batches now.
		q = `SELECT ` + entryCols + ` FROM records INDEXED BY records_unbatched_sent
			WHERE route = ? AND state IN ('submitting', 'submitted') AND batch = '' AND next_at <= ?`
		states, dq.Unbatched = nil, false
	}
	if len(states) == 1 && (states[0] == relayer.StateObserved || states[0] == relayer.StateVerified) {
		// Schedulers and batch loops ask for these all the time;
		// records_due would scan every record of the other states.
		q = `SELECT ` + entryCols + ` FROM records INDEXED BY records_` + string(states[0]) + `
			WHERE route = ? AND state = '` + string(states[0]) + `' AND next_at <= ?`
		states = nil
	}
	args := []any{route, now.UnixNano()}
	if len(states) > 0 {
		q += ` AND state IN (` + strings.TrimSuffix(strings.Repeat("?,", len(states)), ",") + `)`
		for _, st := range states {
			args = append(args, string(st))
		}
	}
	if dq.Unbatched {
		q += ` AND batch = ''`
	}
	q += ` ORDER BY next_at, sequence LIMIT ?`
	args = append(args, limit+len(exclude))
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	all, err := scanEntries(rows)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, e := range all {
		if _, skip := exclude[e.Record.ID]; !skip && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

// DueBatches implements relayer.RecordStore.
func (s *Store) DueBatches(ctx context.Context, dq relayer.DueQuery) ([]string, error) {
	q := `SELECT batch FROM records INDEXED BY records_batched_sent
		WHERE route = ? AND state IN ('submitting', 'submitted') AND next_at <= ? AND batch != ''`
	args := []any{dq.Route, dq.Now.UnixNano()}
	if len(dq.States) > 0 {
		q += ` AND state IN (` + strings.TrimSuffix(strings.Repeat("?,", len(dq.States)), ",") + `)`
		for _, st := range dq.States {
			args = append(args, string(st))
		}
	}
	q += ` GROUP BY batch ORDER BY min(next_at), min(sequence) LIMIT ?`
	args = append(args, dq.Limit)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Head implements relayer.RecordStore.
func (s *Store) Head(ctx context.Context, route string) (relayer.Entry, error) {
	row := s.r.QueryRowContext(ctx, `SELECT `+entryCols+` FROM records INDEXED BY records_open
		WHERE route = ? AND state NOT IN `+closedStates+` ORDER BY sequence LIMIT 1`, route)
	e, err := scanEntry(row)
	if errors.Is(err, sql.ErrNoRows) {
		return e, relayer.ErrNotFound
	}
	return e, err
}

// Open implements relayer.RecordStore.
func (s *Store) Open(ctx context.Context, route string, limit int) ([]relayer.Entry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+entryCols+` FROM records INDEXED BY records_open
		WHERE route = ? AND state NOT IN `+closedStates+` ORDER BY sequence LIMIT ?`, route, limit)
	if err != nil {
		return nil, err
	}
	return scanEntries(rows)
}

// Batch implements relayer.RecordStore.
func (s *Store) Batch(ctx context.Context, id string) (relayer.BatchInfo, []relayer.Entry, error) {
	b := relayer.BatchInfo{ID: id}
	var created int64
	err := s.r.QueryRowContext(ctx, `SELECT route, dest_tx, prepared, size, created_at FROM batches WHERE id = ?`, id).
		Scan(&b.Route, &b.DestTx, &b.Prepared, &b.Size, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return b, nil, fmt.Errorf("batch %s: %w", id, relayer.ErrNotFound)
	}
	if err != nil {
		return b, nil, err
	}
	b.Created = fromNanos(created)
	// "batch != ''" lets SQLite use the partial index records_by_batch.
	rows, err := s.r.QueryContext(ctx, `SELECT `+entryCols+` FROM records INDEXED BY records_by_batch
		WHERE batch = ? AND batch != '' AND state NOT IN `+closedStates+` ORDER BY sequence`, id)
	if err != nil {
		return b, nil, err
	}
	members, err := scanEntries(rows)
	return b, members, err
}

// Apply implements relayer.RecordStore.
//
// Every transition of a call goes through one multi-row UPDATE, in chunks,
// joined on the record's key and its From state; evidence and timeline
// events follow, many rows per statement. A record named twice in ts is
// moved one transition at a time, in order, so that the second sees the
// first's result.
func (s *Store) Apply(ctx context.Context, ts []relayer.Transition) ([]bool, error) {
	applied := make([]bool, len(ts))
	recN := make([]int64, len(ts))
	now := s.clock.Now().UnixNano()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for i := range ts {
			if b := ts[i].NewBatch; b != nil {
				if _, err := tx.StmtContext(ctx, s.ws.batch).ExecContext(ctx,
					b.ID, b.Route, b.DestTx, b.Prepared, b.Size, nanos(b.Created)); err != nil {
					return err
				}
			}
		}
		if distinctKeys(ts) {
			if err := s.update(ctx, tx, ts, 0, now, applied, recN); err != nil {
				return err
			}
		} else {
			for i := range ts {
				if err := s.update(ctx, tx, ts[i:i+1], i, now, applied, recN); err != nil {
					return err
				}
			}
		}
		var evidence []any
		events := eventRows{clock: s.clock}
		for i := range ts {
			if !applied[i] {
				continue
			}
			if ts[i].Evidence != nil {
				evidence = append(evidence, recN[i], ts[i].Evidence)
			}
			for _, e := range ts[i].Events {
				events.add(recN[i], e)
			}
		}
		if err := s.ws.evidence.exec(ctx, tx, evidence); err != nil {
			return err
		}
		return s.ws.events.exec(ctx, tx, events.args)
	})
	if err != nil {
		return nil, err
	}
	return applied, nil
}

// distinctKeys reports whether no record appears twice in ts.
func distinctKeys(ts []relayer.Transition) bool {
	seen := make(map[relayer.Key]struct{}, len(ts))
	for i := range ts {
		if _, dup := seen[ts[i].Key]; dup {
			return false
		}
		seen[ts[i].Key] = struct{}{}
	}
	return true
}

// update applies ts, whose keys are distinct, and marks in applied and
// recN (indexed from off) those whose record was in the From state.
func (s *Store) update(ctx context.Context, tx *sql.Tx, ts []relayer.Transition, off int, now int64, applied []bool, recN []int64) error {
	args := make([]any, 0, updateCols*len(ts))
	at := make(map[relayer.Key]int, len(ts))
	for i := range ts {
		t := &ts[i]
		args = append(args, t.Key.Route, t.Key.ID[:], string(t.From), string(t.To), t.Attempts, nanos(t.NextAt),
			t.LastError, nullBytes(t.Prepared), t.DestTx, t.Batch, t.ClearBatch, now)
		at[t.Key] = off + i
	}
	return s.ws.update.each(ctx, tx, args, func(st *sql.Stmt, args []any) error {
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				k  relayer.Key
				id []byte
				n  int64
			)
			if err := rows.Scan(&k.Route, &id, &n); err != nil {
				return err
			}
			if len(id) != len(k.ID) {
				return fmt.Errorf("update returned a record id of %d bytes", len(id))
			}
			k.ID = relayer.RecordID(id)
			i, ok := at[k]
			if !ok {
				return fmt.Errorf("update returned record %s, which it was not given", k.ID)
			}
			applied[i], recN[i] = true, n
		}
		return rows.Err()
	})
}

// nullTime maps the zero time (unknown) to SQL NULL and any other time to
// Unix nanoseconds.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

// nullBytes maps nil to SQL NULL (keep the stored value) and a non-nil
// slice, even an empty one, to a value (replace it).
func nullBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

// Get implements relayer.Inspector.
func (s *Store) Get(ctx context.Context, id relayer.RecordID) ([]relayer.Entry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+entryCols+` FROM records WHERE id = ? ORDER BY n`, id[:])
	if err != nil {
		return nil, err
	}
	out, err := scanEntries(rows)
	if err == nil && len(out) == 0 {
		return nil, fmt.Errorf("record %s: %w", id, relayer.ErrNotFound)
	}
	return out, err
}

// List implements relayer.Inspector. Newest records come first.
func (s *Store) List(ctx context.Context, f relayer.Filter) ([]relayer.Entry, error) {
	es, _, err := s.ListPage(ctx, f)
	return es, err
}

// ListPage implements relayer.Inspector. The cursor is the row number of
// the page's last record: rows are numbered as records are observed, and
// a page lists lower numbers than the one before.
func (s *Store) ListPage(ctx context.Context, f relayer.Filter) ([]relayer.Entry, string, error) {
	q := `SELECT n, ` + entryCols + ` FROM records WHERE 1 = 1`
	var args []any
	if f.Route != "" {
		q += ` AND route = ?`
		args = append(args, f.Route)
	}
	if len(f.States) > 0 {
		q += ` AND state IN (` + strings.TrimSuffix(strings.Repeat("?,", len(f.States)), ",") + `)`
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	if f.SourceTx != "" {
		q += ` AND src_tx = ?`
		args = append(args, f.SourceTx)
	}
	if f.DestTx != "" {
		q += ` AND dest_tx = ?`
		args = append(args, f.DestTx)
	}
	if !f.Since.IsZero() {
		q += ` AND observed_at >= ?`
		args = append(args, f.Since.UnixNano())
	}
	if !f.Until.IsZero() {
		q += ` AND observed_at < ?`
		args = append(args, f.Until.UnixNano())
	}
	if f.PayloadField != "" {
		q += ` AND json_valid(CAST(payload AS TEXT)) AND CAST(json_extract(CAST(payload AS TEXT), ?) AS TEXT) = ?`
		args = append(args, "$."+f.PayloadField, f.PayloadValue)
	}
	if f.After != "" {
		after, err := strconv.ParseInt(f.After, 10, 64)
		if err != nil || after <= 0 {
			return nil, "", fmt.Errorf("%w: cursor %q is not one this store gave", relayer.ErrBadQuery, f.After)
		}
		q += ` AND n < ?`
		args = append(args, after)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	q += ` ORDER BY n DESC LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var (
		out  []relayer.Entry
		nums []int64
	)
	for rows.Next() {
		var n int64
		e, err := scanEntry(prefixed{rows, &n})
		if err != nil {
			return nil, "", err
		}
		out, nums = append(out, e), append(nums, n)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = strconv.FormatInt(nums[limit-1], 10)
	}
	return out, next, nil
}

// prefixed scans one leading column into n before the entry's.
type prefixed struct {
	sc rowScanner
	n  *int64
}

func (p prefixed) Scan(dest ...any) error { return p.sc.Scan(append([]any{p.n}, dest...)...) }

// Timeline implements relayer.Inspector.
func (s *Store) Timeline(ctx context.Context, key relayer.Key) ([]relayer.Event, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT e.at, e.stage, e.chain, e.tx, e.attempt, e.detail, e.error
		FROM events e JOIN records r ON r.n = e.rec WHERE r.route = ? AND r.id = ? ORDER BY e.n`, key.Route, key.ID[:])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []relayer.Event
	for rows.Next() {
		var (
			e  relayer.Event
			at int64
		)
		if err := rows.Scan(&at, &e.Stage, &e.Chain, &e.TxID, &e.Attempt, &e.Detail, &e.Error); err != nil {
			return nil, err
		}
		e.At = fromNanos(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Stats implements relayer.Inspector. Every route that has a cursor is
// listed, with zeros when it has nothing pending.
func (s *Store) Stats(ctx context.Context) ([]relayer.RouteStats, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT c.route,
			coalesce(sum(r.state != 'dead'), 0),
			coalesce(sum(r.state = 'dead'), 0),
			coalesce(min(CASE WHEN r.state != 'dead' THEN r.observed_at END), 0)
		FROM cursors c LEFT JOIN records r INDEXED BY records_open
			ON r.route = c.route AND r.state NOT IN `+closedStates+`
		GROUP BY c.route ORDER BY c.route`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []relayer.RouteStats
	for rows.Next() {
		var (
			st     relayer.RouteStats
			oldest int64
		)
		if err := rows.Scan(&st.Route, &st.Pending, &st.Dead, &oldest); err != nil {
			return nil, err
		}
		st.OldestPending = fromNanos(oldest)
		out = append(out, st)
	}
	return out, rows.Err()
}

// stageTimesQuery reads a route's records confirmed in a window with the
// times of their stages. It walks records_confirmed for the window and
// each record's events through events_by_rec, so its cost follows the
// records in the window, not the size of the store.
const stageTimesQuery = `
	SELECT r.id, r.src_time,
		min(CASE WHEN e.stage = 'observed' THEN e.at END),
		max(CASE WHEN e.stage = 'proven' THEN e.at END),
		max(CASE WHEN e.stage = 'verified' THEN e.at END),
		max(CASE WHEN e.stage = 'submitted' THEN e.at END),
		max(CASE WHEN e.stage IN ('confirmed', 'found-delivered') THEN e.at END)
	FROM records r INDEXED BY records_confirmed
		JOIN events e INDEXED BY events_by_rec ON e.rec = r.n
	WHERE r.route = ? AND r.state = 'confirmed' AND r.updated_at >= ? AND r.updated_at < ?
	GROUP BY r.n
	ORDER BY r.updated_at, r.n`

// StageTimes implements relayer.Inspector.
func (s *Store) StageTimes(ctx context.Context, q relayer.StageQuery) ([]relayer.StageTimes, error) {
	if q.Route == "" {
		return nil, errors.New("stage times: a route is required")
	}
	until := int64(math.MaxInt64)
	if !q.Until.IsZero() {
		until = q.Until.UnixNano()
	}
	rows, err := s.r.QueryContext(ctx, stageTimesQuery, q.Route, nanos(q.Since), until)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []relayer.StageTimes
	for rows.Next() {
		var (
			st relayer.StageTimes
			id []byte
			ts [6]sql.NullInt64
		)
		if err := rows.Scan(&id, &ts[0], &ts[1], &ts[2], &ts[3], &ts[4], &ts[5]); err != nil {
			return nil, err
		}
		if len(id) != 32 {
			return nil, fmt.Errorf("corrupt record row: id %d bytes", len(id))
		}
		copy(st.ID[:], id)
		for i, dst := range []*time.Time{&st.Source, &st.Observed, &st.Proven, &st.Verified, &st.Submitted, &st.Confirmed} {
			if ts[i].Valid {
				*dst = time.Unix(0, ts[i].Int64).UTC()
			}
		}
		out = append(out, st)
	}
	return out, rows.Err()
}
