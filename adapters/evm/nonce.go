package evm

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// selfTransferGas is the gas of a zero-value transfer to an account
// without code, the transaction that fills a nonce gap.
const selfTransferGas = 21000

// sender is the nonce manager of one signing address on one chain, shared
// by every destination of the Chain that signs with it. Its rules are in
// doc.go ("Nonces").
type sender struct {
	c      *Chain
	key    *ecdsa.PrivateKey
	addr   common.Address
	signer types.Signer

	syncMu sync.Mutex // held while the first nonce is read from the node

	mu       sync.Mutex // guards every field below
	synced   bool
	next     uint64                // the next fresh nonce
	free     []uint64              // nonces handed back, reused lowest first
	floor    uint64                // the account nonce last seen; lower free nonces are stale
	slots    map[*slot]struct{}    // outstanding transactions
	byHash   map[common.Hash]*slot // every hash of every outstanding slot
	gapNonce uint64                // the nonce of the gap being watched
	gapSince time.Time             // when it was first seen; zero: no gap
}

// slot is one nonce's use by one prepared transaction: the transaction as
// prepared, then its fee replacements.
type slot struct {
	nonce   uint64
	txs     []*types.Transaction
	sent    time.Time // the last time the latest tx was sent; zero if never
	touched time.Time // the last time it was prepared, sent or tracked
}

func (sl *slot) latest() *types.Transaction { return sl.txs[len(sl.txs)-1] }

func newSender(c *Chain, key *ecdsa.PrivateKey) *sender {
	return &sender{
		c: c, key: key, addr: crypto.PubkeyToAddress(key.PublicKey),
		signer: types.LatestSignerForChainID(c.chainID),
		slots:  map[*slot]struct{}{}, byHash: map[common.Hash]*slot{},
	}
}

// sign allocates a nonce, builds the transaction with build and signs it,
// and tracks it as prepared but not sent. The first call reads the
// account's pending nonce from ep.
func (s *sender) sign(ctx context.Context, ep *endpoint, build func(nonce uint64) types.TxData) (*types.Transaction, error) {
	if err := s.sync(ctx, ep); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var nonce uint64
	for len(s.free) > 0 && s.free[0] < s.floor {
		s.free = s.free[1:]
	}
	if len(s.free) > 0 {
		nonce, s.free = s.free[0], s.free[1:]
	} else {
		nonce = s.next
		s.next++
	}
	tx, err := types.SignNewTx(s.key, s.signer, build(nonce))
	if err != nil {
		s.giveBack(nonce)
		return nil, fmt.Errorf("sign: %w", err)
	}
	s.addSlot(&slot{nonce: nonce, txs: []*types.Transaction{tx}, touched: s.c.now()})
	return tx, nil
}

// sync reads the pending nonce once.
func (s *sender) sync(ctx context.Context, ep *endpoint) error {
	s.mu.Lock()
	synced := s.synced
	s.mu.Unlock()
	if synced {
		return nil
	}
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	s.mu.Lock()
	synced = s.synced
	s.mu.Unlock()
	if synced {
		return nil
	}
	n, err := ep.nonce(ctx, s.addr, true)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.next, s.synced = max(s.next, n), true
	s.mu.Unlock()
	return nil
}

// resync raises the next nonce to the node's pending nonce, after the node
// said a nonce was too low.
func (s *sender) resync(ctx context.Context, ep *endpoint) {
	n, err := ep.nonce(ctx, s.addr, true)
	if err != nil {
		s.c.log.Warn("could not re-read the account nonce", "chain", s.c.name, "address", s.addr.Hex(), "err", err)
		return
	}
	s.mu.Lock()
	s.next = max(s.next, n)
	s.mu.Unlock()
}

// giveBack returns an unused nonce for reuse. s.mu must be held.
func (s *sender) giveBack(nonce uint64) {
	if !slices.Contains(s.free, nonce) {
		s.free = append(s.free, nonce)
		slices.Sort(s.free)
	}
}

// release is giveBack for a nonce whose transaction the node refused.
func (s *sender) release(nonce uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.giveBack(nonce)
}

// addSlot tracks sl. s.mu must be held.
func (s *sender) addSlot(sl *slot) {
	s.slots[sl] = struct{}{}
	for _, tx := range sl.txs {
		s.byHash[tx.Hash()] = sl
	}
}

