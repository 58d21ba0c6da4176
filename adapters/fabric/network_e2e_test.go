//go:build e2e

package fabric

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

// network is a running e2e/fabric network, as its network.json describes it.
type network struct {
	Dir       string   `json:"dir"`
	Channel   string   `json:"channel"`
	Chaincode string   `json:"chaincode"`
	ChainName string   `json:"chain_name"`
	Attestors []string `json:"attestors"`
	Orgs      []struct {
		MSPID string `json:"msp_id"`
		Peer  struct {
			Address string `json:"address"`
			Host    string `json:"host"`
			TLSCA   string `json:"tls_ca"`
		} `json:"peer"`
		Users map[string]struct {
			Cert string `json:"cert"`
			Key  string `json:"key"`
		} `json:"users"`
	} `json:"orgs"`
}

var (
	netOnce sync.Once
	netDir  string
	netErr  error
)

// testNetwork returns the network the tests share: the one in
// $LIAISON_FABRIC_DIR when set (left running), else a new one brought up
// with e2e/fabric/network.sh on free ports (stopped when the tests end, see
// TestMain).
func testNetwork(t *testing.T) *network {
	t.Helper()
	netOnce.Do(func() {
		if d := os.Getenv("LIAISON_FABRIC_DIR"); d != "" {
			netDir = d
			return
		}
		dir, err := os.MkdirTemp("", "liaison-fabric-adapter-")
		if err != nil {
			netErr = err
			return
		}
		netDir = filepath.Join(dir, "net")
		cmd := exec.Command(filepath.Join("..", "..", "e2e", "fabric", "network.sh"), "up", netDir)
		cmd.Env = append(os.Environ(), "FABRIC_BASE_PORT="+strconv.Itoa(freeBase()))
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			netErr = errors.New("network.sh up: " + err.Error() + "\n" + string(out))
			return
		}
		stopNetwork = func() {
			exec.Command(filepath.Join("..", "..", "e2e", "fabric", "network.sh"), "down", netDir).Run()
			os.RemoveAll(dir)
		}
		println("fabric network up in", time.Since(start).Round(time.Millisecond).String())
	})
	if netErr != nil {
		t.Fatal(netErr)
	}
	raw, err := os.ReadFile(filepath.Join(netDir, "network.json"))
	if err != nil {
		t.Fatal(err)
	}
	var n network
	if err := json.Unmarshal(raw, &n); err != nil {
		t.Fatal(err)
	}
	return &n
}

var stopNetwork = func() {}

func TestMain(m *testing.M) {
	code := m.Run()
	stopNetwork()
	os.Exit(code)
}

// freeBase returns a base port whose 61 ports are free now.
func freeBase() int {
	start := 21000 + int(time.Now().UnixNano()/1000%150)*100
	for base := start; base < 60000; base += 100 {
		ok := true
		var ls []net.Listener
		for p := base; p <= base+60 && ok; p++ {
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
			if err != nil {
				ok = false
				break
			}
			ls = append(ls, l)
		}
		for _, l := range ls {
			l.Close()
		}
		if ok {
			return base
		}
	}
	return 7050
}

// cfg is the adapter configuration of org (1 or 2) and user, with both
// orgs' peers, the org's own first.
func (n *network) cfg(org int, user string) config.Fabric {
	o := n.Orgs[org-1]
	f := config.Fabric{
		MSPID:     o.MSPID,
		Channel:   n.Channel,
		Chaincode: n.Chaincode,
		Identity:  config.FabricIdentity{Cert: o.Users[user].Cert, Key: config.Secret{File: o.Users[user].Key}},
	}
	f.Trust.ConfigBlock = filepath.Join(n.Dir, "channel", n.Channel+".block")
	for _, k := range []int{org - 1, 2 - org} {
		p := n.Orgs[k].Peer
		f.Peers = append(f.Peers, config.FabricPeer{Address: p.Address, TLSCA: p.TLSCA, ServerName: p.Host})
	}
	f.ApplyDefaults()
	return f
}

