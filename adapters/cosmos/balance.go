package cosmos

import (
	"context"
	"fmt"
	"math/big"

	"google.golang.org/protobuf/encoding/protowire"
)

// SignerBalance returns the balance of the account that pays the chain's
// delivery fees, in the fee denomination of account.gas_price, in its base
// units, with that denomination. An account that pays no fees (no gas
// price) has no balance to watch: it returns an error.
func (c *Chain) SignerBalance(ctx context.Context) (*big.Int, string, error) {
	s, err := c.submitterOnce()
	if err != nil {
		return nil, "", err
	}
	if s.denom == "" {
		return nil, "", fmt.Errorf("chain %s: account.gas_price is not set: the account pays no fees, so no balance is watched", c.name)
	}
	// QueryBalanceRequest{address 1, denom 2}.
	req := protowire.AppendString(protowire.AppendTag(pbString(s.address), 2, protowire.BytesType), s.denom)
	var resp rawMsg
	err = c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		return ep.invoke(ctx, "/cosmos.bank.v1beta1.Query/Balance", &rawMsg{b: req}, &resp, 0)
	})
	if err != nil {
		return nil, "", err
	}
	// QueryBalanceResponse{balance 1: Coin{denom 1, amount 2}}.
	outer, err := pbFields(resp.b)
	if err != nil {
		return nil, "", fmt.Errorf("chain %s: balance of %s: %w", c.name, s.address, err)
	}
	coin, err := pbFields(pbBytes(outer, 1))
	if err != nil {
		return nil, "", fmt.Errorf("chain %s: balance of %s: %w", c.name, s.address, err)
	}
	if d := string(pbBytes(coin, 1)); d != "" && d != s.denom {
		return nil, "", fmt.Errorf("chain %s: asked the balance in %s, the node answered in %s", c.name, s.denom, d)
	}
	amount := string(pbBytes(coin, 2))
	if amount == "" {
		return new(big.Int), s.denom, nil // no coins of it
	}
	n, ok := new(big.Int).SetString(amount, 10)
	if !ok || n.Sign() < 0 {
		return nil, "", fmt.Errorf("chain %s: balance of %s: %q is not an amount", c.name, s.address, amount)
	}
	return n, s.denom, nil
}
