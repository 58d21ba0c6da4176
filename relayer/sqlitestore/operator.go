package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/liaison-gw/liaison/relayer"
)

// Retry implements relayer.Operator.
func (s *Store) Retry(ctx context.Context, a relayer.OperatorAction) (from, to relayer.State, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var (
			n        int64
			state    string
			destTx   string
			prepared []byte
			verified bool
		)
		err := tx.QueryRowContext(ctx, `SELECT n, state, dest_tx, prepared, EXISTS (SELECT 1 FROM evidence WHERE evidence.rec = records.n)
			FROM records WHERE route = ? AND id = ?`,
			a.Key.Route, a.Key.ID[:]).Scan(&n, &state, &destTx, &prepared, &verified)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("record %s: %w", a.Key, relayer.ErrNotFound)
		}
		if err != nil {
			return err
		}
		from = relayer.State(state)
		if from.Terminal() {
			return fmt.Errorf("%w: record %s is %s: there is nothing to retry", relayer.ErrConflict, a.Key, from)
		}
		// A record that may have reached the destination goes back to
		// submitting, so the engine asks the destination before it sends
		// it again, with the evidence it verified. Any record that passed
		// verification may have: a send can land and still fail (the
		// connection drops after the node took it), leaving no
		// destination transaction on a destination that does not
		// prepare. Only records that never passed it are proven afresh.
		to = relayer.StateObserved
		if verified || destTx != "" || len(prepared) > 0 || from == relayer.StateSubmitting || from == relayer.StateSubmitted {
			to = relayer.StateSubmitting
		}
		if _, err := tx.ExecContext(ctx, `UPDATE records SET state = ?, attempts = 0, next_at = 0, last_error = '', updated_at = ? WHERE n = ?`,
			string(to), a.At.UnixNano(), n); err != nil {
			return err
		}
		return s.audit(ctx, tx, n, a, from, to)
	})
	return from, to, err
}

// Skip implements relayer.Operator.
func (s *Store) Skip(ctx context.Context, a relayer.OperatorAction) (from relayer.State, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var (
			n     int64
			state string
		)
		err := tx.QueryRowContext(ctx, `SELECT n, state FROM records WHERE route = ? AND id = ?`, a.Key.Route, a.Key.ID[:]).Scan(&n, &state)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("record %s: %w", a.Key, relayer.ErrNotFound)
		}
		if err != nil {
			return err
		}
		from = relayer.State(state)
		switch {
		case from.Terminal():
			return fmt.Errorf("%w: record %s is already %s", relayer.ErrConflict, a.Key, from)
		case from == relayer.StateSubmitting || from == relayer.StateSubmitted:
			// Its transaction may be on the destination: "skipped" would
			// say it was not delivered when it may be. Wait for it to be
			// confirmed, or to go dead.
			return fmt.Errorf("%w: record %s is %s: its delivery may be on the destination already; "+
				"skip it once it is dead, or let it be confirmed", relayer.ErrConflict, a.Key, from)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE records SET state = 'skipped', next_at = 0, updated_at = ? WHERE n = ?`, a.At.UnixNano(), n); err != nil {
			return err
		}
		return s.audit(ctx, tx, n, a, from, relayer.StateSkipped)
	})
	return from, err
}

func (s *Store) audit(ctx context.Context, tx *sql.Tx, rec int64, a relayer.OperatorAction, from, to relayer.State) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, route, record_id, reason, from_state, to_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		a.At.UnixNano(), a.Actor, a.Action, a.Key.Route, a.Key.ID[:], a.Reason, string(from), string(to)); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO events (rec, at, stage, detail) VALUES (?, ?, ?, ?)`, rec, a.At.UnixNano(),
		string(relayer.StageOperator), fmt.Sprintf("%s by %s: %s (%s → %s)", a.Action, a.Actor, a.Reason, from, to))
	return err
}

// Audit implements relayer.Operator.
func (s *Store) Audit(ctx context.Context, limit int) ([]relayer.AuditEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.r.QueryContext(ctx, `SELECT at, actor, action, route, record_id, reason, from_state, to_state
		FROM (SELECT * FROM audit ORDER BY n DESC LIMIT ?) ORDER BY n`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []relayer.AuditEntry
	for rows.Next() {
		var (
			e    relayer.AuditEntry
			at   int64
			id   []byte
			f, t string
		)
		if err := rows.Scan(&at, &e.Actor, &e.Action, &e.Key.Route, &id, &e.Reason, &f, &t); err != nil {
			return nil, err
		}
		e.At = fromNanos(at)
		copy(e.Key.ID[:], id)
		e.From, e.To = relayer.State(f), relayer.State(t)
		out = append(out, e)
	}
	return out, rows.Err()
}
