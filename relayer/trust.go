package relayer

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// trustKeeper caches the anchors of each source chain. Every anchor the
// relayer ever trusted stays in the store, so that evidence built against an
// older anchor can still be checked against exactly that anchor.
type trustKeeper struct {
	store TrustStore

	mu     sync.Mutex // guards latest and known
	latest map[ChainID]Anchor
	known  map[string]Anchor // by digest
}

func newTrustKeeper(s TrustStore) *trustKeeper {
	return &trustKeeper{store: s, latest: map[ChainID]Anchor{}, known: map[string]Anchor{}}
}

// bootstrap stores the configured anchor when the store has none for the
// chain or holds a lower one: an operator who moves a checkpoint forward in
// the config expects it to take effect.
func (k *trustKeeper) bootstrap(ctx context.Context, b TrustBootstrapper) (Anchor, error) {
	a, err := b.Bootstrap(ctx)
	if err != nil {
		return Anchor{}, err
	}
	if err := a.CheckDigest(); err != nil {
		return Anchor{}, fmt.Errorf("bootstrap anchor of %s: %w", a.Chain, err)
	}
	stored, err := k.store.LatestAnchor(ctx, a.Chain)
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return Anchor{}, err
	case stored.Height > a.Height:
		return stored, nil
	}
	// A configured anchor the store does not hold is the operator's new
	// word on the chain: it replaces every anchor trusted before, which
	// may descend from a checkpoint the operator found wrong or a key that
	// leaked. Restarting with the same configuration keeps them.
	_, err = k.store.AnchorByDigest(ctx, a.Chain, a.Digest)
	switch {
	case errors.Is(err, ErrNotFound):
		if err := k.store.ReplaceAnchors(ctx, a); err != nil {
			return Anchor{}, err
		}
	case err != nil:
		return Anchor{}, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for d, old := range k.known {
		if old.Chain == a.Chain && d != a.Digest {
			delete(k.known, d)
		}
	}
	k.latest[a.Chain] = a
	k.known[a.Digest] = a
	return a, nil
}

// current returns the chain's highest trusted anchor.
func (k *trustKeeper) current(ctx context.Context, chain ChainID) (Anchor, error) {
	k.mu.Lock()
	a, ok := k.latest[chain]
	k.mu.Unlock()
	if ok {
		return a, nil
	}
	a, err := k.store.LatestAnchor(ctx, chain)
	if errors.Is(err, ErrNotFound) {
		return Anchor{}, fmt.Errorf("%w: no trust anchor for chain %q: configure one", ErrPermanent, chain)
	}
	if err != nil {
		return Anchor{}, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if cur, ok := k.latest[chain]; !ok || cur.Height < a.Height {
		k.latest[chain] = a
	}
	k.known[a.Digest] = a
	return k.latest[chain], nil
}

// byDigest returns a trusted anchor of the chain by its digest.
func (k *trustKeeper) byDigest(ctx context.Context, chain ChainID, digest string) (Anchor, error) {
	k.mu.Lock()
	a, ok := k.known[digest]
	k.mu.Unlock()
	if ok && a.Chain == chain {
		return a, nil
	}
	a, err := k.store.AnchorByDigest(ctx, chain, digest)
	if errors.Is(err, ErrNotFound) {
		return Anchor{}, fmt.Errorf("%w: anchor %s of chain %q is not one this relayer trusts", ErrEvidence, digest, chain)
	}
	if err != nil {
		return Anchor{}, err
	}
	k.mu.Lock()
	k.known[digest] = a
	k.mu.Unlock()
	return a, nil
}

// advance stores a verified anchor and reports whether it became the
// chain's current one. One
// below the chain's current anchor is stored too: it records which anchor
// was in force at heights in between, for revoking trust models; only a
// higher one becomes current.
func (k *trustKeeper) advance(ctx context.Context, a Anchor) (bool, error) {
	k.mu.Lock()
	_, known := k.known[a.Digest]
	k.mu.Unlock()
	if known {
		return false, nil
	}
	// SaveAnchor keeps an anchor already stored, so no lookup is needed.
	if err := a.CheckDigest(); err != nil {
		return false, err
	}
	if err := k.store.SaveAnchor(ctx, a); err != nil {
		return false, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.known[a.Digest] = a
	if cur, ok := k.latest[a.Chain]; !ok || cur.Height < a.Height {
		k.latest[a.Chain] = a
		return true, nil
	}
	return false, nil
}

// inForce refuses a, of a revoking trust model, for a block at height h
// unless a is the anchor in force there: the highest trusted anchor at or
// below h (the latest stored among equals). A Fabric block cut after a
// config change must be checked under that change, never under the config
// it replaced (which may trust a revoked orderer or CA).
func (k *trustKeeper) inForce(ctx context.Context, a Anchor, h Height) error {
	if h < a.Height {
		return fmt.Errorf("%w: anchor %s is at height %d, above the record's block %d: it was not in force there", ErrEvidence, a.Digest, a.Height, h)
	}
	at, err := k.store.AnchorAt(ctx, a.Chain, h)
	if err != nil {
		return err
	}
	if at.Digest != a.Digest {
		return fmt.Errorf("%w: anchor %s (height %d) was replaced by %s at height %d, at or below the record's block %d: the block must be checked under the newer one",
			ErrEvidence, a.Digest, a.Height, at.Digest, at.Height, h)
	}
	return nil
}
