package fabric_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// policyCase is a transaction endorsed by some identities, checked under a
// policy.
type policyCase struct {
	name      string
	endorsers []*fabrictest.Identity
	policy    string
	want      error // nil: verifies
}

// checkPolicies puts each case's transaction in a block whose peers
// flagged it ENDORSEMENT_POLICY_FAILURE, flips the unsigned flag to VALID
// as a lying peer would, and verifies it under the case's policy.
func (s *synth) checkPolicies(t *testing.T, cases []policyCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name+" "+c.policy, func(t *testing.T) {
			env, _ := s.publishTx(t, c.endorsers...)
			raw, err := s.net.Block(fabrictest.BlockSpec{Number: 1, Envelopes: [][]byte{env}, Flags: []byte{byte(fabric.TxEndorsementPolicyFailure)}})
			if err != nil {
				t.Fatal(err)
			}
			if raw, err = fabrictest.SetFlag(raw, 0, byte(fabric.TxValid)); err != nil {
				t.Fatal(err)
			}
			b := mustVerifyBlock(t, s.tc, nil, raw)
			_, err = fabric.VerifyTransaction(s.tc, b, 0, mustPolicy(t, c.policy))
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantErr(t, err, c.want)
		})
	}
}

// TestImplicitRulesCountIdemixOrgs: an application org whose MSP is Idemix
// is one of the Application group's children, so Fabric's MAJORITY
// Endorsement over three X.509 orgs and one Idemix org needs 3 of 4 orgs,
// and ALL can never pass (this package verifies no Idemix identity). The
// verifier used to leave the Idemix org out of the count and accept 2 of 4
// for MAJORITY and 3 of 4 for ALL.
func TestImplicitRulesCountIdemixOrgs(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{AppOrgs: 4})
	if err != nil {
		t.Fatal(err)
	}
	n.AppOrgs[3].Idemix = true
	s := synthOf(t, n)
	if got := s.tc.ApplicationOrgs(); !slices.Equal(got, []string{"Org1MSP", "Org2MSP", "Org3MSP", "Org4MSP"}) {
		t.Fatalf("application orgs %v", got)
	}
	p1, p2, p3 := n.AppOrgs[0].Peer(), n.AppOrgs[1].Peer(), n.AppOrgs[2].Peer()
	s.checkPolicies(t, []policyCase{
		{"2 of 4 orgs", []*fabrictest.Identity{p1, p2}, "majority", fabric.ErrEndorsementPolicy},
		{"3 of 4 orgs", []*fabrictest.Identity{p1, p2, p3}, "majority", nil},
		{"3 of 4 orgs", []*fabrictest.Identity{p1, p2, p3}, "all", fabric.ErrEndorsementPolicy},
		{"1 of 4 orgs", []*fabrictest.Identity{p1}, "any", nil},
	})
	// The Idemix org's own peer does not count, and is refused as an
	// endorser.
	s.checkPolicies(t, []policyCase{
		{"with an Idemix endorser", []*fabrictest.Identity{p1, p2, n.AppOrgs[3].Peer()}, "majority", fabric.ErrEndorsementPolicy},
		{"with an Idemix endorser", []*fabrictest.Identity{p1, n.AppOrgs[3].Peer()}, "any", fabric.ErrUnknownMSP},
	})
}

// TestOrgWithoutEndorsementPolicy: a child group that lacks the sub-policy
// counts in the total but is never satisfied (Fabric's policy manager
// answers a missing policy with one that rejects everything). The verifier
// used to let any peer of such an org satisfy it.
func TestOrgWithoutEndorsementPolicy(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{AppOrgs: 3})
	if err != nil {
		t.Fatal(err)
	}
	n.AppOrgs[2].NoEndorsement = true
	s := synthOf(t, n)
	p1, p2, p3 := n.AppOrgs[0].Peer(), n.AppOrgs[1].Peer(), n.AppOrgs[2].Peer()
	s.checkPolicies(t, []policyCase{
		{"org with no policy counted", []*fabrictest.Identity{p1, p3}, "majority", fabric.ErrEndorsementPolicy},
		{"org with no policy alone", []*fabrictest.Identity{p3}, "any", fabric.ErrEndorsementPolicy},
		{"every peer", []*fabrictest.Identity{p1, p2, p3}, "all", fabric.ErrEndorsementPolicy},
		{"two orgs with policies", []*fabrictest.Identity{p1, p2}, "majority", nil},
		// A signature policy does not depend on the orgs' policies.
		{"signature policy", []*fabrictest.Identity{p3}, "'Org3MSP.peer'", nil},
	})
}

