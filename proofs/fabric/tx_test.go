package fabric_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// TestRealTransactionPolicies checks the captured transactions against
// endorsement policies, including the two that matter most: an Org1-only
// endorsement satisfies OR but not MAJORITY, whatever the (unsigned) flag
// says.
func TestRealTransactionPolicies(t *testing.T) {
	forged, err := fabrictest.SetFlag(readVector(t, "raft/publish-3-org1-only-invalid.block"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file, policy string
		raw          []byte // instead of the file
		want         error
	}{
		{file: "raft/publish-1.block", policy: "majority"},
		{file: "raft/publish-1.block", policy: "MAJORITY Endorsement"},
		{file: "raft/publish-1.block", policy: "any"},
		{file: "raft/publish-1.block", policy: "all"},
		{file: "raft/publish-1.block", policy: "AND('Org1MSP.peer','Org2MSP.peer')"},
		{file: "raft/publish-1.block", policy: "OutOf(2, 'Org1MSP.peer', 'Org2MSP.peer', 'Org3MSP.peer')"},
		{file: "raft/publish-1.block", policy: "OR('Org1MSP.member')"},
		{file: "raft/publish-1.block", policy: "OutOf(2,'Org1MSP.peer','Org1MSP.peer')", want: fabric.ErrEndorsementPolicy},
		{file: "raft/publish-1.block", policy: "'Org1MSP.admin'", want: fabric.ErrEndorsementPolicy},
		{file: "raft/publish-1.block", policy: "'Org1MSP.client'", want: fabric.ErrEndorsementPolicy},
		{file: "raft/publish-1.block", policy: "AND('Org1MSP.peer','Org3MSP.peer')", want: fabric.ErrEndorsementPolicy},
		{file: "raft/publish-2-binary.block", policy: "majority"},
		{file: "raft/publish-3.block", policy: "majority"},
		{file: "bft/publish-1.block", policy: "majority"},
		{file: "bft/publish-1.block", policy: "all"},
		// records-any: endorsed by Org1 alone under OR(Org1, Org2).
		{file: "raft/any-org1-only.block", policy: "OR('Org1MSP.peer','Org2MSP.peer')"},
		{file: "raft/any-org1-only.block", policy: "any"},
		{file: "raft/any-org1-only.block", policy: "majority", want: fabric.ErrEndorsementPolicy},
		// The peers flagged it ENDORSEMENT_POLICY_FAILURE...
		{file: "raft/publish-3-org1-only-invalid.block", policy: "majority", want: fabric.ErrTxInvalid},
		// ...and flipping the unsigned flag to VALID does not help against
		// the chaincode's real policy (majority). Under a weaker policy it
		// passes: the caller must give the chaincode's own policy.
		{file: "forged VALID", raw: forged, policy: "majority", want: fabric.ErrEndorsementPolicy},
		{file: "forged VALID", raw: forged, policy: "all", want: fabric.ErrEndorsementPolicy},
		{file: "forged VALID", raw: forged, policy: "AND('Org1MSP.peer','Org2MSP.peer')", want: fabric.ErrEndorsementPolicy},
		{file: "forged VALID", raw: forged, policy: "any"},
	} {
		t.Run(c.file+" "+c.policy, func(t *testing.T) {
			raw := c.raw
			if raw == nil {
				raw = readVector(t, c.file)
			}
			net := "raft"
			if strings.HasPrefix(c.file, "bft") {
				net = "bft"
			}
			tc := trusted(t, net)
			b := mustVerifyBlock(t, tc, nil, raw)
			tx, err := fabric.VerifyTransaction(tc, b, 0, mustPolicy(t, c.policy))
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if tx != &b.Txs[0] {
					t.Fatal("VerifyTransaction returned another Tx")
				}
				return
			}
			wantErr(t, err, c.want)
			var ve *fabric.VerifyError
			if errors.As(err, &ve); ve.TxID != b.Txs[0].ID || ve.Block != b.Number {
				t.Fatalf("error names block %d tx %q", ve.Block, ve.TxID)
			}
		})
	}
}

