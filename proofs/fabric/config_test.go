package fabric_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

func TestParseConfigBlockRaft(t *testing.T) {
	raw := readVector(t, "raft/config.block")
	tc := trusted(t, "raft")
	hash, err := fabrictest.BlockHash(raw)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case tc.ChannelID() != "records", tc.Number() != 0, tc.Sequence() != 0:
		t.Fatalf("channel %q number %d sequence %d", tc.ChannelID(), tc.Number(), tc.Sequence())
	case tc.Consensus() != "etcdraft" || tc.BFT() || tc.Quorum() != 0:
		t.Fatalf("consensus %q", tc.Consensus())
	case !bytes.Equal(tc.Hash(), hash):
		t.Fatalf("hash %x, want %x", tc.Hash(), hash)
	case !slices.Equal(tc.MSPIDs(), []string{"OrdererMSP", "Org1MSP", "Org2MSP"}):
		t.Fatalf("MSPs %v", tc.MSPIDs())
	case !slices.Equal(tc.ApplicationOrgs(), []string{"Org1MSP", "Org2MSP"}):
		t.Fatalf("application orgs %v", tc.ApplicationOrgs())
	case !slices.Equal(tc.OrdererOrgs(), []string{"OrdererMSP"}):
		t.Fatalf("orderer orgs %v", tc.OrdererOrgs())
	case tc.BlockValidationPolicy() != "ANY Writers":
		t.Fatalf("block validation %q", tc.BlockValidationPolicy())
	case len(tc.Consenters()) != 0:
		t.Fatalf("consenters %v", tc.Consenters())
	}
}

func TestParseConfigBlockBFT(t *testing.T) {
	tc := trusted(t, "bft")
	if tc.Consensus() != "BFT" || !tc.BFT() || tc.Quorum() != 3 {
		t.Fatalf("consensus %q quorum %d", tc.Consensus(), tc.Quorum())
	}
	cs := tc.Consenters()
	if len(cs) != 4 {
		t.Fatalf("%d consenters", len(cs))
	}
	for i, c := range cs {
		if c.ID != uint32(i+1) || c.MSPID != "OrdererMSP" || c.Cert == nil || !strings.HasPrefix(c.Cert.Subject.CommonName, "orderer") {
			t.Fatalf("consenter %d: %+v", i, c)
		}
	}
	// configtxgen writes BlockValidation as an explicit policy over the
	// consenters' certificates, with the quorum as its threshold.
	if p := tc.BlockValidationPolicy(); !strings.HasPrefix(p, "OutOf(3,'OrdererMSP.cert:") || strings.Count(p, ".cert:") != 4 {
		t.Fatalf("block validation %q", p)
	}
}

func TestBFTQuorum(t *testing.T) {
	want := []int{0, 1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 8, 8, 9}
	for n, q := range want {
		if got := fabric.BFTQuorum(n); got != q {
			t.Errorf("BFTQuorum(%d) = %d, want %d", n, got, q)
		}
		// Two quorums intersect in more than f consenters, and the correct
		// nodes alone form a quorum.
		if f := (n - 1) / 3; n > 0 && (2*q-n <= f || n-f < q) {
			t.Errorf("n=%d: quorum %d does not tolerate f=%d", n, q, f)
		}
	}
}

