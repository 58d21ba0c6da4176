package cosmos

import (
	"context"
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"
	clientv2types "github.com/cosmos/ibc-go/v10/modules/core/02-client/v2/types"
	solomachine "github.com/cosmos/ibc-go/v10/modules/light-clients/06-solomachine"

	"github.com/liaison-gw/liaison/relayer"
)

// ClientSetup is what SetupClient did.
type ClientSetup struct {
	// ClientID is the new client's id: put it in gateway.client_id.
	ClientID string
	// CreateTx and RegisterTx are the hashes of the two transactions.
	CreateTx, RegisterTx string
	// Address is the account that created the client; only it could
	// register the counterparty.
	Address string
}

// SetupClient creates the gateway's 06-solomachine client on the chain
// (MsgCreateClient: sequence 1, the configured diversifier, the attestor
// key or multisig, the current time in nanoseconds) and then registers its
// counterparty (MsgRegisterCounterparty: gateway.counterparty_client_id
// with the prefix ["ibc", ""]), each in its own transaction signed by
// account.key, and waits for both. It needs account.key and the attestor
// public keys, not the ability to sign proofs.
//
// It talks to the first node that answers and never retries a step on
// another node, so that it cannot create two clients. An error after the
// first transaction names the client it created, which can be registered
// by hand (ibc client add-counterparty).
func (c *Chain) SetupClient(ctx context.Context) (ClientSetup, error) {
	s, err := c.submitterOnce()
	if err != nil {
		return ClientSetup{}, err
	}
	pk, err := s.attestors.pubAny()
	if err != nil {
		return ClientSetup{}, err
	}
	var ep *endpoint
	for _, e := range c.eps {
		if _, _, err = e.status(ctx); err == nil {
			ep = e
			break
		}
	}
	if ep == nil {
		return ClientSetup{}, fmt.Errorf("chain %s: no node answers: %w", c.name, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := ClientSetup{Address: s.address}
	cons := &solomachine.ConsensusState{PublicKey: pk, Diversifier: c.cfg.Gateway.Diversifier, Timestamp: uint64(c.now().UnixNano())}
	create, err := clienttypes.NewMsgCreateClient(&solomachine.ClientState{Sequence: 1, ConsensusState: cons}, cons, s.address)
	if err != nil {
		return out, err
	}
	res, err := s.run(ctx, ep, create)
	if err != nil {
		return out, fmt.Errorf("chain %s: create client: %w", c.name, err)
	}
	out.CreateTx = res.hash
	for _, e := range res.events {
		if e.Type == "create_client" {
			out.ClientID = attr(e, "client_id")
		}
	}
	if out.ClientID == "" {
		return out, fmt.Errorf("chain %s: create client: tx %s has no create_client event", c.name, res.hash)
	}
	c.log.Info("gateway client created", "chain", c.name, "client_id", out.ClientID, "tx", res.hash)
	reg := clientv2types.NewMsgRegisterCounterparty(out.ClientID, CounterpartyPrefix, c.cfg.Gateway.CounterpartyClientID, s.address)
	res, err = s.run(ctx, ep, reg)
	if err != nil {
		return out, fmt.Errorf("chain %s: client %s was created, but registering its counterparty failed: %w", c.name, out.ClientID, err)
	}
	out.RegisterTx = res.hash
	cp, err := readCounterparty(ctx, ep, out.ClientID)
	if err != nil {
		return out, err
	}
	if cp.ClientId != c.cfg.Gateway.CounterpartyClientID {
		return out, fmt.Errorf("chain %s: client %s reports counterparty %q after registration", c.name, out.ClientID, cp.ClientId)
	}
	return out, nil
}

// result is a committed, successful transaction.
type result struct {
	hash   string
	events []abci.Event
}

// run sends msg and waits for its block; a transaction that fails or is not
// in a block within gateway.inclusion_timeout is an error.
func (s *submitter) run(ctx context.Context, ep *endpoint, msg proto.Message) (result, error) {
	hash, err := s.sendChecked(ctx, ep, []proto.Message{msg}, nil, nil)
	if err != nil {
		return result{}, err
	}
	res, err := s.waitIncluded(ctx, ep, hash)
	if err != nil {
		return result{}, err
	}
	if res == nil {
		return result{}, fmt.Errorf("%w: tx %s is not in a block after %s", relayer.ErrUnavailable, hash, s.c.cfg.Gateway.InclusionTimeout)
	}
	s.forget(hash)
	if r := res.TxResult; r.Code != 0 {
		return result{}, fmt.Errorf("tx %s failed in block %d: %s code %d: %s", hash, res.Height, r.Codespace, r.Code, r.Log)
	}
	return result{hash: hash, events: res.TxResult.Events}, nil
}
