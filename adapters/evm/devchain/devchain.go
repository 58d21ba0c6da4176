// Package devchain runs an in-process EVM chain (go-ethereum's simulated
// backend) that answers JSON-RPC on an IPC socket, so that the EVM adapter
// talks to it exactly as to a real node. It backs `liaison demo` and the
// adapter's integration tests. It mines a block every BlockTime, at most
// one a second: a block's timestamp is whole seconds and must exceed its
// parent's, so faster blocks would run the chain's clock ahead of the wall
// clock, and every latency measured against it with it.
package devchain

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"path/filepath"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
)

// Options configure a chain.
type Options struct {
	// Dir holds the IPC socket; it must exist and its path be short (Unix
	// sockets are limited to about 100 bytes).
	Dir string
	// BlockTime is the mining period; zero means blocks are mined only by
	// Commit. Below a second, a block comes as soon as the wall clock's
	// second has moved past the last block's timestamp.
	BlockTime time.Duration
	// Funded accounts get 1000 ether at genesis.
	Funded []common.Address
}

// Chain is a running in-process chain.
type Chain struct {
	Backend *simulated.Backend
	Client  simulated.Client
	// IPC is the endpoint to configure in the adapter.
	IPC string
	// ChainID is the EVM chain id (1337).
	ChainID *big.Int
	// Deployer is a funded key used to deploy and publish.
	Deployer *ecdsa.PrivateKey

	mu       sync.Mutex // serialises Commit, guards lastTime
	lastTime int64      // the last block's timestamp, as the backend sets it
	stop     chan struct{}
	done     chan struct{}
}

// Start starts a chain. Close stops it.
func Start(opts Options) (*Chain, error) {
	deployer, err := crypto.GenerateKey()
	if err != nil {
		return nil, err
	}
	alloc := types.GenesisAlloc{}
	balance := new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))
	alloc[crypto.PubkeyToAddress(deployer.PublicKey)] = types.Account{Balance: balance}
	for _, a := range opts.Funded {
		alloc[a] = types.Account{Balance: balance}
	}
	ipc := filepath.Join(opts.Dir, "geth.ipc")
	b := simulated.NewBackend(alloc, func(nc *node.Config, ec *ethconfig.Config) {
		nc.IPCPath = ipc
	})
	c := &Chain{Backend: b, Client: b.Client(), IPC: ipc, Deployer: deployer, stop: make(chan struct{}), done: make(chan struct{})}
	if c.ChainID, err = c.Client.ChainID(context.Background()); err != nil {
		b.Close()
		return nil, err
	}
	if opts.BlockTime > 0 {
		go c.mine(opts.BlockTime)
	} else {
		close(c.done)
	}
	return c, nil
}

func (c *Chain) mine(every time.Duration) {
	defer close(c.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case now := <-t.C:
			c.mu.Lock()
			behind := now.Unix() > c.lastTime
			c.mu.Unlock()
			if behind {
				c.Commit()
			}
		}
	}
}

// Commit mines a block now.
func (c *Chain) Commit() common.Hash {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.Backend.Commit()
	if hdr, err := c.Client.HeaderByHash(context.Background(), h); err == nil {
		c.lastTime = int64(hdr.Time)
	} else {
		// The simulated beacon stamps a block with the wall clock's
		// second, or its parent's plus one when that is not later.
		c.lastTime = max(time.Now().Unix(), c.lastTime+1)
	}
	return h
}

// Close stops mining and the chain.
func (c *Chain) Close() error {
	select {
	case <-c.stop:
	default:
		close(c.stop)
	}
	<-c.done
	return c.Backend.Close()
}

// Opts returns transaction options for the deployer.
func (c *Chain) Opts(ctx context.Context) *bind.TransactOpts {
	o := bind.NewKeyedTransactor(c.Deployer, c.ChainID)
	o.Context = ctx
	return o
}

// Wait waits until tx is mined and fails unless it succeeded.
func (c *Chain) Wait(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
	r, err := bind.WaitMined(ctx, c.Client, tx.Hash())
	if err != nil {
		return nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, fmt.Errorf("transaction %s reverted", tx.Hash())
	}
	return r, nil
}

// DeployOutbox deploys an Outbox for the chain name and waits for it.
func (c *Chain) DeployOutbox(ctx context.Context, chainName string) (common.Address, error) {
	ob := contracts.NewOutbox()
	addr, tx, err := bind.DeployContract(c.Opts(ctx), common.FromHex(contracts.OutboxMetaData.Bin), c.Client, ob.PackConstructor(chainName))
	if err != nil {
		return common.Address{}, fmt.Errorf("deploy outbox: %w", err)
	}
	if _, err := c.Wait(ctx, tx); err != nil {
		return common.Address{}, fmt.Errorf("deploy outbox: %w", err)
	}
	return addr, nil
}

// DeployInbox deploys an Inbox with the deployer as admin and waits for it.
func (c *Chain) DeployInbox(ctx context.Context, chainName string, attestors []common.Address, threshold int64) (common.Address, error) {
	ib := contracts.NewInbox()
	admin := crypto.PubkeyToAddress(c.Deployer.PublicKey)
	addr, tx, err := bind.DeployContract(c.Opts(ctx), common.FromHex(contracts.InboxMetaData.Bin), c.Client,
		ib.PackConstructor(chainName, admin, attestors, big.NewInt(threshold)))
	if err != nil {
		return common.Address{}, fmt.Errorf("deploy inbox: %w", err)
	}
	if _, err := c.Wait(ctx, tx); err != nil {
		return common.Address{}, fmt.Errorf("deploy inbox: %w", err)
	}
	return addr, nil
}

// Message is one record to publish.
type Message struct {
	Destination, Receiver, ContentType string
	Payload                            []byte
}

// Publish sends one Outbox.publish transaction per message, with
// consecutive nonces, without waiting for them to be mined.
func (c *Chain) Publish(ctx context.Context, outbox common.Address, msgs []Message) ([]*types.Transaction, error) {
	ob := contracts.NewOutbox()
	from := crypto.PubkeyToAddress(c.Deployer.PublicKey)
	nonce, err := c.Client.PendingNonceAt(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("publish: nonce: %w", err)
	}
	head, err := c.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("publish: head: %w", err)
	}
	tip := big.NewInt(1e9)
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(4)), tip)
	signer := types.LatestSignerForChainID(c.ChainID)
	out := make([]*types.Transaction, 0, len(msgs))
	for i, m := range msgs {
		tx, err := types.SignNewTx(c.Deployer, signer, &types.DynamicFeeTx{
			ChainID: c.ChainID, Nonce: nonce + uint64(i), GasTipCap: tip, GasFeeCap: feeCap,
			Gas: 400000 + uint64(len(m.Payload))*100, To: &outbox,
			Data: ob.PackPublish(m.Destination, m.Receiver, m.ContentType, m.Payload),
		})
		if err != nil {
			return nil, err
		}
		if err := c.Client.SendTransaction(ctx, tx); err != nil {
			return nil, fmt.Errorf("publish: send: %w", err)
		}
		out = append(out, tx)
	}
	return out, nil
}
