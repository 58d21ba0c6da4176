package fabric

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/liaison-gw/liaison/relayer"
)

const endorseAborted = "failed to endorse transaction, see attached details for more info"

// TestSubmitErrorMapping drives Submit through every failure the gateway
// can report, against a fake gateway, and checks the sentinel, whether the
// orderer was asked, and the message.
func TestSubmitErrorMapping(t *testing.T) {
	cases := []struct {
		name   string
		script func(g *fakeGateway)
		// want: "ok", or the sentinel (nil: a plain error).
		ok        bool
		sentinel  error
		submitted bool
		contains  string
	}{
		{name: "committed VALID", ok: true, submitted: true},
		{name: "endorsers unreachable", script: func(g *fakeGateway) {
			g.endorse = func(string) error { return status.Error(codes.Unavailable, "no peers available") }
		}, sentinel: relayer.ErrUnavailable},
		{name: "endorsement timeout", script: func(g *fakeGateway) {
			g.endorse = func(string) error {
				return status.Error(codes.DeadlineExceeded, "endorsement timeout expired while collecting endorsements")
			}
		}, sentinel: relayer.ErrUnavailable},
		{name: "chaincode conflict", script: func(g *fakeGateway) {
			g.endorse = func(string) error {
				return gatewayError(codes.Aborted, endorseAborted, "chaincode response 500, conflict: Org1MSP/cert/aa attested digest 0x01 before")
			}
		}, sentinel: relayer.ErrPermanent, contains: "conflict"},
		{name: "chaincode unauthorized", script: func(g *fakeGateway) {
			g.endorse = func(string) error {
				return gatewayError(codes.Aborted, endorseAborted, "chaincode response 500, unauthorized: User1 (Org1MSP) is not an attestor")
			}
		}, sentinel: relayer.ErrPermanent, contains: "unauthorized"},
		{name: "chaincode not initialized", script: func(g *fakeGateway) {
			g.endorse = func(string) error {
				return gatewayError(codes.Aborted, endorseAborted, "chaincode response 500, not initialized: an admin must call Init first")
			}
		}, sentinel: relayer.ErrUnavailable},
		{name: "peers disagree", script: func(g *fakeGateway) {
			g.endorse = func(string) error {
				return status.Error(codes.Aborted, "failed to assemble transaction: ProposalResponsePayloads do not match")
			}
		}, contains: "nothing was ordered"},
		{name: "duplicate of a VALID transaction", script: func(g *fakeGateway) {
			g.endorse = func(tx string) error {
				return gatewayError(codes.Aborted, endorseAborted, "duplicate transaction found ["+tx+"]. Creator [0a]")
			}
			g.evaluate = func(cc, fn string, args []string) ([]byte, error) { return qsccTx(peer.TxValidationCode_VALID), nil }
		}, ok: true},
		{name: "duplicate of an invalid transaction", script: func(g *fakeGateway) {
			g.endorse = func(tx string) error {
				return gatewayError(codes.Aborted, endorseAborted, "duplicate transaction found ["+tx+"]. Creator [0a]")
			}
			g.evaluate = func(cc, fn string, args []string) ([]byte, error) {
				if fn == "GetTransactionByID" {
					return qsccTx(peer.TxValidationCode_MVCC_READ_CONFLICT), nil
				}
				return nil, status.Error(codes.Unavailable, "no block")
			}
		}, sentinel: relayer.ErrNotLanded, contains: "MVCC_READ_CONFLICT"},
		{name: "duplicate the ledger does not know", script: func(g *fakeGateway) {
			g.endorse = func(tx string) error {
				return gatewayError(codes.Aborted, endorseAborted, "duplicate transaction found ["+tx+"]. Creator [0a]")
			}
			g.evaluate = func(cc, fn string, args []string) ([]byte, error) { return nil, noSuchTx(args[1]) }
		}, contains: "knows no such transaction"},
		{name: "orderer unreachable", script: func(g *fakeGateway) {
			g.submit = func(string) error {
				return status.Error(codes.Unavailable, "no orderers could successfully process transaction")
			}
		}, submitted: true, contains: "may have been ordered"},
		{name: "orderer refused", script: func(g *fakeGateway) {
			g.submit = func(string) error {
				return status.Error(codes.Aborted, "received unsuccessful response from orderer: status=SERVICE_UNAVAILABLE")
			}
		}, submitted: true, contains: "may have been ordered"},
		{name: "commit status not known in time", script: func(g *fakeGateway) {
			g.status = func(ctx context.Context, _ string) (peer.TxValidationCode, error) {
				<-ctx.Done()
				return 0, status.FromContextError(ctx.Err()).Err()
			}
		}, ok: true, submitted: true},
		{name: "commit status unavailable", script: func(g *fakeGateway) {
			g.status = func(context.Context, string) (peer.TxValidationCode, error) {
				return 0, status.Error(codes.Unavailable, "peer gone")
			}
		}, ok: true, submitted: true},
		{name: "committed with an MVCC conflict", script: func(g *fakeGateway) {
			g.status = func(context.Context, string) (peer.TxValidationCode, error) {
				return peer.TxValidationCode_MVCC_READ_CONFLICT, nil
			}
		}, submitted: true, sentinel: relayer.ErrNotLanded, contains: "MVCC_READ_CONFLICT"},
		{name: "committed failing the endorsement policy", script: func(g *fakeGateway) {
			g.status = func(context.Context, string) (peer.TxValidationCode, error) {
				return peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, nil
			}
		}, submitted: true, sentinel: relayer.ErrNotLanded, contains: "ENDORSEMENT_POLICY_FAILURE"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			peers := startFakePeers(t, 1)
			c := fakeChain(t, peers, Options{})
			d, err := c.Destination()
			if err != nil {
				t.Fatal(err)
			}
			if tc.script != nil {
				peers[0].gw.script(tc.script)
			}
			rec := inbound(1)
			del := relayer.Delivery{Record: &rec, EvidenceHash: sha256.Sum256([]byte("evidence"))}
			p, err := d.(relayer.Preparer).Prepare(context.Background(), del)
			if err != nil {
				t.Fatal(err)
			}
			del.Prepared = p.Data
			txID, err := d.Submit(context.Background(), del)
			switch {
			case tc.ok && err != nil:
				t.Fatalf("got %v, want success", err)
			case tc.ok && txID != p.TxID:
				t.Fatalf("tx id %s, prepared %s", txID, p.TxID)
			case !tc.ok && err == nil:
				t.Fatal("got success, want an error")
			case !tc.ok && tc.sentinel != nil && !errors.Is(err, tc.sentinel):
				t.Fatalf("got %v, want %v", err, tc.sentinel)
			case !tc.ok && tc.sentinel == nil:
				for _, s := range []error{relayer.ErrUnavailable, relayer.ErrPermanent, relayer.ErrNotLanded} {
					if errors.Is(err, s) {
						t.Fatalf("got %v, want a plain error", err)
					}
				}
			}
			if err != nil && !strings.Contains(err.Error(), tc.contains) {
				t.Errorf("%q lacks %q", err, tc.contains)
			}
			g := peers[0].gw
			g.mu.Lock()
			defer g.mu.Unlock()
			if got := len(g.submitted) > 0; got != tc.submitted {
				t.Errorf("sent to the orderer: %v, want %v", got, tc.submitted)
			}
			for _, tx := range append(g.endorsed, g.submitted...) {
				if tx != p.TxID {
					t.Errorf("the gateway saw tx %s, the prepared one is %s", tx, p.TxID)
				}
			}
		})
	}
}

