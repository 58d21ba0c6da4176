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
	wei   *big.Int
	denom string
	err   error
}

func (f *fakeBalance) SignerBalance(context.Context) (*big.Int, string, error) {
	return f.wei, f.denom, f.err
}

// TestSignerBalanceStates walks one signer's balance across the
// configured thresholds, and through a failed read.
func TestSignerBalanceStates(t *testing.T) {
	coins := func(c int64) *big.Int { return new(big.Int).Mul(big.NewInt(c), big.NewInt(1e18)) }
	f := &fakeBalance{denom: "wei"}
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
		if c.state != step.state || c.coins != step.coins || !c.known || c.denom != "ether" {
			t.Fatalf("balance %v (err %v): state %s, %v coins; want %s, %v", step.wei, step.err, c.state, c.coins, step.state, step.coins)
		}
	}
}

// TestSignerBalanceInBaseUnits: a Cosmos account's balance is reported and
// compared in its fee denomination's base units.
func TestSignerBalanceInBaseUnits(t *testing.T) {
	f := &fakeBalance{wei: big.NewInt(4_000_000), denom: "uatom"}
	c := &watchedBalance{name: "finance", r: f, warn: big.NewInt(5_000_000), critical: big.NewInt(1_000_000), state: balanceUnknown}
	w := &signerBalances{log: slog.New(slog.NewTextHandler(io.Discard, nil)), chains: []*watchedBalance{c}}
	w.read(context.Background(), c)
	if c.state != balanceWarning || c.coins != 4_000_000 || c.denom != "uatom" {
		t.Fatalf("state %s, %v %s; want warning, 4000000 uatom", c.state, c.coins, c.denom)
	}
}
