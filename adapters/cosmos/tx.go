package cosmos

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"sync"
	"time"

	sdkmath "cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	"github.com/cosmos/gogoproto/proto"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

const (
	// txTimeoutBlocks is how many blocks after submission a transaction
	// may still be included (TxBody.timeout_height). After that the chain
	// refuses it for good, which is how Confirm knows that a transaction
	// it cannot find will never land.
	txTimeoutBlocks = 50
	// inclusionPoll is how often Submit looks for its transaction.
	inclusionPoll = 250 * time.Millisecond
	txMemo        = "liaison"
)

// submitter signs and sends the chain's transactions with the account key.
// One submitter serves every Destination of a Chain: mu serializes
// submissions, because each one spends the next solomachine sequence and
// account sequence, read from the chain just before signing.
type submitter struct {
	c         *Chain
	key       *secp256k1.PrivKey
	address   string
	attestors *attestorKeys
	gasPrice  *big.Rat // nil: no fee
	denom     string

	mu sync.Mutex // serializes submissions

	pmu     sync.Mutex        // guards pending
	pending map[string]uint64 // tx hash → the last height it can be included at
}

// newSubmitter loads the account and attestor keys.
func newSubmitter(c *Chain) (*submitter, error) {
	acc := c.cfg.Account
	if acc.Key.IsZero() {
		return nil, fmt.Errorf("chain %s: delivering needs account.key in the configuration", c.name)
	}
	key, err := loadKey("account.key", acc.Key)
	if err != nil {
		return nil, fmt.Errorf("chain %s: %w", c.name, err)
	}
	addr, err := bech32.ConvertAndEncode(acc.AddressPrefix, key.PubKey().Address())
	if err != nil {
		return nil, fmt.Errorf("chain %s: account address: %w", c.name, err)
	}
	s := &submitter{c: c, key: key, address: addr, pending: map[string]uint64{}}
	if acc.GasPrice != "" {
		if s.gasPrice, s.denom, err = config.ParseGasPrice(acc.GasPrice); err != nil {
			return nil, fmt.Errorf("chain %s: account.gas_price: %w", c.name, err)
		}
	}
	if s.attestors, err = loadAttestors(c.cfg.Gateway); err != nil {
		return nil, fmt.Errorf("chain %s: %w", c.name, err)
	}
	return s, nil
}

// account is the signer's account number and next sequence.
type account struct{ number, sequence uint64 }

// readAccount reads the signer's account at the latest height.
func (s *submitter) readAccount(ctx context.Context, ep *endpoint) (account, error) {
	var resp rawMsg
	if err := ep.invoke(ctx, "/cosmos.auth.v1beta1.Query/AccountInfo", &rawMsg{b: pbString(s.address)}, &resp, 0); err != nil {
		if errors.Is(err, errNotFound) {
			return account{}, fmt.Errorf("%w: account %s does not exist on chain %s: fund it first", relayer.ErrPermanent, s.address, s.c.name)
		}
		return account{}, err
	}
	outer, err := pbFields(resp.b)
	if err != nil {
		return account{}, fmt.Errorf("node %s: account %s: %w", ep.name, s.address, err)
	}
	info, err := pbFields(pbBytes(outer, 1)) // BaseAccount{address 1, pub_key 2, account_number 3, sequence 4}
	if err != nil {
		return account{}, fmt.Errorf("node %s: account %s: %w", ep.name, s.address, err)
	}
	if string(pbBytes(info, 1)) != s.address {
		return account{}, fmt.Errorf("node %s: asked for account %s, got %q", ep.name, s.address, pbBytes(info, 1))
	}
	return account{number: pbUint(info, 3), sequence: pbUint(info, 4)}, nil
}

// buildTx encodes a transaction of msgs; with sign false it carries an
// empty signature, for simulation.
func (s *submitter) buildTx(msgs []proto.Message, acc account, gas uint64, timeoutHeight uint64, sign bool) ([]byte, error) {
	anys := make([]*codectypes.Any, len(msgs))
	for i, m := range msgs {
		a, err := codectypes.NewAnyWithValue(m)
		if err != nil {
			return nil, err
		}
		anys[i] = a
	}
	body, err := (&txtypes.TxBody{Messages: anys, Memo: txMemo, TimeoutHeight: timeoutHeight}).Marshal()
	if err != nil {
		return nil, err
	}
	pk, err := codectypes.NewAnyWithValue(s.key.PubKey())
	if err != nil {
		return nil, err
	}
	fee := &txtypes.Fee{GasLimit: gas}
	if s.gasPrice != nil && gas > 0 {
		amount := new(big.Rat).Mul(s.gasPrice, new(big.Rat).SetUint64(gas))
		ceil := new(big.Int).Quo(new(big.Int).Add(amount.Num(), new(big.Int).Sub(amount.Denom(), big.NewInt(1))), amount.Denom())
		if ceil.Sign() > 0 {
			fee.Amount = sdk.Coins{sdk.NewCoin(s.denom, sdkmath.NewIntFromBigInt(ceil))}
		}
	}
	authInfo, err := (&txtypes.AuthInfo{
		SignerInfos: []*txtypes.SignerInfo{{
			PublicKey: pk,
			ModeInfo:  &txtypes.ModeInfo{Sum: &txtypes.ModeInfo_Single_{Single: &txtypes.ModeInfo_Single{Mode: signing.SignMode_SIGN_MODE_DIRECT}}},
			Sequence:  acc.sequence,
		}},
		Fee: fee,
	}).Marshal()
	if err != nil {
		return nil, err
	}
	sig := []byte{}
	if sign {
		doc, err := (&txtypes.SignDoc{BodyBytes: body, AuthInfoBytes: authInfo, ChainId: s.c.cfg.ChainID, AccountNumber: acc.number}).Marshal()
		if err != nil {
			return nil, err
		}
		if sig, err = s.key.Sign(doc); err != nil {
			return nil, err
		}
	}
	return (&txtypes.TxRaw{BodyBytes: body, AuthInfoBytes: authInfo, Signatures: [][]byte{sig}}).Marshal()
}