// TestOrgEndorsementPolicyImplicitMeta: an org's Endorsement policy may be
// an implicit-meta policy. Fabric evaluates it over the org group's
// sub-groups, and an organization has none (channelconfig refuses them),
// so its threshold is 0 and any signature set satisfies it, even none. The
// verifier used to require a peer of the org instead.
func TestOrgEndorsementPolicyImplicitMeta(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{AppOrgs: 3})
	if err != nil {
		t.Fatal(err)
	}
	n.AppOrgs[2].EndorsementPolicy = fabrictest.ImplicitMetaPolicy(cb.ImplicitMetaPolicy_ALL, "Endorsement")
	s := synthOf(t, n)
	p1, p2 := n.AppOrgs[0].Peer(), n.AppOrgs[1].Peer()
	s.checkPolicies(t, []policyCase{
		{"one org and the vacuous one", []*fabrictest.Identity{p1}, "majority", nil},
		{"no endorsement", nil, "any", nil},
		{"no endorsement", nil, "majority", fabric.ErrEndorsementPolicy},
		{"two orgs and the vacuous one", []*fabrictest.Identity{p1, p2}, "all", nil},
		{"one org", []*fabrictest.Identity{p1}, "all", fabric.ErrEndorsementPolicy},
	})
}

// TestPolicyTypesFabricRefuses: Fabric compiles only signature and
// implicit-meta policies, and signature policies of version 0; a config
// with anything else does not load on a peer. The verifier used to read an
// org's Endorsement policy of another type as if it were missing, and
// ignored the version.
func TestPolicyTypesFabricRefuses(t *testing.T) {
	sigV1, err := fabrictest.SignaturePolicy(1, "Org2MSP.peer")
	if err != nil {
		t.Fatal(err)
	}
	sigV1.Version = 1
	for name, edit := range map[string]func(o *fabrictest.Org){
		"MSP type":     func(o *fabrictest.Org) { o.EndorsementPolicy = &cb.Policy{Type: int32(cb.Policy_MSP)} },
		"unknown type": func(o *fabrictest.Org) { o.EndorsementPolicy = &cb.Policy{Type: 9} },
		"version 1":    func(o *fabrictest.Org) { o.Endorsement = sigV1 },
	} {
		t.Run(name, func(t *testing.T) {
			n, err := fabrictest.NewNetwork(fabrictest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			edit(n.AppOrgs[1])
			g, err := n.GenesisBlock()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := fabric.ParseConfigBlock(g); !errors.Is(err, fabric.ErrBadConfig) {
				t.Fatalf("got %v, want ErrBadConfig", err)
			}
		})
	}
}

// TestRepeatedNodeOU: Fabric counts the node OUs of an identity one
// certificate OU at a time, so a certificate whose subject says OU=peer
// twice has two node OUs and is not a valid identity. The verifier used to
// count distinct node OUs and accept it.
func TestRepeatedNodeOU(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	org1, org2 := s.net.AppOrgs[0], s.net.AppOrgs[1]
	twice, err := org2.CA.NewIdentityOUs("Org2MSP", "peer9.Org2MSP", fabrictest.OUPeer, fabrictest.OUPeer)
	if err != nil {
		t.Fatal(err)
	}
	s.checkPolicies(t, []policyCase{
		{"endorser with OU=peer twice", []*fabrictest.Identity{org1.Peer(), twice}, "any", fabric.ErrCertChain},
	})
	client, err := org1.CA.NewIdentityOUs("Org1MSP", "User9@Org1MSP", fabrictest.OUClient, fabrictest.OUClient)
	if err != nil {
		t.Fatal(err)
	}
	env, _, err := s.net.EndorserTx(fabrictest.TxSpec{Creator: client, Chaincode: "records", Endorsers: s.peers()})
	if err != nil {
		t.Fatal(err)
	}
	b := mustVerifyBlock(t, s.tc, nil, s.block(t, 1, nil, env))
	_, err = fabric.VerifyTransaction(s.tc, b, 0, fabric.AnyOrg())
	wantErr(t, err, fabric.ErrCertChain)
	var se *fabric.SignatureError
	if !errors.As(err, &se) || se.Kind != fabric.CreatorSig {
		t.Fatalf("signature error %+v", se)
	}
}

// TestConflictingMSPDefinitions: Fabric refuses a config that defines one
// MSP ID twice with different content ("Attempted to define two different
// versions of MSP"); the verifier used to keep the first definition. The
// same definition twice, an org that both orders and endorses, is fine.
func TestConflictingMSPDefinitions(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n.OrdererOrg.MSPID = "Org1MSP" // with the orderer org's own CA
	g, err := n.GenesisBlock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fabric.ParseConfigBlock(g); !errors.Is(err, fabric.ErrBadConfig) {
		t.Fatalf("got %v, want ErrBadConfig", err)
	}

	n, err = fabrictest.NewNetwork(fabrictest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	both, err := fabrictest.NewOrg("Org1MSP", true, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	n.OrdererOrg, n.AppOrgs[0] = both, both
	s := synthOf(t, n)
	if !slices.Equal(s.tc.MSPIDs(), []string{"Org1MSP", "Org2MSP"}) {
		t.Fatalf("MSPs %v", s.tc.MSPIDs())
	}
	s.checkPolicies(t, []policyCase{{"org in both groups", s.peers(), "all", nil}})
}

// TestOrgPoliciesJSON: the org policies of every kind survive the JSON
// form of a TrustedConfig (the relayer's anchor state).
func TestOrgPoliciesJSON(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{AppOrgs: 4})
	if err != nil {
		t.Fatal(err)
	}
	n.AppOrgs[1].NoEndorsement = true
	n.AppOrgs[2].EndorsementPolicy = fabrictest.ImplicitMetaPolicy(cb.ImplicitMetaPolicy_ANY, "Endorsement")
	n.AppOrgs[3].Idemix = true
	s := synthOf(t, n)
	enc, err := json.Marshal(s.tc)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"endorsement_meta":"ANY Endorsement"`, `"idemix":true`, `"unsupported_msps":["Org4MSP"]`} {
		if !strings.Contains(string(enc), want) {
			t.Errorf("JSON lacks %s: %s", want, enc)
		}
	}
	var back fabric.TrustedConfig
	if err := json.Unmarshal(enc, &back); err != nil {
		t.Fatal(err)
	}
	if again, _ := json.Marshal(&back); !bytes.Equal(enc, again) {
		t.Fatalf("JSON does not round-trip:\n%s\n%s", enc, again)
	}
	s.tc = &back
	p1 := n.AppOrgs[0].Peer()
	s.checkPolicies(t, []policyCase{
		// Org1 and the vacuous Org3 are 2 of 4; majority needs 3.
		{"decoded", []*fabrictest.Identity{p1}, "majority", fabric.ErrEndorsementPolicy},
		{"decoded", []*fabrictest.Identity{p1, n.AppOrgs[1].Peer()}, "majority", fabric.ErrEndorsementPolicy},
		{"decoded", []*fabrictest.Identity{p1}, "any", nil},
	})
}

// TestEmptyApplicationGroup: Fabric's implicit-meta policy over no child
// group has threshold 0, so on a channel whose Application group holds no
// organization every implicit rule is met with no endorsement at all. A
// config with no Application group has no such policy, and meets none.
func TestEmptyApplicationGroup(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n.AppOrgs = nil
	s := synthOf(t, n)
	env, _, err := n.EndorserTx(fabrictest.TxSpec{Creator: n.OrdererOrg.Client, Chaincode: "records"})
	if err != nil {
		t.Fatal(err)
	}
	raw := s.block(t, 1, nil, env)
	b := mustVerifyBlock(t, s.tc, nil, raw)
	for _, p := range []string{"any", "majority", "all"} {
		if _, err := fabric.VerifyTransaction(s.tc, b, 0, mustPolicy(t, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	_, err = fabric.VerifyTransaction(s.tc, b, 0, mustPolicy(t, "'OrdererMSP.member'"))
	wantErr(t, err, fabric.ErrEndorsementPolicy)

	enc, _ := json.Marshal(s.tc)
	if !strings.Contains(string(enc), `"empty_application":true`) {
		t.Fatalf("JSON %s", enc)
	}
	var none fabric.TrustedConfig
	if err := json.Unmarshal([]byte(strings.Replace(string(enc), `"empty_application":true,`, "", 1)), &none); err != nil {
		t.Fatal(err)
	}
	b = mustVerifyBlock(t, &none, nil, raw)
	_, err = fabric.VerifyTransaction(&none, b, 0, fabric.AnyOrg())
	wantErr(t, err, fabric.ErrEndorsementPolicy)
}

// TestBFTDuplicateConsenterIdentity: two consenter IDs with one
// certificate would let one key count twice towards the BFT quorum of
// distinct consenters. configtxgen's BlockValidation policy (n-of the
// consenters' certificates) still catches that, but a weaker policy
// ("ANY Writers") would not, so the config is refused.
func TestBFTDuplicateConsenterIdentity(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{BFT: true})
	if err != nil {
		t.Fatal(err)
	}
	n.OrdererOrg.Orderers[1] = n.OrdererOrg.Orderers[0]
	g, err := n.GenesisBlock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fabric.ParseConfigBlock(g); !errors.Is(err, fabric.ErrBadConfig) {
		t.Fatalf("got %v, want ErrBadConfig", err)
	}

	// The same in a JSON state whose BlockValidation is "ANY Writers":
	// there the quorum of distinct consenters is the only rule, and one
	// key signing as consenters 1 and 2, with consenter 3, would be 3 of 4.
	n, err = fabrictest.NewNetwork(fabrictest.Options{BFT: true})
	if err != nil {
		t.Fatal(err)
	}
	s := synthOf(t, n)
	enc, _ := json.Marshal(s.tc)
	var m map[string]any
	if err := json.Unmarshal(enc, &m); err != nil {
		t.Fatal(err)
	}
	cons := m["consenters"].([]any)
	cons[1].(map[string]any)["cert"] = cons[0].(map[string]any)["cert"]
	m["block_validation"] = map[string]any{"meta": "ANY Writers", "subs": map[string]any{"OrdererMSP": "OutOf(1,'OrdererMSP.member')"}}
	enc, _ = json.Marshal(m)
	var tc fabric.TrustedConfig
	if err := json.Unmarshal(enc, &tc); !errors.Is(err, fabric.ErrBadConfig) {
		o := n.OrdererOrg.Orderers
		env, _ := s.publishTx(t, s.peers()...)
		raw, berr := n.Block(fabrictest.BlockSpec{Number: 1, Envelopes: [][]byte{env}, Signers: []fabrictest.OrdererSig{
			{ID: o[0], Consenter: 1}, {ID: o[0], Consenter: 2}, {ID: o[2], Consenter: 3},
		}})
		if berr != nil {
			t.Fatal(berr)
		}
		_, verr := fabric.VerifyBlock(&tc, nil, raw)
		t.Fatalf("JSON state accepted (%v); a block of two keys then verifies: %v", err, verr)
	}
}

// TestNestedSignaturePolicies pins the evaluation of nested n-of policies
// to Fabric's (common/cauthdsl): each identity satisfies one principal at
// most, principals take the first unused identity that matches, and a
// branch that fails gives back the identities it took.
func TestNestedSignaturePolicies(t *testing.T) {
	s := newSynth(t, fabrictest.Options{AppOrgs: 3})
	o := s.net.AppOrgs
	p1, p2 := o[0].Peer(), o[1].Peer()
	s.checkPolicies(t, []policyCase{
		{"one peer for two principals", []*fabrictest.Identity{p1}, "OutOf(2,'Org1MSP.peer','Org1MSP.member')", fabric.ErrEndorsementPolicy},
		{"failed branch gives back", []*fabrictest.Identity{p1}, "OR(AND('Org1MSP.peer','Org3MSP.peer'),'Org1MSP.peer')", nil},
		{"branch keeps what it took", []*fabrictest.Identity{p1, p2}, "OutOf(2,AND('Org1MSP.peer','Org2MSP.peer'),'Org1MSP.peer')", fabric.ErrEndorsementPolicy},
		{"principal first", []*fabrictest.Identity{p1, p2}, "AND('Org2MSP.peer',OR('Org1MSP.peer','Org2MSP.peer'))", nil},
		// Greedy, like Fabric: an n-of node evaluates all its branches and
		// keeps every identity the successful ones took, so this OR takes
		// both peers and the AND then misses Org2's, although another
		// assignment exists.
		{"greedy", []*fabrictest.Identity{p1, p2}, "AND(OR('Org1MSP.peer','Org2MSP.peer'),'Org2MSP.peer')", fabric.ErrEndorsementPolicy},
		{"same peer twice", []*fabrictest.Identity{p1, p1}, "AND('Org1MSP.peer',OR('Org1MSP.member','Org2MSP.peer'))", fabric.ErrEndorsementPolicy},
		{"one org for another", []*fabrictest.Identity{p1}, "OR('Org2MSP.member','Org3MSP.member')", fabric.ErrEndorsementPolicy},
		{"peer is no admin or client", []*fabrictest.Identity{p1}, "OR('Org1MSP.admin','Org1MSP.client','Org1MSP.orderer')", fabric.ErrEndorsementPolicy},
	})
}

// TestBlockValidationMissingSubPolicy: an orderer org without the
// sub-policy of an implicit-meta BlockValidation counts and is never
// satisfied, so with one orderer org no block verifies.
func TestBlockValidationMissingSubPolicy(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	enc, _ := json.Marshal(s.tc)
	var m map[string]any
	if err := json.Unmarshal(enc, &m); err != nil {
		t.Fatal(err)
	}
	m["block_validation"].(map[string]any)["subs"] = map[string]any{"OrdererMSP": ""}
	enc, _ = json.Marshal(m)
	var tc fabric.TrustedConfig
	if err := json.Unmarshal(enc, &tc); err != nil {
		t.Fatal(err)
	}
	env, _ := s.publishTx(t, s.peers()...)
	raw := s.block(t, 1, nil, env)
	mustVerifyBlock(t, s.tc, nil, raw)
	_, err := fabric.VerifyBlock(&tc, nil, raw)
	wantErr(t, err, fabric.ErrBlockPolicy)
}
