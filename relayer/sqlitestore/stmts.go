package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"math/bits"
	"strings"
)

// The writer's statements are prepared once, when the store opens, on its
// one connection; a store transaction binds them with tx.StmtContext,
// which reuses the connection's prepared statement. Preparing them in each
// transaction, as the store first did, spent about a tenth of the engine
// benchmark's CPU parsing SQL.
//
// Statements that write many rows repeat one VALUES row; they are
// prepared for each power-of-two row count up to maxRows, and a write of n
// rows runs one statement per set bit of n (largest first).

// maxRows is the largest row count of a multi-row statement; with at
// most 16 values a row, 4,096 parameters, well under SQLite's 32,766.
const maxRows = 256

// multiRow is a statement prepared for row counts 1, 2, 4, ... maxRows.
type multiRow struct {
	cols  int
	stmts []*sql.Stmt // stmts[i] takes 1<<i rows
}

func prepareMultiRow(ctx context.Context, db *sql.DB, head, row, tail string, cols int) (*multiRow, error) {
	m := &multiRow{cols: cols}
	for k := 1; k <= maxRows; k *= 2 {
		q := head + strings.TrimSuffix(strings.Repeat(row+",", k), ",") + tail
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			m.close()
			return nil, err
		}
		m.stmts = append(m.stmts, st)
	}
	return m, nil
}

// each runs f for consecutive chunks of args (cols values a row), each
// with the statement of its row count, in order.
func (m *multiRow) each(ctx context.Context, tx *sql.Tx, args []any, f func(st *sql.Stmt, args []any) error) error {
	if len(args)%m.cols != 0 {
		return errors.New("sqlite store: multi-row statement given a partial row")
	}
	for len(args) > 0 {
		i := min(bits.Len(uint(len(args)/m.cols))-1, len(m.stmts)-1)
		n := (1 << i) * m.cols
		if err := f(tx.StmtContext(ctx, m.stmts[i]), args[:n]); err != nil {
			return err
		}
		args = args[n:]
	}
	return nil
}

// exec runs the statement over args, discarding results.
func (m *multiRow) exec(ctx context.Context, tx *sql.Tx, args []any) error {
	return m.each(ctx, tx, args, func(st *sql.Stmt, args []any) error {
		_, err := st.ExecContext(ctx, args...)
		return err
	})
}

func (m *multiRow) close() {
	if m == nil {
		return
	}
	for _, st := range m.stmts {
		st.Close()
	}
}

// writeStmts are the writer's prepared statements.
type writeStmts struct {
	observe  *multiRow // INSERT INTO records ... RETURNING n, id
	events   *multiRow // INSERT INTO events
	update   *multiRow // UPDATE records ... FROM (VALUES ...) RETURNING route, id, n
	evidence *multiRow // INSERT INTO evidence
	cursor   *sql.Stmt
	batch    *sql.Stmt
}

func prepareWriteStmts(ctx context.Context, db *sql.DB) (*writeStmts, error) {
	w := &writeStmts{}
	var err error
	prep := func(head, row, tail string, cols int) *multiRow {
		if err != nil {
			return nil
		}
		var m *multiRow
		m, err = prepareMultiRow(ctx, db, head, row, tail, cols)
		return m
	}
	w.observe = prep(`INSERT INTO records (`+insertCols+`) VALUES `,
		`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'observed', 0, 0, NULL, NULL, '', '', ?, ?, ?, ?, '')`,
		` ON CONFLICT (route, id) DO NOTHING RETURNING n, id`, observeCols)
	w.events = prep(`INSERT INTO events (rec, at, stage, chain, tx, attempt, detail, error) VALUES `,
		`(?, ?, ?, ?, ?, ?, ?, ?)`, ``, eventCols)
	// One row per transition: route, id, from, to, attempts, next_at,
	// last_error, prepared (NULL keeps it), dest_tx ('' keeps it), batch
	// ('' keeps it), clear_batch, updated_at. The join on (route, id) uses
	// the records' unique index; a record not in the From state is not
	// updated and not returned.
	w.update = prep(`UPDATE records SET state = v.column4, attempts = v.column5, next_at = v.column6,
		last_error = v.column7, prepared = coalesce(v.column8, records.prepared),
		dest_tx = CASE WHEN v.column9 = '' THEN records.dest_tx ELSE v.column9 END,
		batch = CASE WHEN v.column11 THEN '' WHEN v.column10 = '' THEN records.batch ELSE v.column10 END,
		updated_at = v.column12
		FROM (VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		`) AS v WHERE records.route = v.column1 AND records.id = v.column2 AND records.state = v.column3
		RETURNING records.route, records.id, records.n`, updateCols)
	w.evidence = prep(`INSERT INTO evidence (rec, bundle) VALUES `, `(?, ?)`,
		` ON CONFLICT (rec) DO UPDATE SET bundle = excluded.bundle`, 2)
	if err == nil {
		w.cursor, err = db.PrepareContext(ctx, `INSERT INTO cursors (route, cursor, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (route) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`)
	}
	if err == nil {
		w.batch, err = db.PrepareContext(ctx, `INSERT INTO batches (id, route, dest_tx, prepared, size, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`)
	}
	if err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

func (w *writeStmts) close() {
	for _, m := range []*multiRow{w.observe, w.events, w.update, w.evidence} {
		m.close()
	}
	for _, st := range []*sql.Stmt{w.cursor, w.batch} {
		if st != nil {
			st.Close()
		}
	}
}

const (
	observeCols = 16
	eventCols   = 8
	updateCols  = 12
)
