package contracts_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
	"github.com/liaison-gw/liaison/relayer"
)

// recordDigest is the Go form of the digest rule that Outbox.publish stores
// and Inbox counts votes for:
//
//	keccak256(abi.encode(bytes32 id, uint64 seq, string destination,
//	                     string receiver, string contentType, bytes32 payloadHash))
//
// with payloadHash = sha256(payload). It uses the record's own ID and payload
// hash, so run Record.Check first when the record came from outside.
func recordDigest(t testing.TB, r relayer.Record) common.Hash {
	t.Helper()
	args := abi.Arguments{
		{Type: abiType(t, "bytes32")},
		{Type: abiType(t, "uint64")},
		{Type: abiType(t, "string")},
		{Type: abiType(t, "string")},
		{Type: abiType(t, "string")},
		{Type: abiType(t, "bytes32")},
	}
	enc, err := args.Pack([32]byte(r.ID), r.Source.Sequence, string(r.Destination), r.Receiver, r.ContentType,
		[32]byte(r.PayloadHash))
	if err != nil {
		t.Fatalf("abi-encode digest fields: %v", err)
	}
	return crypto.Keccak256Hash(enc)
}

func abiType(t testing.TB, name string) abi.Type {
	t.Helper()
	typ, err := abi.NewType(name, "", nil)
	if err != nil {
		t.Fatalf("abi type %s: %v", name, err)
	}
	return typ
}

// commitmentSlot is the storage key of Outbox.commitments[id]: the mapping
// sits in slot 0, so the key is keccak256(id ‖ uint256(0)).
func commitmentSlot(id relayer.RecordID) common.Hash {
	return crypto.Keccak256Hash(id[:], common.Hash{}.Bytes())
}

// inboxRecord converts a relayer record into the Inbox's Record struct.
func inboxRecord(r relayer.Record) contracts.InboxRecord {
	return contracts.InboxRecord{
		SourceChain: string(r.Source.Chain),
		Emitter:     r.Source.Emitter,
		Sequence:    r.Source.Sequence,
		Destination: string(r.Destination),
		Receiver:    r.Receiver,
		ContentType: r.ContentType,
		Payload:     r.Payload,
	}
}

// account is a funded key on the test chain.
type account struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

// newAccount derives a key from label, so addresses are the same on every run.
func newAccount(t testing.TB, label string) account {
	t.Helper()
	return accountFromKey(t, crypto.Keccak256([]byte("liaison contracts test: "+label)))
}

func accountFromKey(t testing.TB, raw []byte) account {
	t.Helper()
	key, err := crypto.ToECDSA(raw)
	if err != nil {
		t.Fatalf("test key: %v", err)
	}
	return account{key: key, addr: crypto.PubkeyToAddress(key.PublicKey)}
}

// testChain is an in-process geth chain; every transaction is mined by an
// explicit Commit, so tests never wait.
type testChain struct {
	t       testing.TB
	backend *simulated.Backend
	client  simulated.Client
	chainID *big.Int
}

func newTestChain(t testing.TB, funded ...account) *testChain {
	t.Helper()
	return newTestChainWithRules(t, nil, funded...)
}

// newTestChainWithRules is newTestChain with the fork rules of config; nil
// keeps the simulated backend's default, which enables every dev fork.
func newTestChainWithRules(t testing.TB, config *params.ChainConfig, funded ...account) *testChain {
	t.Helper()
	alloc := types.GenesisAlloc{}
	balance := new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))
	for _, a := range funded {
		alloc[a.addr] = types.Account{Balance: balance}
	}
	backend := simulated.NewBackend(alloc, func(_ *node.Config, eth *ethconfig.Config) {
		if config != nil {
			eth.Genesis.Config = config
		}
	})
	t.Cleanup(func() { _ = backend.Close() })
	client := backend.Client()
	chainID, err := client.ChainID(context.Background())
	if err != nil {
		t.Fatalf("chain id: %v", err)
	}
	return &testChain{t: t, backend: backend, client: client, chainID: chainID}
}

func (c *testChain) opts(from account) *bind.TransactOpts {
	return bind.NewKeyedTransactor(from.key, c.chainID)
}

