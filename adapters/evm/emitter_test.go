package evm

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

// TestOfflineRefusesCopyOfOutbox is the attack of a bundle for a record
// that a copy of the Outbox published: anyone can deploy one on the same
// chain, under the same chain name, and get a perfectly valid storage
// proof for it. The department pins the anchor of its own Outbox; the
// offline verifier, which knows nothing but that anchor, must refuse the
// copy's record whether the bundle embeds the copy's anchor or the
// genuine one.
func TestOfflineRefusesCopyOfOutbox(t *testing.T) {
	n := newTestNet(t)
	genuine := bootstrap(t, newChain(t, srcName, n.evmConfig("finality", 2), Options{}))

	// The attacker's Outbox, with the same constructor argument.
	copyAddr := n.deploy(&contracts.OutboxMetaData, contracts.NewOutbox().PackConstructor(string(srcName)))
	ob := contracts.NewOutbox()
	opts := n.opts(n.deployer)
	opts.GasLimit = 500000
	tx, err := bind.Transact(ob.Instance(n.client, copyAddr), opts, ob.PackPublish(string(dstName), "receiver-1", "text/plain", []byte("licence forged")))
	if err != nil {
		t.Fatal(err)
	}
	block := n.mined(tx).BlockNumber.Uint64()
	n.commit(3)
	cfg := n.evmConfig("finality", 2)
	cfg.Outbox = copyAddr.Hex()
	attacker := newChain(t, srcName, cfg, Options{})
	qcfg := n.evmConfig("qbft", 0)
	qcfg.Outbox = copyAddr.Hex()
	rec := publishedBy(t, newChain(t, srcName, qcfg, Options{}), block, "licence forged")
	fake := bootstrap(t, attacker)
	ev, err := attacker.Prover().Prove(context.Background(), &rec, fake)
	if err != nil {
		t.Fatal(err)
	}
	if fake.Digest == genuine.Digest {
		t.Fatalf("the copy's anchor has the genuine anchor's digest %s: the digest does not bind the emitter", fake.Digest)
	}
	// As made: pinned to the genuine digest, the bundle's own anchor is
	// another one.
	if _, err := relayer.VerifyEvidence(ev, genuine, NewVerifier(), time.Now()); !errors.Is(err, relayer.ErrEvidence) || !strings.Contains(err.Error(), "the bundle names anchor") {
		t.Fatalf("copy's bundle against the genuine anchor: %v", err)
	}
	// Relabelled: the bundle embeds the genuine anchor instead.
	ev.Anchor = genuine
	if _, err := relayer.VerifyEvidence(ev, genuine, NewVerifier(), time.Now()); !errors.Is(err, relayer.ErrWrongEmitter) {
		t.Fatalf("copy's record under the genuine anchor: got %v, want ErrWrongEmitter", err)
	}
	// The copy's bundle is internally consistent: only the pin tells.
	ev.Anchor = fake
	if _, err := relayer.VerifyEvidence(ev, fake, NewVerifier(), time.Now()); err != nil {
		t.Fatalf("the copy's bundle against its own anchor should verify (it proves the copy's record): %v", err)
	}
	if common.BytesToAddress(fake.Emitter) != copyAddr {
		t.Fatalf("the copy's anchor names emitter %x", fake.Emitter)
	}
}

// publishedBy reads the record with the payload from c's Outbox.
func publishedBy(t *testing.T, c *Chain, from uint64, payload string) relayer.Record {
	t.Helper()
	b, err := c.Source(config.Selector{}, from).Poll(context.Background(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range b.Records {
		if string(r.Payload) == payload {
			return r
		}
	}
	t.Fatalf("record %q not read", payload)
	return relayer.Record{}
}