// track returns the slot of a prepared transaction, tracking it when this
// process does not know it (it was prepared before a restart); the next
// fresh nonce then moves past it.
func (s *sender) track(tx *types.Transaction) *slot {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sl, ok := s.byHash[tx.Hash()]; ok {
		return sl
	}
	sl := &slot{nonce: tx.Nonce(), txs: []*types.Transaction{tx}, touched: s.c.now()}
	s.addSlot(sl)
	if s.synced && tx.Nonce() >= s.next {
		s.next = tx.Nonce() + 1
	}
	s.free = slices.DeleteFunc(s.free, func(n uint64) bool { return n == tx.Nonce() })
	return sl
}

// slotOf returns the slot a hash belongs to, or nil.
func (s *sender) slotOf(hash common.Hash) *slot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byHash[hash]
}

// txsOf returns a copy of the slot's transactions, newest first.
func (s *sender) txsOf(sl *slot) []*types.Transaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(sl.txs)
	slices.Reverse(out)
	return out
}

// markSent records that the slot's latest transaction was (re)sent now.
func (s *sender) markSent(sl *slot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sl.sent = s.c.now()
	sl.touched = sl.sent
}

// sentAt returns when the slot's latest transaction was last sent.
func (s *sender) sentAt(sl *slot) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sl.sent
}

// addReplacement appends a replacement that was just sent.
func (s *sender) addReplacement(sl *slot, tx *types.Transaction) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sl.txs = append(sl.txs, tx)
	sl.sent = s.c.now()
	sl.touched = sl.sent
	if _, ok := s.slots[sl]; ok {
		s.byHash[tx.Hash()] = sl
	}
}

// forget stops tracking a slot whose outcome is final.
func (s *sender) forget(sl *slot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.slots, sl)
	for _, tx := range sl.txs {
		if s.byHash[tx.Hash()] == sl {
			delete(s.byHash, tx.Hash())
		}
	}
}

// seen records the account nonce read from the chain, and stops tracking
// slots below it that nobody has asked about for a long time: their nonce
// is used, and a record delivered without a final Confirm (the engine found
// it delivered) never asks again.
func (s *sender) seen(accountNonce uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.floor = max(s.floor, accountNonce)
	idle := max(10*s.c.cfg.Gas.StuckAfter, 10*time.Minute)
	now := s.c.now()
	for sl := range s.slots {
		if sl.nonce < accountNonce && now.Sub(sl.touched) > idle {
			delete(s.slots, sl)
			for _, tx := range sl.txs {
				if s.byHash[tx.Hash()] == sl {
					delete(s.byHash, tx.Hash())
				}
			}
		}
	}
}

// anyReceipt reports whether a transaction of the slot has a receipt.
func (s *sender) anyReceipt(ctx context.Context, ep *endpoint, sl *slot) (bool, error) {
	for _, tx := range s.txsOf(sl) {
		r, err := ep.receipt(ctx, tx.Hash())
		if err != nil {
			return false, err
		}
		if r != nil {
			return true, nil
		}
	}
	return false, nil
}

// replace re-signs a stuck slot's transaction with bumped fees and sends
// it. Failures are logged: the caller reports the transaction as pending in
// any case, and the next check tries again.
func (s *sender) replace(ctx context.Context, ep *endpoint, sl *slot) {
	old := s.txsOf(sl)[0]
	fresh, err := s.c.suggestFees(ctx, ep)
	if err != nil {
		s.c.log.Warn("stuck transaction: cannot price a replacement", "chain", s.c.name, "tx", old.Hash().Hex(), "err", err)
		return
	}
	f := bumped(feesOf(old), fresh, s.c.cfg.Gas.BumpPercent)
	if f.same(feesOf(old)) {
		// A free-gas network: a higher fee cannot help; send it again.
		s.c.log.Warn("transaction pending past gas.stuck_after on a zero-fee chain; sending it again", "chain", s.c.name, "tx", old.Hash().Hex(), "nonce", old.Nonce())
		if err := ep.send(ctx, old); err == nil || errors.Is(err, errAlreadyKnown) {
			s.markSent(sl)
		}
		return
	}
	tx, err := types.SignNewTx(s.key, s.signer, f.tx(s.c.chainID, old.Nonce(), old.Gas(), *old.To(), old.Data()))
	if err != nil {
		s.c.log.Error("stuck transaction: cannot sign a replacement", "chain", s.c.name, "tx", old.Hash().Hex(), "err", err)
		return
	}
	err = ep.send(ctx, tx)
	switch {
	case err == nil, errors.Is(err, errAlreadyKnown):
		s.addReplacement(sl, tx)
		s.c.log.Warn("replaced a transaction pending past gas.stuck_after with a higher fee",
			"chain", s.c.name, "nonce", old.Nonce(), "old_tx", old.Hash().Hex(), "new_tx", tx.Hash().Hex(),
			"old_fee_cap", feeCap(old), "new_fee_cap", feeCap(tx))
	case errors.Is(err, errNonceTooLow):
		// Mined meanwhile; the next check finds its receipt.
	default:
		s.c.log.Warn("stuck transaction: the replacement was not accepted", "chain", s.c.name, "tx", old.Hash().Hex(), "replacement", tx.Hash().Hex(), "err", err)
	}
}