// mined commits a block and returns tx's receipt, failing unless it succeeded.
func (c *testChain) mined(tx *types.Transaction) *types.Receipt {
	c.t.Helper()
	c.backend.Commit()
	receipt, err := c.client.TransactionReceipt(context.Background(), tx.Hash())
	if err != nil {
		c.t.Fatalf("receipt of %s: %v", tx.Hash(), err)
	}
	if receipt.Status != types.ReceiptStatusSuccessful {
		c.t.Fatalf("transaction %s failed", tx.Hash())
	}
	return receipt
}

// deploy deploys a contract and returns its bound instance.
func (c *testChain) deploy(from account, meta *bind.MetaData, args []byte) (*bind.BoundContract, *types.Receipt) {
	c.t.Helper()
	addr, tx, err := c.tryDeploy(from, meta, args)
	if err != nil {
		c.t.Fatalf("deploy %s: %v", meta.ID, err)
	}
	receipt := c.mined(tx)
	parsed, err := meta.ParseABI()
	if err != nil {
		c.t.Fatalf("parse %s ABI: %v", meta.ID, err)
	}
	return bind.NewBoundContract(addr, *parsed, c.client, c.client, c.client), receipt
}

func (c *testChain) tryDeploy(from account, meta *bind.MetaData, args []byte) (common.Address, *types.Transaction, error) {
	return bind.DeployContract(c.opts(from), common.FromHex(meta.Bin), c.client, args)
}

// send sends data to contract from an account and returns the receipt of
// the mined, successful transaction.
func (c *testChain) send(from account, contract *bind.BoundContract, data []byte) *types.Receipt {
	c.t.Helper()
	tx, err := bind.Transact(contract, c.opts(from), data)
	if err != nil {
		c.t.Fatalf("transact from %s: %v", from.addr, err)
	}
	return c.mined(tx)
}

// trySend is send for calls that are expected to revert: a reverting call
// fails gas estimation, so nothing is sent and the revert comes back here.
func (c *testChain) trySend(from account, contract *bind.BoundContract, data []byte) error {
	tx, err := bind.Transact(contract, c.opts(from), data)
	if err != nil {
		return err
	}
	c.mined(tx)
	return nil
}

// view runs a read-only call on contract at the latest block.
func view[T any](t testing.TB, contract *bind.BoundContract, data []byte, unpack func([]byte) (T, error)) T {
	t.Helper()
	out, err := bind.Call(contract, &bind.CallOpts{}, data, unpack)
	if err != nil {
		t.Fatalf("call: %v", err)
	}
	return out
}

// requireRevert fails unless err is a revert with the custom error whose
// ID is want.
func requireRevert(t testing.TB, err error, want common.Hash) {
	t.Helper()
	data, ok := revertData(err)
	if !ok {
		t.Fatalf("got %v, want a revert with error selector %x", err, want[:4])
	}
	if len(data) < 4 || !bytes.Equal(data[:4], want[:4]) {
		t.Fatalf("reverted with %x, want error selector %x", data, want[:4])
	}
}

// revertData returns the revert data carried by a failed call or gas estimate.
func revertData(err error) ([]byte, bool) {
	var de rpc.DataError
	if err == nil || !errors.As(err, &de) {
		return nil, false
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		return nil, false
	}
	data, decodeErr := hexutil.Decode(s)
	return data, decodeErr == nil
}

// eventsIn returns the logs of receipt that unpack as event E, in order.
func eventsIn[E any](t testing.TB, receipt *types.Receipt, unpack func(*types.Log) (*E, error)) []*E {
	t.Helper()
	var out []*E
	for _, l := range receipt.Logs {
		ev, err := unpack(l)
		if errors.Is(err, bind.ErrEventSignatureMismatch) {
			continue
		}
		if err != nil {
			t.Fatalf("unpack log %d: %v", l.Index, err)
		}
		out = append(out, ev)
	}
	return out
}

// oneEvent is eventsIn for exactly one expected event.
func oneEvent[E any](t testing.TB, receipt *types.Receipt, unpack func(*types.Log) (*E, error)) *E {
	t.Helper()
	evs := eventsIn(t, receipt, unpack)
	if len(evs) != 1 {
		var zero E
		t.Fatalf("got %d %T events, want 1", len(evs), zero)
	}
	return evs[0]
}
