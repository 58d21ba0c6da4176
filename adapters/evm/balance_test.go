package evm

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
)

func TestSignerBalance(t *testing.T) {
	n := newTestNet(t)
	c := newChain(t, dstName, withKey(t, n.evmConfig("finality", 0), n.att[0]), Options{})
	got, unit, err := c.SignerBalance(context.Background())
	want := new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18)) // the genesis allocation
	if err != nil || got.Cmp(want) != 0 || unit != "wei" {
		t.Fatalf("balance %v %s, %v; want %v wei", got, unit, err, want)
	}
	// Spending gas lowers it.
	n.send(n.att[0], n.outbox, contracts.NewOutbox().PackPublish(string(dstName), "receiver-1", "text/plain", []byte("gas")))
	if got, _, err = c.SignerBalance(context.Background()); err != nil || got.Cmp(want) >= 0 {
		t.Fatalf("balance after a transaction %v, %v; want below %v", got, err, want)
	}
	keyless := newChain(t, dstName, n.evmConfig("finality", 0), Options{})
	if _, _, err := keyless.SignerBalance(context.Background()); err == nil || !strings.Contains(err.Error(), "no signer.key") {
		t.Fatalf("without a key: %v", err)
	}
}