func feeCap(tx *types.Transaction) string { return tx.GasFeeCap().String() }

// checkGap fills a nonce gap: transactions of ours wait above the account's
// nonce while nothing of ours is pending at it (its transaction was
// prepared and never sent, or dropped from the pool). When that has lasted
// longer than gas.stuck_after, it sends a zero-value transfer to ourselves
// at that nonce, so that the waiting transactions can be mined.
func (s *sender) checkGap(ctx context.Context, ep *endpoint, accountNonce uint64) {
	now := s.c.now()
	s.mu.Lock()
	waiting := false
	var cover []*types.Transaction
	for sl := range s.slots {
		if sl.sent.IsZero() {
			continue
		}
		switch {
		case sl.nonce > accountNonce:
			waiting = true
		case sl.nonce == accountNonce:
			cover = append(cover, sl.latest())
		}
	}
	if !waiting {
		s.gapSince = time.Time{}
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	for _, tx := range cover {
		known, err := ep.knows(ctx, tx.Hash())
		if err != nil || known {
			s.resetGap()
			return
		}
	}
	s.mu.Lock()
	if s.gapSince.IsZero() || s.gapNonce != accountNonce {
		s.gapNonce, s.gapSince = accountNonce, now
		s.mu.Unlock()
		s.c.log.Info("nonce gap: transactions wait above a nonce that nothing of ours fills", "chain", s.c.name,
			"address", s.addr.Hex(), "nonce", accountNonce, "fill_after", s.c.cfg.Gas.StuckAfter)
		return
	}
	if now.Sub(s.gapSince) < s.c.cfg.Gas.StuckAfter {
		s.mu.Unlock()
		return
	}
	s.gapSince = time.Time{}
	s.free = slices.DeleteFunc(s.free, func(n uint64) bool { return n == accountNonce })
	s.mu.Unlock()

	f, err := s.c.suggestFees(ctx, ep)
	if err != nil {
		s.c.log.Warn("nonce gap: cannot price the filler", "chain", s.c.name, "nonce", accountNonce, "err", err)
		return
	}
	for _, tx := range cover {
		f = bumped(feesOf(tx), f, s.c.cfg.Gas.BumpPercent)
	}
	tx, err := types.SignNewTx(s.key, s.signer, f.tx(s.c.chainID, accountNonce, selfTransferGas, s.addr, nil))
	if err != nil {
		s.c.log.Error("nonce gap: cannot sign the filler", "chain", s.c.name, "err", err)
		return
	}
	if err := ep.send(ctx, tx); err != nil && !errors.Is(err, errAlreadyKnown) {
		s.c.log.Warn("nonce gap: the filler was not accepted", "chain", s.c.name, "nonce", accountNonce, "tx", tx.Hash().Hex(), "err", err)
		return
	}
	s.c.log.Warn("filled a nonce gap with a zero-value transfer to ourselves; the transaction prepared for that nonce, if any, will not land",
		"chain", s.c.name, "address", s.addr.Hex(), "nonce", accountNonce, "tx", tx.Hash().Hex())
}

func (s *sender) resetGap() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gapSince = time.Time{}
}

// errNotOurs is returned for a prepared transaction this sender cannot
// have made.
var errNotOurs = errors.New("prepared transaction is not this relayer's")

// checkOurs checks that a prepared transaction is signed by s and calls to.
func (s *sender) checkOurs(tx *types.Transaction, to common.Address) error {
	from, err := types.Sender(s.signer, tx)
	switch {
	case err != nil:
		return fmt.Errorf("%w: %v", errNotOurs, err)
	case from != s.addr:
		return fmt.Errorf("%w: signed by %s, this relayer signs as %s", errNotOurs, from.Hex(), s.addr.Hex())
	case tx.To() == nil || *tx.To() != to:
		return fmt.Errorf("%w: it does not call the Inbox %s", errNotOurs, to.Hex())
	}
	return nil
}