// TestSubmitFailsOver checks that an endorsement that found the first peer
// unreachable is retried on the next one, with the same transaction.
func TestSubmitFailsOver(t *testing.T) {
	peers := startFakePeers(t, 2)
	c := fakeChain(t, peers, Options{})
	d, _ := c.Destination()
	peers[0].gw.script(func(g *fakeGateway) {
		g.endorse = func(string) error { return status.Error(codes.Unavailable, "connection refused") }
	})
	rec := inbound(2)
	txID, err := d.Submit(context.Background(), relayer.Delivery{Record: &rec})
	if err != nil {
		t.Fatal(err)
	}
	if len(peers[1].gw.submitted) != 1 || peers[1].gw.submitted[0] != txID || len(peers[0].gw.submitted) != 0 {
		t.Fatalf("submitted on peer 0: %v, peer 1: %v", peers[0].gw.submitted, peers[1].gw.submitted)
	}
}

func TestConfirm(t *testing.T) {
	peers := startFakePeers(t, 1)
	now := time.Unix(1000, 0)
	var mu sync.Mutex
	c := fakeChain(t, peers, Options{Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	d, _ := c.Destination()
	rec := inbound(3)
	tx := strings.Repeat("ab", 32)
	answer := func(b []byte, err error) {
		peers[0].gw.script(func(g *fakeGateway) {
			g.evaluate = func(cc, fn string, args []string) ([]byte, error) {
				if fn != "GetTransactionByID" || args[1] != tx {
					return nil, status.Error(codes.Unavailable, "unexpected "+fn)
				}
				return b, err
			}
		})
	}
	ctx := context.Background()
	answer(qsccTx(peer.TxValidationCode_VALID), nil)
	if err := d.Confirm(ctx, &rec, tx); err != nil {
		t.Fatalf("VALID: %v", err)
	}
	answer(qsccTx(peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE), nil)
	if err := d.Confirm(ctx, &rec, tx); !errors.Is(err, relayer.ErrNotLanded) || !strings.Contains(err.Error(), "ENDORSEMENT_POLICY_FAILURE") {
		t.Fatalf("invalid: %v", err)
	}
	answer(nil, status.Error(codes.Unavailable, "connection refused"))
	if err := d.Confirm(ctx, &rec, tx); !errors.Is(err, relayer.ErrUnavailable) {
		t.Fatalf("unreachable: %v", err)
	}
	answer(nil, noSuchTx(tx))
	for range 2 {
		if err := d.Confirm(ctx, &rec, tx); !errors.Is(err, relayer.ErrPending) {
			t.Fatalf("unknown: %v", err)
		}
		mu.Lock()
		now = now.Add(c.cfg.Timeouts.Lost / 2)
		mu.Unlock()
	}
	if err := d.Confirm(ctx, &rec, tx); !errors.Is(err, relayer.ErrNotLanded) || !strings.Contains(err.Error(), "still unknown") {
		t.Fatalf("unknown past timeouts.lost: %v", err)
	}
	if err := d.Confirm(ctx, &rec, "0x"+tx); !errors.Is(err, relayer.ErrNotLanded) {
		t.Fatalf("not a Fabric tx id: %v", err)
	}
}

func TestDelivered(t *testing.T) {
	peers := startFakePeers(t, 1)
	c := fakeChain(t, peers, Options{})
	d, _ := c.Destination()
	rec := inbound(4)
	digest, _ := RecordDigest(&rec)
	state := struct{ delivered, attested bool }{}
	var deliveredDigest string
	peers[0].gw.script(func(g *fakeGateway) {
		g.evaluate = func(cc, fn string, args []string) ([]byte, error) {
			if args[0] != hex.EncodeToString(rec.ID[:]) {
				return nil, status.Error(codes.Unknown, "wrong id "+args[0])
			}
			switch fn {
			case "IsDelivered":
				return []byte(boolText(state.delivered)), nil
			case "HasAttested":
				if args[1] != c.attestor {
					return nil, status.Error(codes.Unknown, "wrong attestor "+args[1])
				}
				return []byte(boolText(state.attested)), nil
			case "GetDelivered":
				return []byte(`{"digest":"` + deliveredDigest + `"}`), nil
			}
			return nil, status.Error(codes.Unknown, fn)
		}
	})
	ctx := context.Background()
	if ok, err := d.Delivered(ctx, &rec); ok || err != nil {
		t.Fatalf("nothing yet: %v, %v", ok, err)
	}
	state.attested = true
	if ok, err := d.Delivered(ctx, &rec); !ok || err != nil {
		t.Fatalf("attested: %v, %v", ok, err)
	}
	state.delivered, deliveredDigest = true, "0x"+hex.EncodeToString(digest[:])
	if ok, err := d.Delivered(ctx, &rec); !ok || err != nil {
		t.Fatalf("delivered: %v, %v", ok, err)
	}
	deliveredDigest = "0x" + strings.Repeat("00", 32)
	if _, err := d.Delivered(ctx, &rec); !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("delivered with another digest: %v", err)
	}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// TestNewChainChecks covers NewChain's checks against the chaincode's
// configuration and the attestor lookup.
func TestNewChainChecks(t *testing.T) {
	peers := startFakePeers(t, 1)
	ctx := context.Background()
	peers[0].gw.script(func(g *fakeGateway) { g.config.ChainName = "finance" })
	if _, err := NewChain(ctx, "registry", peers[0].cfg, Options{}); err == nil || !strings.Contains(err.Error(), `initialized with chain name "finance"`) {
		t.Fatalf("chain name: %v", err)
	}
	peers[0].gw.script(func(g *fakeGateway) { g.config.ChainName, g.config.Emitter = "registry", "other" })
	if _, err := NewChain(ctx, "registry", peers[0].cfg, Options{}); err == nil || !strings.Contains(err.Error(), `under the name "other"`) {
		t.Fatalf("emitter: %v", err)
	}
	peers[0].gw.script(func(g *fakeGateway) {
		g.config.Emitter = "records"
		g.config.Attestors[0].CertSHA256 = strings.Repeat("00", 32)
	})
	c := fakeChain(t, peers, Options{})
	if _, err := c.Destination(); err == nil || !strings.Contains(err.Error(), "AddAttestor") {
		t.Fatalf("not an attestor: %v", err)
	}
	peers[0].gw.script(func(g *fakeGateway) {
		g.config.Attestors[0].CertSHA256, g.config.Attestors[0].OU = "", "client"
	})
	c = fakeChain(t, peers, Options{})
	if _, err := c.Destination(); err != nil {
		t.Fatalf("attestor by OU: %v", err)
	}
	peers[0].gw.script(func(g *fakeGateway) {
		g.evaluate = func(string, string, []string) ([]byte, error) { return nil, status.Error(codes.Unavailable, "down") }
	})
	if _, err := NewChain(ctx, "registry", peers[0].cfg, Options{}); !errors.Is(err, relayer.ErrUnavailable) {
		t.Fatalf("unreachable: %v", err)
	}
}

// TestNewChainSkipsUnreachablePeers checks that one unreachable peer of
// two does not stop the chain, and that both do.
func TestNewChainSkipsUnreachablePeers(t *testing.T) {
	peers := startFakePeers(t, 2)
	down := func(g *fakeGateway) {
		g.evaluate = func(string, string, []string) ([]byte, error) { return nil, status.Error(codes.Unavailable, "down") }
	}
	peers[0].gw.script(down)
	c, err := NewChain(context.Background(), "registry", peers[0].cfg, Options{})
	if err != nil {
		t.Fatalf("one of two peers down: %v", err)
	}
	c.Close()
	peers[1].gw.script(down)
	if _, err := NewChain(context.Background(), "registry", peers[0].cfg, Options{}); !errors.Is(err, relayer.ErrUnavailable) {
		t.Fatalf("both down: %v", err)
	}
	peers[1].gw.script(func(g *fakeGateway) { g.evaluate = nil; g.config.ChainName = "finance" })
	if _, err := NewChain(context.Background(), "registry", peers[0].cfg, Options{}); err == nil || errors.Is(err, relayer.ErrUnavailable) {
		t.Fatalf("one down, the other misconfigured: %v", err)
	}
}
