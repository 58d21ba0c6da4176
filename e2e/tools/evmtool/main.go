// Command evmtool does the few EVM chores that the local ledgers of
// e2e/ledgers.sh and docs/WALKTHROUGH.md need and that `liaison` does not
// do: make a relayer key, deploy the Outbox and the Inbox, publish records
// on the Outbox, read a delivery from the Inbox, and add or remove an Inbox
// attestor. It signs with geth --dev's funded developer key unless --key
// names another key file. It is a test and demo helper, not part of the
// relayer.
//
//	evmtool keygen FILE
//	evmtool deploy    --rpc URL --chain NAME --attestor ADDR[,ADDR] [--threshold M] [--fund ADDR[,ADDR]]
//	evmtool publish   --rpc URL --outbox ADDR --to CHAIN [--receiver R] [--content-type T] [--count N] [--batch B] PAYLOAD
//	evmtool delivered --rpc URL --inbox ADDR ID
//	evmtool attestor  --rpc URL --inbox ADDR add|remove ADDR
package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
)

// devKey is the developer account that geth --dev funds at genesis. It is
// public: never use it on a network that holds anything of value.
const devKey = "b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291"

const usage = `usage:
  evmtool keygen FILE
  evmtool deploy    --rpc URL --chain NAME --attestor ADDR[,ADDR] [--threshold M] [--fund ADDR[,ADDR]]
  evmtool publish   --rpc URL --outbox ADDR --to CHAIN [--receiver R] [--content-type T] [--count N] [--batch B] PAYLOAD
  evmtool delivered --rpc URL --inbox ADDR ID
  evmtool attestor  --rpc URL --inbox ADDR add|remove ADDR
Every command but keygen takes --key FILE (default: geth --dev's developer key).`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "keygen":
		err = keygen(args)
	case "deploy":
		err = deploy(ctx, args)
	case "publish":
		err = publish(ctx, args)
	case "delivered":
		err = delivered(ctx, args)
	case "attestor":
		err = attestor(ctx, args)
	default:
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	if err != nil {
		var ue usageError
		fmt.Fprintln(os.Stderr, "evmtool:", err)
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

type usageError string

func (e usageError) Error() string { return string(e) }

// keygen writes a new secp256k1 key (64 hex digits, mode 0600) to FILE and
// prints its address. An existing FILE is kept; its address is printed.
func keygen(args []string) error {
	if len(args) != 1 {
		return usageError("keygen FILE")
	}
	if key, err := crypto.LoadECDSA(args[0]); err == nil {
		fmt.Println(crypto.PubkeyToAddress(key.PublicKey).Hex())
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		return err
	}
	if err := os.WriteFile(args[0], []byte(hex.EncodeToString(crypto.FromECDSA(key))), 0o600); err != nil {
		return err
	}
	fmt.Println(crypto.PubkeyToAddress(key.PublicKey).Hex())
	return nil
}

// conn is a connection to a node with the signing key.
type conn struct {
	c       *ethclient.Client
	key     *ecdsa.PrivateKey
	chainID *big.Int
}

// commonFlags adds --rpc and --key to fs and returns a function that
// connects once the flags are parsed.
func commonFlags(fs *flag.FlagSet) func(ctx context.Context) (*conn, error) {
	rpcURL := fs.String("rpc", "http://127.0.0.1:8545", "node RPC endpoint")
	keyFile := fs.String("key", "", "signing key file, 64 hex digits (default: geth --dev's developer key)")
	return func(ctx context.Context) (*conn, error) {
		var key *ecdsa.PrivateKey
		var err error
		if *keyFile != "" {
			key, err = crypto.LoadECDSA(*keyFile)
		} else {
			key, err = crypto.HexToECDSA(devKey)
		}
		if err != nil {
			return nil, fmt.Errorf("key: %w", err)
		}
		c, err := ethclient.DialContext(ctx, *rpcURL)
		if err != nil {
			return nil, err
		}
		id, err := c.ChainID(ctx)
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("%s: %w", *rpcURL, err)
		}
		return &conn{c: c, key: key, chainID: id}, nil
	}
}

func (n *conn) opts() *bind.TransactOpts { return bind.NewKeyedTransactor(n.key, n.chainID) }

