package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/liaison-gw/liaison/relayer"
)

// SaveAnchor implements relayer.TrustStore.
func (s *Store) SaveAnchor(ctx context.Context, a relayer.Anchor) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO anchors (chain, height, scheme, emitter, digest, state, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chain, digest) DO NOTHING`,
		string(a.Chain), int64(a.Height), a.Scheme, []byte(a.Emitter), a.Digest, []byte(a.State), s.clock.Now().UnixNano())
	return err
}

// ReplaceAnchors implements relayer.TrustStore.
func (s *Store) ReplaceAnchors(ctx context.Context, a relayer.Anchor) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM anchors WHERE chain = ?`, string(a.Chain)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO anchors (chain, height, scheme, emitter, digest, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		string(a.Chain), int64(a.Height), a.Scheme, []byte(a.Emitter), a.Digest, []byte(a.State), s.clock.Now().UnixNano()); err != nil {
		return err
	}
	return tx.Commit()
}

// LatestAnchor implements relayer.TrustStore.
func (s *Store) LatestAnchor(ctx context.Context, chain relayer.ChainID) (relayer.Anchor, error) {
	return s.anchor(ctx, `SELECT chain, height, scheme, emitter, digest, state FROM anchors WHERE chain = ? ORDER BY height DESC, n DESC LIMIT 1`, chain)
}

// AnchorAt implements relayer.TrustStore.
func (s *Store) AnchorAt(ctx context.Context, chain relayer.ChainID, h relayer.Height) (relayer.Anchor, error) {
	return s.anchor(ctx, `SELECT chain, height, scheme, emitter, digest, state FROM anchors WHERE chain = ? AND height <= ? ORDER BY height DESC, n DESC LIMIT 1`, chain, int64(h))
}

// AnchorByDigest implements relayer.TrustStore.
func (s *Store) AnchorByDigest(ctx context.Context, chain relayer.ChainID, digest string) (relayer.Anchor, error) {
	return s.anchor(ctx, `SELECT chain, height, scheme, emitter, digest, state FROM anchors WHERE chain = ? AND digest = ?`, chain, digest)
}

func (s *Store) anchor(ctx context.Context, q string, args ...any) (relayer.Anchor, error) {
	var (
		a       relayer.Anchor
		height  int64
		state   []byte
		emitter []byte
	)
	err := s.r.QueryRowContext(ctx, q, args...).Scan(&a.Chain, &height, &a.Scheme, &emitter, &a.Digest, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("anchor of chain %q: %w", args[0], relayer.ErrNotFound)
	}
	a.Height, a.State, a.Emitter = relayer.Height(height), state, emitter
	return a, err
}