func connect(t *testing.T, n *network, cfg config.Fabric, opts Options) *Chain {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := NewChain(ctx, relayer.ChainID(n.ChainName), cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// publish submits PublishRecord through c's first peer and returns the
// record ID and the transaction ID.
func publish(t *testing.T, c *Chain, dest, receiver, ctype string, payload []byte) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var tx *client.Transaction
	for attempt := 1; ; attempt++ {
		p, err := c.eps[0].contract.NewProposal("PublishRecord", client.WithArguments(dest, receiver, ctype, base64.StdEncoding.EncodeToString(payload)))
		if err != nil {
			t.Fatal(err)
		}
		if tx, err = p.EndorseWithContext(ctx); err == nil {
			break
		}
		// Right after the previous publish committed on one peer, the
		// other may not have it yet: the two read different versions of
		// outbox/seq, and the gateway finds their responses differ. A
		// client endorses again.
		if attempt == 10 || !strings.Contains(err.Error(), "ProposalResponsePayloads do not match") {
			t.Fatalf("publish: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	commit, err := tx.SubmitWithContext(ctx)
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	st, err := commit.StatusWithContext(ctx)
	if err != nil || !st.Successful {
		t.Fatalf("publish: status %v, %v", st, err)
	}
	return string(tx.Result()), tx.TransactionID()
}

// pollAll polls from cur until the source has nothing new.
func pollAll(t *testing.T, s relayer.Source, cur relayer.Cursor, limit int) ([]relayer.Record, relayer.Cursor) {
	t.Helper()
	var out []relayer.Record
	for i := 0; i < 100; i++ {
		start := time.Now()
		b, err := s.Poll(context.Background(), cur, limit)
		if err != nil {
			t.Fatalf("poll from %s: %v", cur, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("Poll took %s", d)
		}
		if len(b.Records) > limit {
			t.Fatalf("poll returned %d records for limit %d", len(b.Records), limit)
		}
		out = append(out, b.Records...)
		if len(b.Records) == 0 && b.Next == cur {
			return out, cur
		}
		cur = b.Next
	}
	t.Fatal("the source never ran dry")
	return nil, ""
}

// TestNetworkSourceProverVerifier publishes records on a real network,
// reads them with the Source (in small batches, and again after a
// "restart" from the stored cursor), proves each from the peer and
// verifies it, and checks that a tampered bundle fails.
func TestNetworkSourceProverVerifier(t *testing.T) {
	n := testNetwork(t)
	c := connect(t, n, n.cfg(1, "User1"), Options{})
	ctx := context.Background()
	anchor, err := c.Prover().(relayer.TrustBootstrapper).Bootstrap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if anchor.Scheme != SchemeConfig || anchor.Height != 0 {
		t.Fatalf("anchor %s at %d", anchor.Scheme, anchor.Height)
	}
	src := c.Source(config.Selector{Destination: "procurement"}, 0)
	_, cur := pollAll(t, src, "", 50) // skip what earlier tests published

	var want []string
	for i := range 3 {
		id, _ := publish(t, c, "procurement", "licensing", "application/json", []byte(`{"n":`+strconv.Itoa(i)+`}`))
		want = append(want, id)
	}
	publish(t, c, "finance", "ledger", "text/plain", []byte("not for this route"))
	recs, cur2 := pollAll(t, src, cur, 1)
	if len(recs) != 3 {
		t.Fatalf("read %d records, want 3", len(recs))
	}
	for i, r := range recs {
		if r.ID.String() != want[i] || r.Source.Chain != relayer.ChainID(n.ChainName) || string(r.Source.Emitter) != n.Chaincode {
			t.Errorf("record %d: %+v, want id %s", i, r, want[i])
		}
		if err := r.Check(); err != nil {
			t.Error(err)
		}
	}
	// A restart resumes from the stored cursor: nothing is read twice.
	again, _ := pollAll(t, c.Source(config.Selector{Destination: "procurement"}, 0), cur2, 10)
	if len(again) != 0 {
		t.Errorf("after a restart the source read %d records again", len(again))
	}

	v := c.Verifier()
	for i := range recs {
		ev, err := c.Prover().Prove(ctx, &recs[i], anchor)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := verifyVia(v, ev, anchor, time.Now()); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		raw, _ := relayer.EncodeEvidence(ev)
		dec, err := relayer.DecodeEvidence(raw)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := verifyVia(NewVerifier(), dec, dec.Anchor, time.Time{}); err != nil {
			t.Fatalf("offline: %v", err)
		}
		dec.Record.Receiver = "mallory"
		dec.Record.ID, _ = relayer.ComputeRecordID(dec.Record.Source.Chain, dec.Record.Source.Emitter, dec.Record.Source.Sequence)
		if _, err := verifyVia(v, dec, anchor, time.Time{}); !errors.Is(err, ErrWrongWrite) {
			t.Fatalf("tampered receiver: got %v, want ErrWrongWrite", err)
		}
	}

	// A cursor whose hash is not the ledger's is a relayer.ForkError.
	parsed, _ := parseCursor(cur, 0)
	parsed.hash = bytes.Repeat([]byte{7}, 32)
	var le *relayer.ForkError
	if _, err := src.Poll(ctx, parsed.encode(), 10); !errors.As(err, &le) || !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("foreign cursor hash: got %v, want a *relayer.ForkError", err)
	}
}

// inboundRecord is a record from another chain addressed to the network's
// chain, as the Inbox receives it.
func inboundRecord(n *network, seq uint64, receiver string) relayer.Record {
	rec := relayer.NewTestRecord("chain-a", bytes.Repeat([]byte{0xab}, 20), seq, []byte("inbound "+strconv.FormatUint(seq, 10)))
	rec.Destination, rec.Receiver, rec.ContentType = relayer.ChainID(n.ChainName), receiver, "text/plain"
	return rec
}

func delivery(rec *relayer.Record) relayer.Delivery {
	return relayer.Delivery{Record: rec, EvidenceHash: sha256.Sum256([]byte(rec.ID.String()))}
}

// TestNetworkDestination attests records on the real Inbox and checks the
// error mapping of each way it can go.
func TestNetworkDestination(t *testing.T) {
	n := testNetwork(t)
	ctx := context.Background()
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	c := connect(t, n, n.cfg(1, "User1"), Options{Now: clock})
	d, err := c.Destination()
	if err != nil {
		t.Fatal(err)
	}
	seq := uint64(time.Now().UnixNano())

	t.Run("prepare, submit, confirm, resubmit", func(t *testing.T) {
		rec := inboundRecord(n, seq, "licensing")
		if ok, err := d.Delivered(ctx, &rec); err != nil || ok {
			t.Fatalf("delivered before: %v, %v", ok, err)
		}
		p, err := d.(relayer.Preparer).Prepare(ctx, delivery(&rec))
		if err != nil {
			t.Fatal(err)
		}
		del := delivery(&rec)
		del.Prepared = p.Data
		txID, err := d.Submit(ctx, del)
		if err != nil || txID != p.TxID {
			t.Fatalf("submit: %s, %v (prepared %s)", txID, err, p.TxID)
		}
		if err := d.Confirm(ctx, &rec, txID); err != nil {
			t.Fatalf("confirm: %v", err)
		}
		if ok, err := d.Delivered(ctx, &rec); err != nil || !ok {
			t.Fatalf("delivered after: %v, %v", ok, err)
		}
		// The same prepared proposal again: the ledger has its ID.
		if again, err := d.Submit(ctx, del); err != nil || again != txID {
			t.Fatalf("resubmit: %s, %v", again, err)
		}
	})
	t.Run("refused by the chaincode", func(t *testing.T) {
		conflict := inboundRecord(n, seq, "someone else") // same ID, other digest
		if _, err := d.Submit(ctx, delivery(&conflict)); !errors.Is(err, relayer.ErrPermanent) || !strings.Contains(err.Error(), "conflict") {
			t.Fatalf("conflict: %v", err)
		}
		if _, err := d.Delivered(ctx, &conflict); !errors.Is(err, relayer.ErrPermanent) {
			t.Fatalf("delivered with another digest: %v", err)
		}
		wrong := inboundRecord(n, seq+1, "licensing")
		wrong.Destination = "elsewhere"
		if _, err := d.Submit(ctx, delivery(&wrong)); !errors.Is(err, relayer.ErrPermanent) || !strings.Contains(err.Error(), "wrong destination") {
			t.Fatalf("wrong destination: %v", err)
		}
		bad := inboundRecord(n, seq+2, "licensing")
		bad.Source.Sequence++ // the ID no longer follows
		if _, err := d.Submit(ctx, delivery(&bad)); !errors.Is(err, relayer.ErrPermanent) || !strings.Contains(err.Error(), "invalid") {
			t.Fatalf("invalid: %v", err)
		}
		stranger := connect(t, n, n.cfg(1, "User2"), Options{})
		if _, err := stranger.Destination(); err == nil || !strings.Contains(err.Error(), "AddAttestor") {
			t.Fatalf("a non-attestor got a destination: %v", err)
		}
		forced := &destination{c: stranger, attestor: "Org1MSP/cert/00"}
		rec := inboundRecord(n, seq+3, "licensing")
		if _, err := forced.Submit(ctx, delivery(&rec)); !errors.Is(err, relayer.ErrPermanent) || !strings.Contains(err.Error(), "unauthorized") {
			t.Fatalf("unauthorized: %v", err)
		}
	})
	t.Run("batch: prepare, submit, confirm, resubmit, refused", func(t *testing.T) {
		bd := d.(relayer.BatchDestination)
		var recs []relayer.Record
		for i := range 30 {
			recs = append(recs, inboundRecord(n, seq+100+uint64(i), "licensing"))
		}
		// Record 0 was delivered already (alone): in the batch it is a
		// no-op, not a failure of the others.
		p0, err := d.(relayer.Preparer).Prepare(ctx, delivery(&recs[0]))
		if err != nil {
			t.Fatal(err)
		}
		del0 := delivery(&recs[0])
		del0.Prepared = p0.Data
		if _, err := d.Submit(ctx, del0); err != nil {
			t.Fatal(err)
		}
		ds := make([]relayer.Delivery, len(recs))
		for i := range recs {
			ds[i] = delivery(&recs[i])
		}
		p, k, err := bd.PrepareBatch(ctx, ds)
		if err != nil || k != len(recs) {
			t.Fatalf("prepare batch: %d records, %v", k, err)
		}
		txID, err := bd.SubmitBatch(ctx, p.Data)
		if err != nil || txID != p.TxID {
			t.Fatalf("submit batch: %s, %v (prepared %s)", txID, err, p.TxID)
		}
		if err := d.Confirm(ctx, &recs[7], txID); err != nil {
			t.Fatalf("confirm batch: %v", err)
		}
		for i := range recs {
			if ok, err := d.Delivered(ctx, &recs[i]); err != nil || !ok {
				t.Fatalf("record %d of the batch: delivered %v, %v", i, ok, err)
			}
		}
		if again, err := bd.SubmitBatch(ctx, p.Data); err != nil || again != txID {
			t.Fatalf("resubmit batch: %s, %v", again, err)
		}
		// A batch with a record addressed elsewhere is refused as a whole,
		// as never landing (the engine splits it).
		wrong := inboundRecord(n, seq+200, "licensing")
		wrong.Destination = "elsewhere"
		good := inboundRecord(n, seq+201, "licensing")
		pw, _, err := bd.PrepareBatch(ctx, []relayer.Delivery{delivery(&good), delivery(&wrong)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := bd.SubmitBatch(ctx, pw.Data); !errors.Is(err, relayer.ErrNotLanded) || !errors.Is(err, relayer.ErrPermanent) || !strings.Contains(err.Error(), "wrong destination") {
			t.Fatalf("refused batch: %v", err)
		}
		if ok, err := d.Delivered(ctx, &good); err != nil || ok {
			t.Fatalf("a refused batch delivered a record: %v, %v", ok, err)
		}
	})
	t.Run("two submissions race; one loses its MVCC check", func(t *testing.T) {
		rec := inboundRecord(n, seq+4, "licensing")
		var wg sync.WaitGroup
		errs := make([]error, 2)
		ids := make([]string, 2)
		for i := range 2 {
			p, err := d.(relayer.Preparer).Prepare(ctx, delivery(&rec))
			if err != nil {
				t.Fatal(err)
			}
			del := delivery(&rec)
			del.Prepared = p.Data
			wg.Add(1)
			go func() {
				defer wg.Done()
				ids[i], errs[i] = d.Submit(ctx, del)
				if errs[i] == nil {
					errs[i] = d.Confirm(ctx, &rec, ids[i])
				}
			}()
		}
		wg.Wait()
		ok, lost := 0, 0
		for i, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, relayer.ErrNotLanded) && strings.Contains(err.Error(), "MVCC_READ_CONFLICT"):
				lost++
			default:
				t.Errorf("submission %d: %v", i, err)
			}
		}
		t.Logf("racing submissions: %d valid, %d MVCC conflicts", ok, lost)
		if ok < 1 {
			t.Errorf("no submission landed: %v", errs)
		}
		if delivered, err := d.Delivered(ctx, &rec); err != nil || !delivered {
			t.Fatalf("delivered: %v, %v", delivered, err)
		}
	})
	t.Run("confirm an unknown transaction", func(t *testing.T) {
		rec := inboundRecord(n, seq+5, "licensing")
		unknown := strings.Repeat("0f", 32)
		if err := d.Confirm(ctx, &rec, unknown); !errors.Is(err, relayer.ErrPending) {
			t.Fatalf("first: %v", err)
		}
		mu.Lock()
		now = now.Add(c.cfg.Timeouts.Lost + time.Second)
		mu.Unlock()
		if err := d.Confirm(ctx, &rec, unknown); !errors.Is(err, relayer.ErrNotLanded) {
			t.Fatalf("after timeouts.lost: %v", err)
		}
		if err := d.Confirm(ctx, &rec, "nonsense"); !errors.Is(err, relayer.ErrNotLanded) {
			t.Fatalf("not a tx id: %v", err)
		}
	})
}

// TestNetworkConnectFailures checks NewChain's one-line failures.
func TestNetworkConnectFailures(t *testing.T) {
	n := testNetwork(t)
	ctx := context.Background()
	try := func(edit func(*config.Fabric), name relayer.ChainID) error {
		cfg := n.cfg(1, "User1")
		cfg.Timeouts.Dial = 3 * time.Second
		edit(&cfg)
		if name == "" {
			name = relayer.ChainID(n.ChainName)
		}
		c, err := NewChain(ctx, name, cfg, Options{})
		if err == nil {
			c.Close()
		}
		return err
	}
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := l.Addr().String()
	l.Close()
	if err := try(func(f *config.Fabric) { f.Peers = f.Peers[:1]; f.Peers[0].Address = closed }, ""); !errors.Is(err, relayer.ErrUnavailable) {
		t.Errorf("closed port: %v", err)
	} else {
		t.Logf("closed port: %v", err)
	}
	if err := try(func(*config.Fabric) {}, "finance"); err == nil || !strings.Contains(err.Error(), `initialized with chain name "registry"`) {
		t.Errorf("wrong chain name: %v", err)
	}
	if err := try(func(f *config.Fabric) { f.Channel = "nochannel" }, ""); err == nil || errors.Is(err, relayer.ErrUnavailable) {
		t.Errorf("unknown channel: %v", err)
	} else {
		t.Logf("unknown channel: %v", err)
	}
	if err := try(func(f *config.Fabric) { f.Chaincode = "nochaincode" }, ""); err == nil {
		t.Errorf("unknown chaincode accepted")
	} else {
		t.Logf("unknown chaincode: %v", err)
	}
	if err := try(func(f *config.Fabric) { f.Peers[0].ServerName = "wrong.example.com" }, ""); err == nil {
		t.Errorf("wrong TLS server name accepted")
	} else {
		t.Logf("wrong TLS server name: %v", err)
	}
	if err := try(func(f *config.Fabric) { f.Identity.Key.File = n.Orgs[0].Users["User2"].Key }, ""); err == nil || !strings.Contains(err.Error(), "is not the key of the certificate") {
		t.Errorf("mismatched key: %v", err)
	}
	cfg := n.cfg(1, "User1")
	cfg.Trust.ConfigBlock = filepath.Join(vectors, "raft", "config.block")
	c := connect(t, n, cfg, Options{})
	if _, err := c.Prover().(relayer.TrustBootstrapper).Bootstrap(ctx); err == nil || !strings.Contains(err.Error(), "is not this channel's config block") {
		t.Errorf("another network's config block: %v", err)
	}
}