func TestVerifyTransactionArguments(t *testing.T) {
	tc := trusted(t, "raft")
	b := mustVerifyBlock(t, tc, nil, readVector(t, "raft/publish-1.block"))
	_, err := fabric.VerifyTransaction(tc, b, 1, fabric.MajorityOrgs())
	wantErr(t, err, fabric.ErrNoSuchTx)
	_, err = fabric.VerifyTransaction(tc, b, -1, fabric.MajorityOrgs())
	wantErr(t, err, fabric.ErrNoSuchTx)
	_, err = fabric.VerifyTransaction(tc, b, 0, fabric.EndorsementPolicy{})
	wantErr(t, err, fabric.ErrEndorsementPolicy)
	_, err = fabric.VerifyTransaction(tc, nil, 0, fabric.MajorityOrgs())
	wantErr(t, err, fabric.ErrDecode)
	_, err = fabric.VerifyTransaction(nil, b, 0, fabric.MajorityOrgs())
	wantErr(t, err, fabric.ErrBadConfig)
}

// TestWrongMSP replaces an org's root CA in the trusted config with a fresh
// self-signed CA: the block still verifies (the orderers are unchanged),
// but that org's identities no longer do.
func TestWrongMSP(t *testing.T) {
	raw := readVector(t, "raft/publish-1.block")
	for _, c := range []struct {
		msp  string
		kind fabric.SignatureKind
	}{{"Org2MSP", fabric.EndorsementSig}, {"Org1MSP", fabric.CreatorSig}} {
		t.Run(c.msp, func(t *testing.T) {
			ca, err := fabrictest.NewCA("impostor." + c.msp)
			if err != nil {
				t.Fatal(err)
			}
			enc, err := editConfig(t, func(m map[string]any) {
				for _, x := range m["msps"].([]any) {
					if msp := x.(map[string]any); msp["id"] == c.msp {
						msp["roots"] = []any{base64.StdEncoding.EncodeToString(ca.Cert.Raw)}
						// The node OUs named the old CA; keep them, unpinned
						// (an MSP needs its admin OU or listed admins).
						for _, o := range msp["node_ous"].(map[string]any) {
							delete(o.(map[string]any), "ca")
						}
					}
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			var tc fabric.TrustedConfig
			if err := json.Unmarshal(enc, &tc); err != nil {
				t.Fatal(err)
			}
			b := mustVerifyBlock(t, &tc, nil, raw)
			_, err = fabric.VerifyTransaction(&tc, b, 0, fabric.AnyOrg())
			wantErr(t, err, fabric.ErrCertChain)
			var se *fabric.SignatureError
			if !errors.As(err, &se) || se.Kind != c.kind || se.MSPID != c.msp {
				t.Fatalf("signature error %+v", se)
			}
		})
	}
}

// TestTamperRealTransaction changes a captured transaction and shows which
// layer stops it: the data hash; with the data hash recomputed, the orderer
// signature. The layers below need keys nobody has for the real network;
// TestTamperTransaction covers them with a synthetic one.
func TestTamperRealTransaction(t *testing.T) {
	tc := trusted(t, "raft")
	raw := readVector(t, "raft/publish-1.block")
	env := envelopeOf(t, raw, 0)
	for name, edit := range map[string]func() ([]byte, error){
		"endorsement removed": func() ([]byte, error) { return fabrictest.DropEndorsements(env, nil, 1) },
		"endorsement signature flipped": func() ([]byte, error) {
			return fabrictest.EditEndorsements(env, func(i int, e, s []byte) ([]byte, []byte, bool) {
				if i == 1 {
					s = bytes.Clone(s)
					s[len(s)-1] ^= 1
				}
				return e, s, true
			}, nil)
		},
		"creator signature flipped": func() ([]byte, error) { return flipEnvelopeSignature(env), nil },
	} {
		t.Run(name, func(t *testing.T) {
			changed, err := edit()
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(changed, env) {
				t.Fatal("nothing changed")
			}
			block, err := fabrictest.ReplaceEnvelope(raw, 0, changed)
			if err != nil {
				t.Fatal(err)
			}
			_, err = fabric.VerifyBlock(tc, nil, block)
			wantErr(t, err, fabric.ErrDataHash)
			if block, err = fabrictest.RehashBlock(block); err != nil {
				t.Fatal(err)
			}
			_, err = fabric.VerifyBlock(tc, nil, block)
			wantErr(t, err, fabric.ErrOrdererSignature)
		})
	}
}

func flipEnvelopeSignature(env []byte) []byte {
	var e cb.Envelope
	if err := proto.Unmarshal(env, &e); err != nil {
		panic(err)
	}
	e.Signature = bytes.Clone(e.Signature)
	e.Signature[len(e.Signature)-2] ^= 1
	out, _ := proto.Marshal(&e)
	return out
}

// TestTamperTransaction makes the attacks that need keys: a colluding
// orderer (who re-signs the block) and creator (who re-signs the envelope).
// The endorsement checks stop them.
func TestTamperTransaction(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	org1, org2 := s.net.AppOrgs[0], s.net.AppOrgs[1]
	env, _ := s.publishTx(t, s.peers()...)
	b := mustVerifyBlock(t, s.tc, nil, s.block(t, 1, nil, env))
	for _, p := range []string{"majority", "all", "any"} {
		if _, err := fabric.VerifyTransaction(s.tc, b, 0, mustPolicy(t, p)); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	tx := &b.Txs[0]
	if !tx.HasWrite("records", "outbox/record/aa", []byte("digest")) {
		t.Fatal("write missing")
	}

	// check re-signs the envelope as the creator, puts it in a block the
	// orderer signs, and verifies the transaction under policy.
	check := func(t *testing.T, env []byte, policy string, want error) {
		t.Helper()
		b := mustVerifyBlock(t, s.tc, nil, s.block(t, 1, nil, env))
		_, err := fabric.VerifyTransaction(s.tc, b, 0, mustPolicy(t, policy))
		if want == nil {
			if err != nil {
				t.Fatal(err)
			}
			return
		}
		wantErr(t, err, want)
	}
	t.Run("endorsement removed", func(t *testing.T) {
		one, err := fabrictest.DropEndorsements(env, org1.Client, 1)
		if err != nil {
			t.Fatal(err)
		}
		check(t, one, "majority", fabric.ErrEndorsementPolicy)
		check(t, one, "any", nil)
	})
	t.Run("endorsement signature flipped", func(t *testing.T) {
		bad, err := fabrictest.EditEndorsements(env, func(i int, e, sig []byte) ([]byte, []byte, bool) {
			if i == 1 {
				sig = bytes.Clone(sig)
				sig[len(sig)-1] ^= 1
			}
			return e, sig, true
		}, org1.Client)
		if err != nil {
			t.Fatal(err)
		}
		check(t, bad, "any", fabric.ErrEndorsementSignature)
	})
	t.Run("endorsement by another identity", func(t *testing.T) {
		// Org2's endorsement claimed by Org1's peer: the signature is not
		// over that endorser.
		bad, err := fabrictest.EditEndorsements(env, func(i int, e, sig []byte) ([]byte, []byte, bool) {
			if i == 1 {
				e = org1.Peer().Serialized()
			}
			return e, sig, true
		}, org1.Client)
		if err != nil {
			t.Fatal(err)
		}
		check(t, bad, "any", fabric.ErrEndorsementSignature)
	})
	t.Run("creator signature flipped", func(t *testing.T) {
		check(t, flipEnvelopeSignature(env), "any", fabric.ErrCreatorSignature)
	})
	t.Run("creator replaced", func(t *testing.T) {
		// Another client re-signs the same envelope as its own, keeping the
		// tx ID: the ID no longer follows from nonce and creator.
		other, err := fabrictest.EditEndorsements(env, func(_ int, e, sig []byte) ([]byte, []byte, bool) { return e, sig, true }, org2.Client)
		if err != nil {
			t.Fatal(err)
		}
		check(t, other, "any", fabric.ErrCreatorSignature)
	})
	t.Run("endorsements replayed into a new transaction", func(t *testing.T) {
		re, _, err := fabrictest.Reissue(env, org2.Client)
		if err != nil {
			t.Fatal(err)
		}
		check(t, re, "any", fabric.ErrProposalHash)
	})
	t.Run("wrong tx id", func(t *testing.T) {
		bad, _, err := s.net.EndorserTx(fabrictest.TxSpec{Creator: org1.Client, Chaincode: "records", Endorsers: s.peers(), TxID: strings.Repeat("ab", 32)})
		if err != nil {
			t.Fatal(err)
		}
		check(t, bad, "any", fabric.ErrTxID)
	})
	t.Run("endorsed by a client", func(t *testing.T) {
		bad, _, err := s.net.EndorserTx(fabrictest.TxSpec{Creator: org1.Client, Chaincode: "records", Endorsers: []*fabrictest.Identity{org1.Peer(), org2.Client}})
		if err != nil {
			t.Fatal(err)
		}
		check(t, bad, "any", fabric.ErrNotPeer)
	})
	t.Run("endorser of an unknown MSP", func(t *testing.T) {
		org3, err := fabrictest.NewOrg("Org3MSP", true, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		bad, _, err := s.net.EndorserTx(fabrictest.TxSpec{Creator: org1.Client, Chaincode: "records", Endorsers: []*fabrictest.Identity{org1.Peer(), org3.Peer()}})
		if err != nil {
			t.Fatal(err)
		}
		check(t, bad, "any", fabric.ErrUnknownMSP)
	})
	t.Run("endorser claims another MSP", func(t *testing.T) {
		// Org2's peer certificate presented as Org1's: it does not chain to
		// Org1's CA.
		impostor := *org2.Peer()
		impostor.MSPID = "Org1MSP"
		bad, _, err := s.net.EndorserTx(fabrictest.TxSpec{Creator: org1.Client, Chaincode: "records", Endorsers: []*fabrictest.Identity{&impostor}})
		if err != nil {
			t.Fatal(err)
		}
		check(t, bad, "any", fabric.ErrCertChain)
	})
	t.Run("same peer twice", func(t *testing.T) {
		twice, _, err := s.net.EndorserTx(fabrictest.TxSpec{Creator: org1.Client, Chaincode: "records", Endorsers: []*fabrictest.Identity{org1.Peer(), org1.Peer()}})
		if err != nil {
			t.Fatal(err)
		}
		check(t, twice, "OutOf(2,'Org1MSP.peer','Org1MSP.peer')", fabric.ErrEndorsementPolicy)
		check(t, twice, "majority", fabric.ErrEndorsementPolicy)
		check(t, twice, "'Org1MSP.peer'", nil)
	})
	t.Run("endorsement of a pinned certificate", func(t *testing.T) {
		fp := sha256Hex(org2.Peer().Cert.Raw)
		check(t, env, "AND('Org1MSP.peer','Org2MSP.cert:"+fp+"')", nil)
		check(t, env, "'Org2MSP.cert:"+strings.Repeat("00", 32)+"'", fabric.ErrEndorsementPolicy)
	})
	t.Run("transaction of another channel", func(t *testing.T) {
		other, _, err := s.net.EndorserTx(fabrictest.TxSpec{Creator: org1.Client, Chaincode: "records", Endorsers: s.peers(), Channel: "finance"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = fabric.VerifyBlock(s.tc, nil, s.block(t, 1, nil, other))
		wantErr(t, err, fabric.ErrWrongChannel)
	})
}

// TestUndecodableTransaction: a well-formed envelope whose payload does
// not decode keeps its DecodeError; the block and its other transactions
// stay usable. An envelope without a signature makes the block one Fabric
// refuses (VerifyTransactionsAreWellFormed).
func TestUndecodableTransaction(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	good, _ := s.publishTx(t, s.peers()...)
	unsigned := []byte{0x0a, 0x03, 'a', 'b', 'c'} // Envelope{payload: "abc"}
	_, err := fabric.VerifyBlock(s.tc, nil, s.block(t, 1, nil, unsigned, good))
	wantErr(t, err, fabric.ErrDecode)
	junk := []byte{0x0a, 0x03, 'a', 'b', 'c', 0x12, 0x01, 's'} // Envelope{payload: "abc", signature: "s"}
	b := mustVerifyBlock(t, s.tc, nil, s.block(t, 1, nil, junk, good))
	if b.Txs[0].DecodeError == nil || b.Txs[1].DecodeError != nil {
		t.Fatalf("decode errors %v, %v", b.Txs[0].DecodeError, b.Txs[1].DecodeError)
	}
	_, err = fabric.VerifyTransaction(s.tc, b, 0, fabric.AnyOrg())
	wantErr(t, err, fabric.ErrDecode)
	if _, err := fabric.VerifyTransaction(s.tc, b, 1, fabric.MajorityOrgs()); err != nil {
		t.Fatal(err)
	}
}

// TestRevokedEndorser revokes Org2's peer with a CRL in the config.
func TestRevokedEndorser(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	org2 := n.AppOrgs[1]
	crl, err := org2.CA.RevocationList(org2.Peer())
	if err != nil {
		t.Fatal(err)
	}
	org2.CRLs = [][]byte{crl}
	g, _ := n.GenesisBlock()
	tc, err := fabric.ParseConfigBlock(g)
	if err != nil {
		t.Fatal(err)
	}
	s := &synth{net: n, genesis: g, tc: tc}
	env, _ := s.publishTx(t, s.peers()...)
	b := mustVerifyBlock(t, tc, nil, s.block(t, 1, nil, env))
	_, err = fabric.VerifyTransaction(tc, b, 0, fabric.AnyOrg())
	wantErr(t, err, fabric.ErrCertChain)
}

// TestNoNodeOUs: without NodeOUs, Fabric cannot tell peers from clients:
// 'Org.peer' matches nobody, 'Org.member' everybody, and the implicit
// policies count any member's endorsement.
func TestNoNodeOUs(t *testing.T) {
	s := newSynth(t, fabrictest.Options{NoNodeOUs: true})
	env, _ := s.publishTx(t, s.net.AppOrgs[0].Peer(), s.net.AppOrgs[1].Client)
	b := mustVerifyBlock(t, s.tc, nil, s.block(t, 1, nil, env))
	for p, want := range map[string]error{
		"majority":                               nil,
		"AND('Org1MSP.member','Org2MSP.member')": nil,
		"'Org1MSP.peer'":                         fabric.ErrEndorsementPolicy,
		"'Org1MSP.admin'":                        fabric.ErrEndorsementPolicy,
	} {
		_, err := fabric.VerifyTransaction(s.tc, b, 0, mustPolicy(t, p))
		if want == nil && err != nil {
			t.Errorf("%s: %v", p, err)
		} else if want != nil && !errors.Is(err, want) {
			t.Errorf("%s: got %v, want %v", p, err, want)
		}
	}
	// The admin listed in the MSP config holds the admin role.
	adm, _, err := s.net.EndorserTx(fabrictest.TxSpec{Creator: s.net.AppOrgs[0].Client, Chaincode: "records", Endorsers: []*fabrictest.Identity{s.net.AppOrgs[0].Admin}})
	if err != nil {
		t.Fatal(err)
	}
	b = mustVerifyBlock(t, s.tc, nil, s.block(t, 1, nil, adm))
	if _, err := fabric.VerifyTransaction(s.tc, b, 0, mustPolicy(t, "'Org1MSP.admin'")); err != nil {
		t.Fatal(err)
	}
}
