//go:build e2e

package fabric

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	ab "github.com/hyperledger/fabric-protos-go-apiv2/orderer"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/config"
	fabproof "github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
	"github.com/liaison-gw/liaison/relayer"
)

// TestNetworkConfigUpdate changes the channel config of the real network
// twice, with config updates built here (no configtxlator), signed by the
// org admins' keys from the network's crypto material and sent to the
// orderer's Broadcast API, and checks that the relayer's verifier follows:
//
//  1. Org1's admin adds a second anchor peer to Org1 (AnchorPeers, whose
//     mod_policy is /Channel/Application/Org1MSP/Admins). A record
//     published after it is proven from the genesis anchor with that config
//     block; the verifier accepts the genuine config block and moves the
//     anchor to it.
//  2. A new policy in the Application group needs the group's Admins,
//     MAJORITY of the two orgs' admins. With Org1's admin alone the orderer
//     refuses it; a config block carrying it anyway, cut and signed with
//     the real orderer's key, is refused by proofs/fabric with
//     ErrModPolicy, while the same forgery with both admins' signatures
//     verifies (so the refusal is the mod_policy's). Sent with both admins'
//     signatures, the orderer accepts it; records after it verify from the
//     first update's anchor and from the genesis anchor, to the same new
//     anchor, and a record proven from that anchor needs no config block.
//
// With LIAISON_FABRIC_CAPTURE_DIR set, it writes the genesis block, both
// config blocks and the forged one there (see proofs/fabric/testdata).
func TestNetworkConfigUpdate(t *testing.T) {
	start := time.Now()
	n := testNetwork(t)
	c := connect(t, n, n.cfg(1, "User1"), Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	keys := loadNetworkKeys(t, n)
	v := c.Verifier()
	anchor0, err := c.Prover().(relayer.TrustBootstrapper).Bootstrap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	src := c.Source(config.Selector{Destination: "procurement"}, 0)
	_, cur := pollAll(t, src, "", 50) // skip what earlier tests published
	// record publishes one record and reads it back with the source.
	record := func(i int) relayer.Record {
		t.Helper()
		publish(t, c, "procurement", "licensing", "text/plain", []byte(fmt.Sprintf("after config update %d", i)))
		recs, next := pollAll(t, src, cur, 10)
		if len(recs) != 1 {
			t.Fatalf("read %d records, want 1", len(recs))
		}
		cur = next
		return recs[0]
	}
	// prove proves rec from anchor and verifies it, online and offline,
	// and returns the next anchor and the bundle's config blocks.
	prove := func(rec *relayer.Record, anchor relayer.Anchor) (relayer.Anchor, Consensus) {
		t.Helper()
		ev, err := c.Prover().Prove(ctx, rec, anchor)
		if err != nil {
			t.Fatal(err)
		}
		var cons Consensus
		if err := relayer.DecodeStrict(ev.Consensus, &cons); err != nil {
			t.Fatal(err)
		}
		next, err := verifyVia(v, ev, anchor, time.Now())
		if err != nil {
			t.Fatalf("record %s from the anchor at block %d: %v", rec.ID, anchor.Height, err)
		}
		raw, err := relayer.EncodeEvidence(ev)
		if err != nil {
			t.Fatal(err)
		}
		dec, err := relayer.DecodeEvidence(raw)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := verifyVia(NewVerifier(), dec, anchor, time.Time{}); err != nil || again.Digest != next.Digest {
			t.Fatalf("offline: %v (anchor %s, online %s)", err, again.Digest, next.Digest)
		}
		return next, cons
	}

	// 1. Org1's admin adds an anchor peer.
	current, _ := currentConfig(ctx, t, c)
	want := proto.Clone(current).(*common.Config)
	org1 := want.ChannelGroup.Groups["Application"].Groups["Org1MSP"]
	var aps peer.AnchorPeers
	if err := proto.Unmarshal(org1.Values["AnchorPeers"].GetValue(), &aps); err != nil || len(aps.AnchorPeers) == 0 {
		t.Fatalf("Org1's anchor peers: %v (%d)", err, len(aps.AnchorPeers))
	}
	aps.AnchorPeers = append(aps.AnchorPeers, &peer.AnchorPeer{Host: "localhost", Port: aps.AnchorPeers[0].Port})
	org1.Values["AnchorPeers"].Value = mustProto(t, &aps)
	u1, err := fabrictest.ComputeUpdate(n.Channel, current, want)
	if err != nil {
		t.Fatal(err)
	}
	cfg1 := keys.submit(ctx, t, c, u1.Update, keys.admin1)
	t.Logf("config block %d: Org1's anchor peers, signed by Org1's admin (%s)", cfg1, time.Since(start).Round(time.Millisecond))
	rec1 := record(1)
	anchor1, cons := prove(&rec1, anchor0)
	if anchor1.Height != relayer.Height(cfg1) || len(cons.ConfigBlocks) != 1 || len(cons.AnchorBlock) == 0 {
		t.Fatalf("anchor moved to %d (want %d) with %d config blocks", anchor1.Height, cfg1, len(cons.ConfigBlocks))
	}

	// 2. A new Application policy: both orgs' admins.
	current, raw1 := currentConfig(ctx, t, c)
	want = proto.Clone(current).(*common.Config)
	pol, err := fabrictest.SignaturePolicy(1, "Org1MSP.admin")
	if err != nil {
		t.Fatal(err)
	}
	want.ChannelGroup.Groups["Application"].Policies["LiaisonE2E"] = &common.ConfigPolicy{
		ModPolicy: "Admins", Policy: &common.Policy{Type: int32(common.Policy_SIGNATURE), Value: mustProto(t, pol)},
	}
	u2, err := fabrictest.ComputeUpdate(n.Channel, current, want)
	if err != nil {
		t.Fatal(err)
	}
	env, err := fabrictest.UpdateEnvelope(u2.Update, keys.admin1)
	if err != nil {
		t.Fatal(err)
	}
	if st, info := keys.broadcast(ctx, t, env); st == common.Status_SUCCESS {
		t.Fatal("the orderer accepted an Application change signed by Org1's admin alone")
	} else {
		t.Logf("the orderer refuses it with Org1's admin alone: %v %s", st, info)
	}
	// The orderer's key forges the block anyway.
	h, err := c.height(ctx, c.eps[0])
	if err != nil {
		t.Fatal(err)
	}
	_, last, err := c.blockByNumber(ctx, c.eps[0], h-1)
	if err != nil {
		t.Fatal(err)
	}
	prev, err := headerHash(last.GetHeader())
	if err != nil {
		t.Fatal(err)
	}
	tc1, err := fabproof.ParseConfigBlock(raw1)
	if err != nil {
		t.Fatal(err)
	}
	forge := func(signers ...*fabrictest.Identity) []byte {
		t.Helper()
		net := &fabrictest.Network{Channel: n.Channel}
		env, err := net.ConfigTx(u2, signers, keys.orderer)
		if err != nil {
			t.Fatal(err)
		}
		b, err := net.Block(fabrictest.BlockSpec{Number: h, PrevHash: prev, LastConfig: h, Envelopes: [][]byte{env},
			Signers: []fabrictest.OrdererSig{{ID: keys.orderer}}})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	forged := forge(keys.admin1)
	_, err = fabproof.VerifyBlock(tc1, prev, forged)
	var ce *fabproof.ConfigElementError
	if !errors.Is(err, fabproof.ErrModPolicy) || !errors.As(err, &ce) || ce.Element != "group /Channel/Application" || ce.Policy != "/Channel/Application/Admins" {
		t.Fatalf("the forged config block: %v, want ErrModPolicy on group /Channel/Application", err)
	}
	t.Logf("forged config block refused: %v", err)
	if _, err := fabproof.VerifyBlock(tc1, prev, forge(keys.admin1, keys.admin2)); err != nil {
		t.Fatalf("the same forgery with both admins' signatures: %v", err)
	}
	cfg2 := keys.submit(ctx, t, c, u2.Update, keys.admin1, keys.admin2)
	t.Logf("config block %d: a new Application policy, signed by both orgs' admins (%s)", cfg2, time.Since(start).Round(time.Millisecond))

	rec2 := record(2)
	anchor2, cons := prove(&rec2, anchor1)
	if anchor2.Height != relayer.Height(cfg2) || len(cons.ConfigBlocks) != 1 {
		t.Fatalf("anchor moved to %d (want %d) with %d config blocks", anchor2.Height, cfg2, len(cons.ConfigBlocks))
	}
	fromGenesis, cons := prove(&rec2, anchor0)
	if fromGenesis.Digest != anchor2.Digest || len(cons.ConfigBlocks) != 2 {
		t.Fatalf("from the genesis anchor: %s with %d config blocks, want %s with 2", fromGenesis.Digest, len(cons.ConfigBlocks), anchor2.Digest)
	}
	rec3 := record(3)
	if same, cons := prove(&rec3, anchor2); same.Digest != anchor2.Digest || len(cons.ConfigBlocks) != 0 {
		t.Fatalf("from the new anchor: %s with %d config blocks", same.Digest, len(cons.ConfigBlocks))
	}
	// The record before the second update, proven after the anchor moved:
	// against the first update's anchor.
	if ev, err := c.Prover().Prove(ctx, &rec1, anchor2); err != nil || ev.Anchor.Digest != anchor1.Digest {
		t.Fatalf("record 1 from the moved anchor: %v", err)
	} else if _, err := verifyVia(v, ev, anchor1, time.Time{}); err != nil {
		t.Fatal(err)
	}

	if dir := os.Getenv("LIAISON_FABRIC_CAPTURE_DIR"); dir != "" {
		genesis, err := os.ReadFile(n.cfg(1, "User1").Trust.ConfigBlock)
		if err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{"config.block": genesis, "forged-org1-only.block": forged}
		for name, num := range map[string]uint64{"update-anchor-peers.block": cfg1, "update-policy.block": cfg2} {
			raw, _, err := c.blockByNumber(ctx, c.eps[0], num)
			if err != nil {
				t.Fatal(err)
			}
			files[name] = raw
		}
		for name, b := range files {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("wrote %d blocks to %s (config blocks %d and %d, forged block %d)", len(files), dir, cfg1, cfg2, h)
	}
	t.Logf("two config updates on the real network, proven and verified, in %s", time.Since(start).Round(time.Millisecond))
}

// networkKeys are the signing identities of the network's crypto material
// that the test uses, and the orderer's endpoint.
type networkKeys struct {
	admin1, admin2 *fabrictest.Identity
	orderer        *fabrictest.Identity // orderer0's own signing key
	ordererAddr    string
	ordererHost    string
	ordererTLSCA   string
}

func loadNetworkKeys(t *testing.T, n *network) *networkKeys {
	t.Helper()
	load := func(msp, cert, key string) *fabrictest.Identity {
		c, err := os.ReadFile(cert)
		if err != nil {
			t.Fatal(err)
		}
		k, err := os.ReadFile(key)
		if err != nil {
			t.Fatal(err)
		}
		id, err := fabrictest.LoadIdentity(msp, c, k)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	raw, err := os.ReadFile(filepath.Join(n.Dir, "network.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Orderers []struct {
			Address string `json:"address"`
			Host    string `json:"host"`
			MSPID   string `json:"msp_id"`
			TLSCA   string `json:"tls_ca"`
		} `json:"orderers"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil || len(doc.Orderers) == 0 {
		t.Fatalf("network.json orderers: %v", err)
	}
	o := doc.Orderers[0]
	// cryptogen's layout: .../ordererOrganizations/<domain>/orderers/<host>/msp.
	domain := strings.TrimPrefix(o.Host, "orderer0.")
	msp := filepath.Join(n.Dir, "crypto", "ordererOrganizations", domain, "orderers", o.Host, "msp")
	k := &networkKeys{
		admin1:       load(n.Orgs[0].MSPID, n.Orgs[0].Users["Admin"].Cert, n.Orgs[0].Users["Admin"].Key),
		admin2:       load(n.Orgs[1].MSPID, n.Orgs[1].Users["Admin"].Cert, n.Orgs[1].Users["Admin"].Key),
		orderer:      load(o.MSPID, filepath.Join(msp, "signcerts", o.Host+"-cert.pem"), filepath.Join(msp, "keystore", "priv_sk")),
		ordererAddr:  o.Address,
		ordererHost:  o.Host,
		ordererTLSCA: o.TLSCA,
	}
	return k
}

// broadcast sends one envelope to the orderer and returns its answer.
func (k *networkKeys) broadcast(ctx context.Context, t *testing.T, env []byte) (common.Status, string) {
	t.Helper()
	ca, err := os.ReadFile(k.ordererTLSCA)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		t.Fatal("orderer TLS CA is not PEM")
	}
	conn, err := grpc.NewClient(k.ordererAddr, grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{RootCAs: pool, ServerName: k.ordererHost, MinVersion: tls.VersionTLS12})))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	stream, err := ab.NewAtomicBroadcastClient(conn).Broadcast(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var e common.Envelope
	if err := proto.Unmarshal(env, &e); err != nil {
		t.Fatal(err)
	}
	if err := stream.Send(&e); err != nil {
		t.Fatal(err)
	}
	resp, err := stream.Recv()
	if err != nil {
		t.Fatal(err)
	}
	stream.CloseSend()
	return resp.Status, resp.Info
}

// submit sends a config update signed by signers (the first one signs the
// envelope), waits until c's first peer has committed the config block it
// makes, and returns that block's number.
func (k *networkKeys) submit(ctx context.Context, t *testing.T, c *Chain, u *common.ConfigUpdate, signers ...*fabrictest.Identity) uint64 {
	t.Helper()
	ep := c.eps[0]
	h, err := c.height(ctx, ep)
	if err != nil {
		t.Fatal(err)
	}
	env, err := fabrictest.UpdateEnvelope(u, signers...)
	if err != nil {
		t.Fatal(err)
	}
	if st, info := k.broadcast(ctx, t, env); st != common.Status_SUCCESS {
		t.Fatalf("the orderer refused the config update: %v %s", st, info)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		now, err := c.height(ctx, ep)
		if err != nil {
			t.Fatal(err)
		}
		for num := h; num < now; num++ {
			_, b, err := c.blockByNumber(ctx, ep, num)
			if err != nil {
				t.Fatal(err)
			}
			if lc, err := lastConfig(b); err == nil && lc == num {
				return num
			}
		}
		h = now
		if time.Now().After(deadline) {
			t.Fatal("the peer did not commit the config block within a minute")
		}
		select {
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// currentConfig returns the channel config in force on c's first peer and
// the config block that holds it.
func currentConfig(ctx context.Context, t *testing.T, c *Chain) (*common.Config, []byte) {
	t.Helper()
	ep := c.eps[0]
	h, err := c.height(ctx, ep)
	if err != nil {
		t.Fatal(err)
	}
	_, last, err := c.blockByNumber(ctx, ep, h-1)
	if err != nil {
		t.Fatal(err)
	}
	lc, err := lastConfig(last)
	if err != nil {
		t.Fatal(err)
	}
	raw, b, err := c.blockByNumber(ctx, ep, lc)
	if err != nil {
		t.Fatal(err)
	}
	var env common.Envelope
	var pl common.Payload
	var ce common.ConfigEnvelope
	if proto.Unmarshal(b.GetData().GetData()[0], &env) != nil || proto.Unmarshal(env.Payload, &pl) != nil || proto.Unmarshal(pl.Data, &ce) != nil {
		t.Fatalf("config block %d does not decode", lc)
	}
	return ce.Config, raw
}

func mustProto(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