// simulation is what a dry run of a transaction says.
type simulation struct {
	gasUsed uint64
	events  []abci.Event
}

// simulate dry-runs msgs at the latest state. A transaction the chain
// would refuse is an error wrapping relayer.ErrNotLanded (nothing was
// sent).
func (s *submitter) simulate(ctx context.Context, ep *endpoint, msgs []proto.Message, acc account) (simulation, error) {
	tx, err := s.buildTx(msgs, acc, 0, 0, false)
	if err != nil {
		return simulation{}, err
	}
	var resp txtypes.SimulateResponse
	if err := ep.invoke(ctx, "/cosmos.tx.v1beta1.Service/Simulate", &txtypes.SimulateRequest{TxBytes: tx}, &resp, 0); err != nil {
		if errors.Is(err, relayer.ErrUnavailable) || ctx.Err() != nil {
			return simulation{}, err
		}
		if strings.Contains(err.Error(), "account sequence mismatch") {
			return simulation{}, fmt.Errorf("%w: %w", relayer.ErrUnavailable, err)
		}
		return simulation{}, fmt.Errorf("%w: the chain refuses the transaction in simulation: %w", relayer.ErrNotLanded, err)
	}
	out := simulation{}
	if resp.GasInfo != nil {
		out.gasUsed = resp.GasInfo.GasUsed
	}
	if resp.Result != nil {
		out.events = resp.Result.Events
	}
	return out, nil
}

// sendChecked simulates msgs, lets check judge the dry run (nil: no
// check), then signs and broadcasts them, and returns the transaction hash
// once the node accepted it into its mempool. The dry run fills sim when
// it is not nil. Errors wrapping relayer.ErrUnavailable and
// relayer.ErrNotLanded, and check's errors, mean nothing was sent; other
// errors mean it may have been.
func (s *submitter) sendChecked(ctx context.Context, ep *endpoint, msgs []proto.Message, sim *simulation, check func(simulation) error) (string, error) {
	acc, err := s.readAccount(ctx, ep)
	if err != nil {
		return "", err
	}
	res, err := s.simulate(ctx, ep, msgs, acc)
	if err != nil {
		return "", err
	}
	if sim != nil {
		*sim = res
	}
	if check != nil {
		if err := check(res); err != nil {
			return "", err
		}
	}
	_, latest, err := ep.status(ctx)
	if err != nil {
		return "", err
	}
	gas := uint64(math.Ceil(float64(res.gasUsed) * s.c.cfg.Account.GasAdjustment))
	deadline := latest + txTimeoutBlocks
	tx, err := s.buildTx(msgs, acc, gas, deadline, true)
	if err != nil {
		return "", err
	}
	hash := hashTx(tx)
	bres, err := ep.broadcast(ctx, tx)
	if err != nil {
		if strings.Contains(err.Error(), "tx already exists in cache") {
			s.track(hash, deadline)
			return hash, nil
		}
		return "", err
	}
	if err := checkTxError(ep, bres); err != nil {
		return "", err
	}
	s.track(hash, deadline)
	return hash, nil
}

// checkTxError translates a CheckTx refusal. A refused transaction never
// entered the mempool.
func checkTxError(ep *endpoint, r *coretypes.ResultBroadcastTx) error {
	if r.Code == 0 {
		return nil
	}
	err := fmt.Errorf("node %s refused the transaction: %s code %d: %s", ep.name, r.Codespace, r.Code, r.Log)
	switch {
	case r.Codespace == "sdk" && r.Code == 19: // tx already in mempool: the same bytes
		return nil
	case r.Codespace == "sdk" && (r.Code == 32 || r.Code == 20): // account sequence (a transaction of ours is pending), mempool full
		return fmt.Errorf("%w: %w", relayer.ErrUnavailable, err)
	}
	return fmt.Errorf("%w: %w", relayer.ErrNotLanded, err)
}

func (s *submitter) track(hash string, deadline uint64) {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	s.pending[hash] = deadline
}

// deadlineOf returns the last height at which the transaction can be
// included: known for transactions this process sent; for others (sent
// before a restart) it is set at first sight to latest + txTimeoutBlocks,
// which is never below their real timeout height.
func (s *submitter) deadlineOf(hash string, latest uint64) uint64 {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	d, ok := s.pending[hash]
	if !ok {
		d = latest + txTimeoutBlocks
		s.pending[hash] = d
	}
	return d
}

func (s *submitter) forget(hash string) {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	delete(s.pending, hash)
}

// waitIncluded polls for the transaction until it is in a block or the
// inclusion timeout passes; it returns the committed result, or nil.
func (s *submitter) waitIncluded(ctx context.Context, ep *endpoint, hash string) (*coretypes.ResultTx, error) {
	raw, err := hex.DecodeString(hash)
	if err != nil {
		return nil, err
	}
	wctx, cancel := context.WithTimeout(ctx, s.c.cfg.Gateway.InclusionTimeout)
	defer cancel()
	t := time.NewTicker(inclusionPoll)
	defer t.Stop()
	for {
		if res, err := ep.tx(wctx, raw); err == nil && res != nil {
			return res, nil
		}
		select {
		case <-wctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// attr returns the value of the first attribute key of an event, or "".
func attr(e abci.Event, key string) string {
	for _, a := range e.Attributes {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}
