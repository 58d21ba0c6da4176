package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/liaison-gw/liaison/relayer"
)

// SaveAnchor implements relayer.TrustStore.
func (s *Store) SaveAnchor(ctx context.Context, a relayer.Anchor) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO anchors (chain, height, scheme, digest, state, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (chain, digest) DO NOTHING`,
		string(a.Chain), int64(a.Height), a.Scheme, a.Digest, []byte(a.State), time.Now().UnixNano())
	return err
}

// LatestAnchor implements relayer.TrustStore.
func (s *Store) LatestAnchor(ctx context.Context, chain relayer.ChainID) (relayer.Anchor, error) {
	return s.anchor(ctx, `SELECT chain, height, scheme, digest, state FROM anchors WHERE chain = ? ORDER BY height DESC, n DESC LIMIT 1`, chain)
}

// AnchorByDigest implements relayer.TrustStore.
func (s *Store) AnchorByDigest(ctx context.Context, chain relayer.ChainID, digest string) (relayer.Anchor, error) {
	return s.anchor(ctx, `SELECT chain, height, scheme, digest, state FROM anchors WHERE chain = ? AND digest = ?`, chain, digest)
}

func (s *Store) anchor(ctx context.Context, q string, args ...any) (relayer.Anchor, error) {
	var (
		a      relayer.Anchor
		height int64
		state  []byte
	)
	err := s.r.QueryRowContext(ctx, q, args...).Scan(&a.Chain, &height, &a.Scheme, &a.Digest, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("anchor of chain %q: %w", args[0], relayer.ErrNotFound)
	}
	a.Height, a.State = relayer.Height(height), state
	return a, err
}