func TestTrustedConfigJSON(t *testing.T) {
	for _, net := range []string{"raft", "bft"} {
		t.Run(net, func(t *testing.T) {
			tc := trusted(t, net)
			enc, err := json.Marshal(tc)
			if err != nil {
				t.Fatal(err)
			}
			if size := len(readVector(t, net+"/config.block")); len(enc) > size/3 {
				t.Errorf("JSON of %d bytes for a config block of %d", len(enc), size)
			}
			var back fabric.TrustedConfig
			if err := json.Unmarshal(enc, &back); err != nil {
				t.Fatal(err)
			}
			again, _ := json.Marshal(&back)
			if !bytes.Equal(enc, again) {
				t.Fatalf("JSON does not round-trip:\n%s\n%s", enc, again)
			}
			// The decoded config verifies the same blocks.
			for _, v := range txVectors(t) {
				if v.net() == net {
					b := mustVerifyBlock(t, &back, nil, readVector(t, v.File))
					if v.Validation == "VALID" {
						if _, err := fabric.VerifyTransaction(&back, b, 0, fabric.AnyOrg()); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
		})
	}
}

// editConfig returns the raft config with its JSON changed by edit.
func editConfig(t *testing.T, edit func(m map[string]any)) ([]byte, error) {
	t.Helper()
	enc, _ := json.Marshal(trusted(t, "raft"))
	var m map[string]any
	if err := json.Unmarshal(enc, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	enc, _ = json.Marshal(m)
	var tc fabric.TrustedConfig
	return enc, tc.UnmarshalJSON(enc)
}

func TestTrustedConfigJSONRejects(t *testing.T) {
	msp := func(m map[string]any, i int) map[string]any { return m["msps"].([]any)[i].(map[string]any) }
	for name, edit := range map[string]func(map[string]any){
		"unknown field":  func(m map[string]any) { m["extra"] = 1 },
		"format":         func(m map[string]any) { m["format"] = 1 },
		"no MSP version": func(m map[string]any) { delete(m, "msp_version") },
		"MSP version":    func(m map[string]any) { m["msp_version"] = "1.4.2" },
		// MSP v1.1 and v1.3 cannot set up NodeOUs without a peer OU.
		"v1.3 NodeOUs without peer": func(m map[string]any) {
			m["msp_version"] = "1.3"
			delete(msp(m, 1)["node_ous"].(map[string]any), "peer")
		},
		"no channel":      func(m map[string]any) { m["channel"] = "" },
		"short hash":      func(m map[string]any) { m["hash"] = "abcd" },
		"root not a cert": func(m map[string]any) { msp(m, 1)["roots"] = []any{"AAEC"} },
		"no root":         func(m map[string]any) { msp(m, 1)["roots"] = []any{} },
		"NodeOU CA unknown": func(m map[string]any) {
			msp(m, 1)["node_ous"].(map[string]any)["peer"].(map[string]any)["ca"] = strings.Repeat("ab", 32)
		},
		"duplicate MSP":       func(m map[string]any) { msp(m, 2)["id"] = "Org1MSP" },
		"orderer org unknown": func(m map[string]any) { m["orderer_orgs"].([]any)[0].(map[string]any)["msp"] = "NoMSP" },
		"no orderer org":      func(m map[string]any) { m["orderer_orgs"] = []any{} },
		"bad endorsement": func(m map[string]any) {
			m["application_orgs"].([]any)[0].(map[string]any)["endorsement"] = "OutOf(0,'Org1MSP.peer')"
		},
		"bad block policy": func(m map[string]any) { m["block_validation"] = map[string]any{"meta": "SOME Writers"} },
		// An implicit-meta policy over no child is satisfied by nothing at
		// all; its children are the orderer orgs, every one of them.
		"block policy without subs": func(m map[string]any) { m["block_validation"].(map[string]any)["subs"] = map[string]any{} },
		"block policy sub of a stranger": func(m map[string]any) {
			m["block_validation"].(map[string]any)["subs"] = map[string]any{"Org1MSP": "OutOf(1,'OrdererMSP.member')"}
		},
		// A state written before Idemix orgs were kept can have lost some.
		"unsupported MSP of no org": func(m map[string]any) { m["unsupported_msps"] = []any{"IdemixMSP"} },
		"Idemix org of an X.509 MSP": func(m map[string]any) {
			m["application_orgs"].([]any)[0].(map[string]any)["idemix"] = true
		},
		"unsupported MSP also X.509": func(m map[string]any) {
			m["unsupported_msps"] = []any{"Org1MSP"}
			m["application_orgs"].([]any)[0].(map[string]any)["idemix"] = true
		},
		"empty application with orgs": func(m map[string]any) { m["empty_application"] = true },
		"two endorsement policies": func(m map[string]any) {
			m["application_orgs"].([]any)[0].(map[string]any)["endorsement_meta"] = "ANY Endorsement"
		},
		"bad endorsement meta": func(m map[string]any) {
			org := m["application_orgs"].([]any)[0].(map[string]any)
			delete(org, "endorsement")
			org["endorsement_meta"] = "ANY"
		},
		"orderer org endorsement": func(m map[string]any) {
			m["orderer_orgs"].([]any)[0].(map[string]any)["endorsement"] = "OutOf(1,'OrdererMSP.peer')"
		},
		"BFT w/o consenters": func(m map[string]any) { m["consensus"] = "BFT" },
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := editConfig(t, edit); !errors.Is(err, fabric.ErrBadConfig) {
				t.Fatalf("got %v, want ErrBadConfig", err)
			}
		})
	}
}

func TestParseConfigBlockRejects(t *testing.T) {
	cfg := readVector(t, "raft/config.block")
	flipped := bytes.Clone(cfg)
	flipped[len(flipped)/2] ^= 1
	for name, raw := range map[string][]byte{
		"empty":            nil,
		"garbage":          []byte("not a block"),
		"endorser block":   readVector(t, "raft/publish-1.block"),
		"flipped envelope": flipped,
		"truncated":        cfg[:len(cfg)-100],
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := fabric.ParseConfigBlock(raw); !errors.Is(err, fabric.ErrBadConfig) {
				t.Fatalf("got %v, want ErrBadConfig", err)
			}
		})
	}
}

// TestSyntheticConfig parses configs that fabrictest makes, which the
// update tests build on: NodeOUs on and off, BFT with 7 consenters, a CRL.
func TestSyntheticConfig(t *testing.T) {
	s := newSynth(t, fabrictest.Options{BFT: true, Orderers: 7, AppOrgs: 3})
	if s.tc.Quorum() != 5 || len(s.tc.Consenters()) != 7 || len(s.tc.ApplicationOrgs()) != 3 {
		t.Fatalf("quorum %d, %d consenters, orgs %v", s.tc.Quorum(), len(s.tc.Consenters()), s.tc.ApplicationOrgs())
	}
	s = newSynth(t, fabrictest.Options{NoNodeOUs: true})
	if s.tc.BlockValidationPolicy() != "ANY Writers" {
		t.Fatal(s.tc.BlockValidationPolicy())
	}
}
