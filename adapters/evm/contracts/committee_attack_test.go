package contracts_test

// Attack probes against deliverAttested (security review, branch
// attack-deliver). Every test here PASSES on the current code: each is an
// attack that held. They are kept as regression checks.

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
	"github.com/liaison-gw/liaison/relayer"
)

func TestAttackProbeDeliverAttested(t *testing.T) {
	n := crypto.S256().Params().N

	t.Run("v-variant copy counted twice", func(t *testing.T) {
		f := newInboxFixture(t)
		rs := f.records(1, "v")
		b := f.signBatch(t, 1, rs, f.attestors[0])
		alt := append([]byte(nil), b.sigs[0]...)
		alt[64] -= 27 // 27/28 -> 0/1: same signature, another encoding
		b.sigs = append(b.sigs, alt)
		requireRevert(t, f.chain.trySend(f.outsider, f.bound, f.packAttested(b)), contracts.InboxDuplicateSignerErrorID())
	})
	t.Run("high-s malleated copy", func(t *testing.T) {
		f := newInboxFixture(t)
		rs := f.records(1, "s")
		b := f.signBatch(t, 1, rs, f.attestors[0])
		sig := b.sigs[0]
		s := new(big.Int).SetBytes(sig[32:64])
		mal := append([]byte(nil), sig...)
		new(big.Int).Sub(n, s).FillBytes(mal[32:64])
		mal[64] ^= 1 // 27 <-> 28
		b.sigs = append(b.sigs, mal)
		requireRevert(t, f.chain.trySend(f.outsider, f.bound, f.packAttested(b)), contracts.InboxBadSignatureErrorID())
	})
	t.Run("removed attestor's signature", func(t *testing.T) {
		f := newInboxFixture(t)
		rs := f.records(1, "rm")
		b := f.signBatch(t, 1, rs, f.attestors[0], f.attestors[2])
		f.chain.send(f.admin, f.bound, f.inbox.PackRemoveAttestor(f.attestors[2].addr))
		requireRevert(t, f.chain.trySend(f.outsider, f.bound, f.packAttested(b)), contracts.InboxSignerNotAttestorErrorID())
		if f.isDelivered(t, rs[0].ID) {
			t.Fatal("delivered")
		}
	})
	t.Run("signed for another Inbox on the same chain", func(t *testing.T) {
		f := newInboxFixture(t)
		other, _ := f.chain.deploy(f.admin, &contracts.InboxMetaData,
			f.inbox.PackConstructor("dept-b", f.admin.addr, f.attestorAddrs(), big.NewInt(2)))
		rs := f.records(1, "x")
		b := f.signBatch(t, 1, rs, f.attestors[0], f.attestors[1])
		requireRevert(t, f.chain.trySend(f.outsider, other, f.packAttested(b)), contracts.InboxSignerNotAttestorErrorID())
	})
	t.Run("same ID twice in one batch", func(t *testing.T) {
		f := newInboxFixture(t)
		r := f.records(1, "dup")[0]
		forged := r
		forged.Receiver = "elsewhere"
		got, _ := f.deliverAttested(t, f.outsider, f.signBatch(t, 1, []relayer.Record{r, forged, r}, f.attestors[0], f.attestors[1]))
		if !got[0] || got[1] || !got[2] {
			t.Fatalf("got %v", got)
		}
		if d := view(t, f.bound, f.inbox.PackDeliveredDigest(r.ID), f.inbox.UnpackDeliveredDigest); d != recordDigest(t, r) {
			t.Fatal("digest changed")
		}
	})
	t.Run("votes then committee then votes", func(t *testing.T) {
		f := newInboxFixture(t)
		r := f.records(1, "mix")[0]
		bad := r
		bad.Receiver = "elsewhere"
		f.attest(t, f.attestors[2], bad) // one wrong vote
		f.attest(t, f.attestors[0], r)   // one right vote
		got, _ := f.deliverAttested(t, f.outsider, f.signBatch(t, 1, []relayer.Record{r}, f.attestors[1], f.attestors[2]))
		if !got[0] {
			t.Fatal("not delivered")
		}
		before := f.state(t, r, bad)
		// A second wrong vote must not reach the threshold for bad now.
		if ok, _ := f.attest(t, f.attestors[1], bad); ok {
			t.Fatal("bad delivered")
		}
		if after := f.state(t, r, bad); after != before {
			t.Fatalf("state changed: %+v -> %+v", before, after)
		}
		// A committee batch for bad: conflict only.
		got, _ = f.deliverAttested(t, f.outsider, f.signBatch(t, 2, []relayer.Record{bad}, f.attestors[0], f.attestors[1]))
		if got[0] {
			t.Fatal("bad delivered")
		}
		if after := f.state(t, r, bad); after != before {
			t.Fatalf("state changed: %+v -> %+v", before, after)
		}
	})
	t.Run("threshold raised after signing", func(t *testing.T) {
		f := newInboxFixture(t)
		rs := f.records(1, "th")
		b := f.signBatch(t, 1, rs, f.attestors[0], f.attestors[1])
		f.chain.send(f.admin, f.bound, f.inbox.PackSetThreshold(big.NewInt(3)))
		requireRevert(t, f.chain.trySend(f.outsider, f.bound, f.packAttested(b)), contracts.InboxNotEnoughSignaturesErrorID())
	})
	t.Run("zero-padding: r=0/s=0/v=2", func(t *testing.T) {
		f := newInboxFixture(t)
		rs := f.records(1, "z")
		b := f.signBatch(t, 1, rs, f.attestors[0], f.attestors[1])
		for _, mut := range []func([]byte){
			func(s []byte) { clear(s[0:32]) },
			func(s []byte) { clear(s[32:64]) },
			func(s []byte) { s[64] = 2 },
			func(s []byte) { s[64] = 29 },
			func(s []byte) { n.FillBytes(s[0:32]) },
		} {
			c := f.signBatch(t, 1, rs, f.attestors[0], f.attestors[1])
			mut(c.sigs[1])
			requireRevert(t, f.chain.trySend(f.outsider, f.bound, f.packAttested(c)), contracts.InboxBadSignatureErrorID())
		}
		f.deliverAttested(t, f.outsider, b)
	})
}
