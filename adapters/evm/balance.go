package evm

import (
	"context"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
)

// SignerBalance returns the balance of the signer's account in wei (the
// unit it returns with it), at the latest block, from the first endpoint
// that answers. A chain without signer.key has no balance to watch: it
// returns an error.
func (c *Chain) SignerBalance(ctx context.Context) (*big.Int, string, error) {
	if c.key == nil {
		return nil, "", errors.New("chain " + string(c.name) + " has no signer.key")
	}
	addr := crypto.PubkeyToAddress(c.key.PublicKey)
	var bal hexutil.Big
	err := c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		return ep.call(ctx, &bal, "eth_getBalance", addr, rpc.LatestBlockNumber)
	})
	if err != nil {
		return nil, "", err
	}
	return bal.ToInt(), "wei", nil
}
