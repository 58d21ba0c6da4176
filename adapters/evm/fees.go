package evm

import (
	"context"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/liaison-gw/liaison/relayer"
)

// fees is the price of a transaction: a dynamic-fee (EIP-1559) tip and cap
// when the chain has a base fee, else a legacy gas price, which may be zero
// on free-gas GoQuorum and Besu networks.
type fees struct {
	dynamic  bool
	tip, cap *big.Int // dynamic
	price    *big.Int // legacy
}

// suggestFees prices a transaction for the next block: tip from
// eth_maxPriorityFeePerGas (or eth_gasPrice minus the base fee when the
// node lacks it) and cap = 2 × base fee + tip when the head has a base fee;
// eth_gasPrice otherwise.
func (c *Chain) suggestFees(ctx context.Context, ep *endpoint) (fees, error) {
	var head struct {
		BaseFee *hexutil.Big `json:"baseFeePerGas"`
	}
	if err := ep.call(ctx, &head, "eth_getBlockByNumber", rpc.LatestBlockNumber, false); err != nil {
		return fees{}, err
	}
	var price hexutil.Big
	if head.BaseFee == nil {
		if err := ep.call(ctx, &price, "eth_gasPrice"); err != nil {
			return fees{}, err
		}
		return fees{price: price.ToInt()}, nil
	}
	base := head.BaseFee.ToInt()
	var tip hexutil.Big
	if err := ep.call(ctx, &tip, "eth_maxPriorityFeePerGas"); err != nil {
		if errors.Is(err, relayer.ErrUnavailable) || ctx.Err() != nil {
			return fees{}, err
		}
		if err := ep.call(ctx, &price, "eth_gasPrice"); err != nil {
			return fees{}, err
		}
		tip = hexutil.Big(*new(big.Int).Sub(price.ToInt(), base))
		if tip.ToInt().Sign() < 0 {
			tip = hexutil.Big(*new(big.Int))
		}
	}
	cp := new(big.Int).Add(new(big.Int).Mul(base, big.NewInt(2)), tip.ToInt())
	return fees{dynamic: true, tip: new(big.Int).Set(tip.ToInt()), cap: cp}, nil
}

// feesOf returns the fees a transaction pays.
func feesOf(tx *types.Transaction) fees {
	if tx.Type() == types.LegacyTxType {
		return fees{price: tx.GasPrice()}
	}
	return fees{dynamic: true, tip: tx.GasTipCap(), cap: tx.GasFeeCap()}
}

// bumped returns the fees of a replacement for a transaction paying old:
// each price raised by percent (at least 10, which nodes require), rounded
// up, and at least the fresh suggestion. A zero price stays zero unless the
// suggestion is higher: a free-gas network has nothing to bump.
func bumped(old, fresh fees, percent int) fees {
	percent = max(percent, 10)
	up := func(x *big.Int) *big.Int {
		n := new(big.Int).Mul(x, big.NewInt(int64(100+percent)))
		n.Add(n, big.NewInt(99))
		return n.Div(n, big.NewInt(100))
	}
	maxOf := func(a, b *big.Int) *big.Int {
		if b != nil && b.Cmp(a) > 0 {
			return new(big.Int).Set(b)
		}
		return a
	}
	if !old.dynamic {
		f := fees{price: up(old.price)}
		if fresh.dynamic {
			f.price = maxOf(f.price, fresh.cap)
		} else {
			f.price = maxOf(f.price, fresh.price)
		}
		return f
	}
	f := fees{dynamic: true, tip: up(old.tip), cap: up(old.cap)}
	if fresh.dynamic {
		f.tip, f.cap = maxOf(f.tip, fresh.tip), maxOf(f.cap, fresh.cap)
	}
	if f.cap.Cmp(f.tip) < 0 {
		f.cap = new(big.Int).Set(f.tip)
	}
	return f
}

// same reports whether f and g are the same price.
func (f fees) same(g fees) bool {
	if f.dynamic != g.dynamic {
		return false
	}
	if f.dynamic {
		return f.tip.Cmp(g.tip) == 0 && f.cap.Cmp(g.cap) == 0
	}
	return f.price.Cmp(g.price) == 0
}

// tx returns unsigned transaction data paying f.
func (f fees) tx(chainID *big.Int, nonce, gas uint64, to common.Address, data []byte) types.TxData {
	if f.dynamic {
		return &types.DynamicFeeTx{ChainID: chainID, Nonce: nonce, GasTipCap: f.tip, GasFeeCap: f.cap, Gas: gas, To: &to, Value: new(big.Int), Data: data}
	}
	return &types.LegacyTx{Nonce: nonce, GasPrice: f.price, Gas: gas, To: &to, Value: new(big.Int), Data: data}
}
