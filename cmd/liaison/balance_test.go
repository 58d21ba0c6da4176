package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"testing"
)

type fakeBalance struct {
	wei *big.Int
	err error
}

func (f *fakeBalance) SignerBalance(context.Context) (*big.Int, error) { return f.wei, f.err }

// TestSignerBalanceStates walks one signer's balance across the
// configured thresholds, and through a failed read.
func TestSignerBalanceStates(t *testing.T) {
	coins := func(c int64) *big.Int { return new(big.Int).Mul(big.NewInt(c), big.NewInt(1e18)) }
	f := &fakeBalance{}
	c := &watchedBalance{name: "procurement", r: f, warn: coins(10), critical: coins(1), state: balanceUnknown}
	w := &signerBalances{log: slog.New(slog.NewTextHandler(io.Discard, nil)), chains: []*watchedBalance{c}}
	for _, step := range []struct {
		wei   *big.Int
		err   error
		state string
		coins float64
	}{
		{coins(50), nil, balanceOK, 50},
		{coins(10), nil, balanceOK, 10}, // at the threshold is not below it
		{new(big.Int).Sub(coins(10), big.NewInt(1)), nil, balanceWarning, 10},
		{big.NewInt(5e17), nil, balanceCritical, 0.5},
		{nil, errors.New("endpoint down"), balanceUnknown, 0.5}, // the last balance read stays
		{coins(2), nil, balanceWarning, 2},
	} {
		f.wei, f.err = step.wei, step.err
		w.read(context.Background(), c)
		if c.state != step.state || c.coins != step.coins || !c.known {
			t.Fatalf("balance %v (err %v): state %s, %v coins; want %s, %v", step.wei, step.err, c.state, c.coins, step.state, step.coins)
		}
	}
}