// mined waits for tx and fails unless it succeeded.
func (n *conn) mined(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
	r, err := bind.WaitMined(ctx, n.c, tx.Hash())
	if err != nil {
		return nil, fmt.Errorf("wait for %s: %w", tx.Hash().Hex(), err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return nil, fmt.Errorf("transaction %s reverted", tx.Hash().Hex())
	}
	return r, nil
}

func addresses(s string) ([]common.Address, error) {
	var out []common.Address
	for _, a := range strings.Split(s, ",") {
		if a = strings.TrimSpace(a); a == "" {
			continue
		}
		if !common.IsHexAddress(a) {
			return nil, usageError(fmt.Sprintf("%q is not an address", a))
		}
		out = append(out, common.HexToAddress(a))
	}
	return out, nil
}

// deploy funds the given accounts with 100 ether each, deploys the Outbox
// and the Inbox for chain NAME (the signer is the Inbox admin), and prints
// EVM_CHAIN_ID, EVM_OUTBOX, EVM_INBOX and EVM_ADMIN as KEY=VALUE lines.
func deploy(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("deploy", flag.ContinueOnError)
	dial := commonFlags(fs)
	chain := fs.String("chain", "", "the ledger's chain name (hashed into record IDs)")
	att := fs.String("attestor", "", "Inbox attestors, comma separated")
	threshold := fs.Int64("threshold", 1, "Inbox threshold M")
	fund := fs.String("fund", "", "accounts to send 100 ether each, comma separated")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 || *chain == "" || *att == "" {
		return usageError("deploy --rpc URL --chain NAME --attestor ADDR[,ADDR] [--threshold M] [--fund ADDR[,ADDR]]")
	}
	attestors, err := addresses(*att)
	if err != nil {
		return err
	}
	funded, err := addresses(*fund)
	if err != nil {
		return err
	}
	n, err := dial(ctx)
	if err != nil {
		return err
	}
	defer n.c.Close()
	for _, to := range funded {
		if err := n.transfer(ctx, to, new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18))); err != nil {
			return fmt.Errorf("fund %s: %w", to.Hex(), err)
		}
	}
	admin := crypto.PubkeyToAddress(n.key.PublicKey)
	ob, ib := contracts.NewOutbox(), contracts.NewInbox()
	outbox, tx1, err := bind.DeployContract(n.opts(), common.FromHex(contracts.OutboxMetaData.Bin), n.c, ob.PackConstructor(*chain))
	if err != nil {
		return fmt.Errorf("deploy Outbox: %w", err)
	}
	inbox, tx2, err := bind.DeployContract(n.opts(), common.FromHex(contracts.InboxMetaData.Bin), n.c,
		ib.PackConstructor(*chain, admin, attestors, big.NewInt(*threshold)))
	if err != nil {
		return fmt.Errorf("deploy Inbox: %w", err)
	}
	for _, tx := range []*types.Transaction{tx1, tx2} {
		if _, err := n.mined(ctx, tx); err != nil {
			return err
		}
	}
	fmt.Printf("EVM_CHAIN_ID=%s\nEVM_OUTBOX=%s\nEVM_INBOX=%s\nEVM_ADMIN=%s\n", n.chainID, outbox.Hex(), inbox.Hex(), admin.Hex())
	return nil
}

// transfer sends value from the signer and waits for it.
func (n *conn) transfer(ctx context.Context, to common.Address, value *big.Int) error {
	nonce, err := n.c.PendingNonceAt(ctx, crypto.PubkeyToAddress(n.key.PublicKey))
	if err != nil {
		return err
	}
	head, err := n.c.HeaderByNumber(ctx, nil)
	if err != nil {
		return err
	}
	tip := big.NewInt(1e9)
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip)
	tx, err := types.SignTx(types.NewTx(&types.DynamicFeeTx{ChainID: n.chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap,
		Gas: 21000, To: &to, Value: value}), types.LatestSignerForChainID(n.chainID), n.key)
	if err != nil {
		return err
	}
	if err := n.c.SendTransaction(ctx, tx); err != nil {
		return err
	}
	_, err = n.mined(ctx, tx)
	return err
}

