package fabric

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/relayer"
)

// serveLedger makes the fake peer answer qscc queries from s's blocks.
func serveLedger(g *fakeGateway, s *synthetic) {
	g.script(func(g *fakeGateway) {
		g.evaluate = func(cc, fn string, args []string) ([]byte, error) {
			if cc == "records" && fn == "GetConfig" {
				return nil, status.Error(codes.Unknown, "not scripted")
			}
			switch fn {
			case "GetBlockByNumber":
				n, err := strconv.Atoi(args[1])
				if err != nil || n >= len(s.blocks) {
					return nil, status.Error(codes.Unknown, "chaincode response 500, no block "+args[1])
				}
				return s.blocks[n], nil
			case "GetBlockByTxID":
				for _, raw := range s.blocks {
					var b common.Block
					if proto.Unmarshal(raw, &b) != nil {
						continue
					}
					if _, _, err := findTx(&b, args[1]); err == nil {
						return raw, nil
					}
				}
				return nil, noSuchTx(args[1])
			}
			return nil, status.Error(codes.Unknown, "unexpected "+fn)
		}
	})
}

// TestProveAcrossConfigChanges runs the prover against a peer that serves
// a channel whose config changed: a record after the change is proven with
// the config block in between (and moves the anchor), and a record before
// it, proven after the anchor moved, names the older anchor, rebuilt from
// the peer's config block byte for byte.
func TestProveAcrossConfigChanges(t *testing.T) {
	s := newSynthetic(t)
	rec1, _ := s.publish(1, 0, nil)
	cfg := s.configUpdate()
	s.publish(2, cfg, nil) // another block under the new config
	rec3, _ := s.publish(3, cfg, nil)

	peers := startFakePeers(t, 1)
	c := fakeChain(t, peers, Options{Now: func() time.Time { return time.Unix(1, 0) }})
	serveLedger(peers[0].gw, s)
	ctx := context.Background()
	v := c.Verifier()

	// Bootstrap from the genesis block in a file, compared with the peer's.
	path := filepath.Join(t.TempDir(), "genesis.block")
	if err := os.WriteFile(path, s.blocks[0], 0o644); err != nil {
		t.Fatal(err)
	}
	c.cfg.Trust.ConfigBlock = path
	anchor0, err := c.Prover().(relayer.TrustBootstrapper).Bootstrap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if anchor0.Digest != s.anchor.Digest {
		t.Fatalf("bootstrap anchor %s, want %s", anchor0.Digest, s.anchor.Digest)
	}

	ev3, err := c.Prover().Prove(ctx, &rec3, anchor0)
	if err != nil {
		t.Fatal(err)
	}
	var cons Consensus
	if err := relayer.DecodeStrict(ev3.Consensus, &cons); err != nil || len(cons.ConfigBlocks) != 1 {
		t.Fatalf("consensus: %d config blocks, %v", len(cons.ConfigBlocks), err)
	}
	anchor2, err := v.Verify(ev3, anchor0, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if anchor2.Height != relayer.Height(cfg) {
		t.Fatalf("next anchor at %d, want %d", anchor2.Height, cfg)
	}

	// The record before the change, proven against the moved anchor.
	ev1, err := c.Prover().Prove(ctx, &rec1, anchor2)
	if err != nil {
		t.Fatal(err)
	}
	if ev1.Anchor.Digest != anchor0.Digest {
		t.Fatalf("old record proven against %s (height %d), want the genesis anchor %s", ev1.Anchor.Digest, ev1.Anchor.Height, anchor0.Digest)
	}
	if _, err := v.Verify(ev1, anchor0, time.Time{}); err != nil {
		t.Fatal(err)
	}

	// A record of a transaction the peer does not have: unavailable (the
	// peer may be behind), not permanent.
	ghost := rec3
	ghost.Source.TxID = "00" + rec3.Source.TxID[2:]
	if ghost.Source.TxID == rec3.Source.TxID { // 1 run in 256
		ghost.Source.TxID = "ff" + rec3.Source.TxID[2:]
	}
	if _, err := c.Prover().Prove(ctx, &ghost, anchor2); !errors.Is(err, relayer.ErrUnavailable) {
		t.Fatalf("unknown tx: %v", err)
	}
	// A record whose height is not its transaction's block.
	moved := rec3
	moved.Source.Height++
	if _, err := c.Prover().Prove(ctx, &moved, anchor2); !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("wrong height: %v", err)
	}
	// An anchor of another chaincode, or scheme.
	other := rec3
	other.Source.Emitter = []byte("other")
	if _, err := c.Prover().Prove(ctx, &other, anchor2); !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("other emitter: %v", err)
	}
	qbft := anchor2
	qbft.Scheme = "qbft"
	if _, err := c.Prover().Prove(ctx, &rec3, qbft); !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("anchor of another scheme: %v", err)
	}

	// Bootstrap refuses a config block the peer does not have at its
	// number.
	other2 := newSynthetic(t)
	if err := os.WriteFile(path, other2.blocks[0], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Prover().(relayer.TrustBootstrapper).Bootstrap(ctx); err == nil {
		t.Fatal("another channel's genesis block accepted")
	}
}
