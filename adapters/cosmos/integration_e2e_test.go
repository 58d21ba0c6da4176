//go:build e2e

package cosmos

import (
	"context"
	"encoding/hex"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

// pollAll polls src from cursor until it returns at least n records or the
// deadline passes.
func pollAll(t *testing.T, src relayer.Source, after relayer.Cursor, n, limit int) ([]relayer.Record, relayer.Cursor, relayer.Batch) {
	t.Helper()
	var (
		recs []relayer.Record
		last relayer.Batch
	)
	deadline := time.Now().Add(30 * time.Second)
	for len(recs) < n && time.Now().Before(deadline) {
		b, err := src.Poll(context.Background(), after, limit)
		if err != nil {
			t.Fatal(err)
		}
		if b.Reached > b.Head {
			t.Fatalf("reached %d above head %d", b.Reached, b.Head)
		}
		recs = append(recs, b.Records...)
		after, last = b.Next, b
		if len(b.Records) == 0 {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if len(recs) < n {
		t.Fatalf("polled %d records, want %d", len(recs), n)
	}
	return recs, after, last
}

// TestDevnetSourceProveVerify publishes records on the devnet, reads them
// with the Source (in batches smaller than the backlog, and with a
// selector), proves each with the Prover from the bootstrapped anchor and
// checks the evidence with the Verifier, moving the anchor forward.
func TestDevnetSourceProveVerify(t *testing.T) {
	d := testDevnet(t)
	c := d.chain(t, Options{})
	ctx := context.Background()

	// Start after every record other tests published.
	var after relayer.Cursor
	for {
		b, err := c.Source(config.Selector{}).Poll(ctx, after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		after = b.Next
		if len(b.Records) == 0 {
			break
		}
	}
	var ids []relayer.RecordID
	for i, p := range []string{`{"licence":1}`, `{"licence":2}`, `<b>&3</b>`} {
		dest := "registry"
		if i == 1 {
			dest = "procurement"
		}
		id, _ := d.publish(t, dest, "licences", "application/json", p)
		ids = append(ids, id)
	}
	all, _, last := pollAll(t, c.Source(config.Selector{}), after, 3, 2)
	if len(all) != 3 {
		t.Fatalf("got %d records, want 3", len(all))
	}
	for i, r := range all {
		if r.ID != ids[i] || r.Source.TxID == "" || r.Source.Height == 0 || string(r.Source.Emitter) != PortID {
			t.Fatalf("record %d: %+v (want id %s)", i, r.Source, ids[i])
		}
		if err := r.Check(); err != nil {
			t.Fatal(err)
		}
		// The source time is the block time: recent, by the devnet's
		// clock, which is this machine's.
		if age := time.Since(r.Source.Time); r.Source.Time.Location() != time.UTC || age < -time.Second || age > 5*time.Minute {
			t.Fatalf("record %d: source time %v", i, r.Source.Time)
		}
	}
	if last.Head == 0 {
		t.Fatal("no head")
	}
	sel, _, _ := pollAll(t, c.Source(config.Selector{Destination: "registry"}), after, 2, 10)
	if len(sel) != 2 || sel[0].ID != ids[0] || sel[1].ID != ids[2] {
		t.Fatalf("selector: got %d records", len(sel))
	}

	p := c.Prover().(*prover)
	anchor, err := p.Bootstrap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v := c.Verifier()
	for _, r := range all {
		d.waitHeight(t, c, uint64(r.Source.Height)+1)
		t0 := time.Now()
		ev, err := p.Prove(ctx, &r, anchor)
		if err != nil {
			t.Fatal(err)
		}
		t1 := time.Now()
		next, err := v.Verify(ev, anchor, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("record %d: proved in %s, verified in %s", r.Source.Sequence, t1.Sub(t0).Round(time.Microsecond), time.Since(t1).Round(time.Microsecond))
		if next.Height < anchor.Height || (next.Height == anchor.Height && next.Digest != anchor.Digest) {
			t.Fatalf("anchor went from %d to %d", anchor.Height, next.Height)
		}
		if _, err := NewVerifier().Verify(ev, anchor, time.Now()); err != nil {
			t.Fatalf("offline verifier: %v", err)
		}
		anchor = next
	}
}

// TestDevnetDeliver delivers records into the devnet's records module
// through the gateway client: a delivery confirms, Delivered reports it, a
// second delivery of the same record is a no-op the engine recognizes, and
// a record for another chain is refused without a transaction.
func TestDevnetDeliver(t *testing.T) {
	d := testDevnet(t)
	c := d.chain(t, Options{})
	ctx := context.Background()
	dst, err := c.Destination()
	if err != nil {
		t.Fatal(err)
	}
	rec := relayer.NewTestRecord("registry", []byte{0x5f, 0xbd}, uint64(time.Now().UnixNano()), []byte(`{"licence":42}`))
	rec.Destination = relayer.ChainID(d.chainName)
	rec.Receiver, rec.ContentType = "licences", "application/json"
	if ok, err := dst.Delivered(ctx, &rec); err != nil || ok {
		t.Fatalf("delivered before: %v %v", ok, err)
	}
	// A packet whose timeout has passed is not received (the dry run
	// says so, nothing is sent), and writes no receipt: the same packet
	// sequence with a fresh timeout is received afterwards.
	timeout := c.cfg.Gateway.PacketTimeout
	c.cfg.Gateway.PacketTimeout = -time.Hour
	if _, err := dst.Submit(ctx, relayer.Delivery{Record: &rec}); !errors.Is(err, relayer.ErrNotLanded) || !strings.Contains(err.Error(), "timeout") {
		t.Fatalf("timed-out packet: %v, want ErrNotLanded", err)
	}
	c.cfg.Gateway.PacketTimeout = timeout
	t0 := time.Now()
	tx, err := dst.Submit(ctx, relayer.Delivery{Record: &rec})
	if err != nil {
		t.Fatal(err)
	}
	if err := dst.Confirm(ctx, &rec, tx); err != nil {
		t.Fatal(err)
	}
	t.Logf("delivered in %s (submit, in a block, confirmed)", time.Since(t0).Round(time.Millisecond))
	if ok, err := dst.Delivered(ctx, &rec); err != nil || !ok {
		t.Fatalf("delivered after: %v %v", ok, err)
	}
	// Again: the dry run sees that the packet was received.
	if _, err := dst.Submit(ctx, relayer.Delivery{Record: &rec}); !errors.Is(err, relayer.ErrNotLanded) {
		t.Fatalf("second submit: %v, want ErrNotLanded", err)
	}
	// Another record with the same ID but another receiver: Delivered sees
	// the conflict.
	forged := rec
	forged.Receiver = "mallory"
	if _, err := dst.Delivered(ctx, &forged); !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("conflicting record: %v, want ErrPermanent", err)
	}
	other := rec
	other.Destination = "elsewhere"
	if _, err := dst.Submit(ctx, relayer.Delivery{Record: &other}); !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("record for another chain: %v", err)
	}
	// A record of this chain coming back is refused by the module in the
	// dry run.
	own := relayer.NewTestRecord(relayer.ChainID(d.chainName), []byte(PortID), 99999, []byte("x"))
	own.Destination = relayer.ChainID(d.chainName)
	if _, err := dst.Submit(ctx, relayer.Delivery{Record: &own}); !errors.Is(err, relayer.ErrPermanent) || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("own record: %v", err)
	}
}

// TestDevnetMultisig sets up a gateway client whose key is a 2-of-3
// multisig of attestor keys and delivers through it with the two keys this
// relayer holds; with one key it refuses to start delivering.
func TestDevnetMultisig(t *testing.T) {
	d := testDevnet(t)
	ctx := context.Background()
	dir := t.TempDir()
	var pubs []string
	var files []config.Secret
	for i := 0; i < 3; i++ {
		k := secp256k1.GenPrivKey()
		pubs = append(pubs, hex.EncodeToString(k.PubKey().Bytes()))
		f := filepath.Join(dir, "attestor"+strconv.Itoa(i)+".key")
		if err := os.WriteFile(f, []byte(hex.EncodeToString(k.Key)), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, config.Secret{File: f})
	}
	cfg := d.config(t, "")
	cfg.Gateway.Multisig = &config.CosmosMultisig{Threshold: 2, PublicKeys: pubs}
	cfg.Gateway.AttestorKeys = []config.Secret{files[2], files[0]} // any two, in any order
	c, err := NewChain(ctx, relayer.ChainID(d.chainName), cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	setup, err := c.SetupClient(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Gateway.ClientID = setup.ClientID
	c2, err := NewChain(ctx, relayer.ChainID(d.chainName), cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	dst, err := c2.Destination()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // two proofs: the client's sequence moves
		rec := relayer.NewTestRecord("registry", []byte{0xab}, uint64(time.Now().UnixNano()), []byte("multisig "+strconv.Itoa(i)))
		rec.Destination = relayer.ChainID(d.chainName)
		tx, err := dst.Submit(ctx, relayer.Delivery{Record: &rec})
		if err != nil {
			t.Fatal(err)
		}
		if err := dst.Confirm(ctx, &rec, tx); err != nil {
			t.Fatal(err)
		}
	}
	one := cfg
	one.Gateway.AttestorKeys = files[:1]
	c3, err := NewChain(ctx, relayer.ChainID(d.chainName), one, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c3.Close()
	if _, err := c3.Destination(); !errors.Is(err, relayer.ErrPermanent) || !strings.Contains(err.Error(), "1 of the 2") {
		t.Fatalf("one of two keys: %v", err)
	}
}

// TestDevnetSignerBalance reads the relayer account's balance in its fee
// denomination from the devnet (funded with 10^12 stake at genesis, less
// the fees it paid since).
func TestDevnetSignerBalance(t *testing.T) {
	d := testDevnet(t)
	cfg := d.config(t, d.clientID)
	cfg.Account.GasPrice = "0stake"
	c, err := NewChain(context.Background(), relayer.ChainID(d.chainName), cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	amount, denom, err := c.SignerBalance(context.Background())
	if err != nil || denom != "stake" || amount.Sign() <= 0 || amount.Cmp(big.NewInt(1_000_000_000_000)) > 0 {
		t.Fatalf("balance %v %s, %v; want at most 10^12 stake, more than 0", amount, denom, err)
	}
	cfg.Account.GasPrice = ""
	free, err := NewChain(context.Background(), relayer.ChainID(d.chainName), cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer free.Close()
	if _, _, err := free.SignerBalance(context.Background()); err == nil || !strings.Contains(err.Error(), "pays no fees") {
		t.Fatalf("an account without a gas price: %v", err)
	}
}