// publish publishes PAYLOAD (COUNT times; %d in it is replaced by the
// index) and prints "RECORD_ID TX_HASH" per record.
func publish(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("publish", flag.ContinueOnError)
	dial := commonFlags(fs)
	outboxAddr := fs.String("outbox", "", "Outbox address")
	to := fs.String("to", "", "destination chain name")
	receiver := fs.String("receiver", "", "receiver on the destination")
	contentType := fs.String("content-type", "application/json", "payload media type")
	count := fs.Int("count", 1, "records to publish; %d in PAYLOAD becomes 0, 1, …")
	batch := fs.Int("batch", 1, "records per transaction (Outbox.publishBatch when above 1)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 || *to == "" || !common.IsHexAddress(*outboxAddr) || *count < 1 || *batch < 1 {
		return usageError("publish --rpc URL --outbox ADDR --to CHAIN [--receiver R] [--content-type T] [--count N] [--batch B] PAYLOAD")
	}
	n, err := dial(ctx)
	if err != nil {
		return err
	}
	defer n.c.Close()
	ob := contracts.NewOutbox()
	inst := ob.Instance(n.c, common.HexToAddress(*outboxAddr))
	var txs []*types.Transaction
	for first := 0; first < *count; first += *batch {
		var msgs []contracts.OutboxMessage
		var size int
		for i := first; i < min(first+*batch, *count); i++ {
			payload := fs.Arg(0)
			if strings.Contains(payload, "%d") {
				payload = strings.ReplaceAll(payload, "%d", fmt.Sprint(i))
			}
			msgs = append(msgs, contracts.OutboxMessage{Destination: *to, Receiver: *receiver, ContentType: *contentType, Payload: []byte(payload)})
			size += len(payload)
		}
		opts := n.opts()
		data := ob.PackPublishBatch(msgs)
		opts.GasLimit = uint64(len(msgs))*300_000 + uint64(size)*64
		if len(msgs) == 1 {
			m := msgs[0]
			data = ob.PackPublish(m.Destination, m.Receiver, m.ContentType, m.Payload)
		}
		tx, err := bind.Transact(inst, opts, data)
		if err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		txs = append(txs, tx)
	}
	for _, tx := range txs {
		r, err := n.mined(ctx, tx)
		if err != nil {
			return err
		}
		for _, l := range r.Logs {
			if ev, err := ob.UnpackRecordPublishedEvent(l); err == nil {
				fmt.Printf("%s %s\n", hex.EncodeToString(ev.Id[:]), tx.Hash().Hex())
			}
		}
	}
	return nil
}

// delivered prints whether the Inbox delivered record ID and, if it was
// attested, each Attested event: transaction, attestor and evidence hash.
// It exits 1 when the record is not delivered.
func delivered(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("delivered", flag.ContinueOnError)
	dial := commonFlags(fs)
	inboxAddr := fs.String("inbox", "", "Inbox address")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 || !common.IsHexAddress(*inboxAddr) {
		return usageError("delivered --rpc URL --inbox ADDR ID")
	}
	raw, err := hex.DecodeString(strings.TrimPrefix(fs.Arg(0), "0x"))
	if err != nil || len(raw) != 32 {
		return usageError(fmt.Sprintf("%q is not a record ID (64 hex digits)", fs.Arg(0)))
	}
	var id [32]byte
	copy(id[:], raw)
	n, err := dial(ctx)
	if err != nil {
		return err
	}
	defer n.c.Close()
	ib := contracts.NewInbox()
	inbox := common.HexToAddress(*inboxAddr)
	ok, err := bind.Call(ib.Instance(n.c, inbox), nil, ib.PackIsDelivered(id), ib.UnpackIsDelivered)
	if err != nil {
		return fmt.Errorf("isDelivered: %w", err)
	}
	logs, err := n.c.FilterLogs(ctx, ethereum.FilterQuery{Addresses: []common.Address{inbox}, FromBlock: big.NewInt(0),
		Topics: [][]common.Hash{{ib.GetABI().Events[contracts.InboxAttestedEventName].ID}, {common.Hash(id)}}})
	if err != nil {
		return fmt.Errorf("logs: %w", err)
	}
	fmt.Printf("record %x delivered: %t\n", id, ok)
	for _, l := range logs {
		if ev, err := ib.UnpackAttestedEvent(&l); err == nil {
			fmt.Printf("attested in tx %s (block %d) by %s, evidence sha256 %x\n", l.TxHash.Hex(), l.BlockNumber, ev.Attestor.Hex(), ev.EvidenceHash)
		}
	}
	if !ok {
		return errors.New("not delivered")
	}
	return nil
}

// attestor adds or removes an Inbox attestor; the signer must be the
// Inbox admin.
func attestor(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("attestor", flag.ContinueOnError)
	dial := commonFlags(fs)
	inboxAddr := fs.String("inbox", "", "Inbox address")
	if err := fs.Parse(args); err != nil || fs.NArg() != 2 || !common.IsHexAddress(*inboxAddr) || !common.IsHexAddress(fs.Arg(1)) {
		return usageError("attestor --rpc URL --inbox ADDR add|remove ADDR")
	}
	n, err := dial(ctx)
	if err != nil {
		return err
	}
	defer n.c.Close()
	ib := contracts.NewInbox()
	who := common.HexToAddress(fs.Arg(1))
	var data []byte
	switch fs.Arg(0) {
	case "add":
		data = ib.PackAddAttestor(who)
	case "remove":
		data = ib.PackRemoveAttestor(who)
	default:
		return usageError("attestor --rpc URL --inbox ADDR add|remove ADDR")
	}
	tx, err := bind.Transact(ib.Instance(n.c, common.HexToAddress(*inboxAddr)), n.opts(), data)
	if err != nil {
		return fmt.Errorf("%s attestor: %w", fs.Arg(0), err)
	}
	if _, err := n.mined(ctx, tx); err != nil {
		return err
	}
	fmt.Printf("%s attestor %s: tx %s\n", fs.Arg(0), who.Hex(), tx.Hash().Hex())
	return nil
}
