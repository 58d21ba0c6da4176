package fabric_test

// Fifth attacker review, around the well-formedness, transaction header and
// config load rules of the fourth: what the verifier accepted and a Fabric
// peer of the same channel refuses. Each test asserts the peer's outcome;
// each failed before the fix it guards.

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// atk5Tx is an endorser transaction of Org1's client on chaincode
// "records", built by hand; the zero value is one a peer accepts.
type atk5Tx struct {
	headerCCID  []byte // ChannelHeader extension's ChaincodeID (nil: {name: records})
	actionCCID  []byte // ChaincodeAction.chaincode_id (nil: {name: records, version: 1.0})
	noActionCC  bool   // ChaincodeAction without chaincode_id
	noEvent     bool   // no chaincode event
	noProposal  bool   // ChaincodeActionPayload without chaincode_proposal_payload
	extraNS     []*rwset.NsReadWriteSet
	collections []*rwset.CollectionHashedReadWriteSet // of the records namespace
	writes      []*kvrwset.KVWrite                    // records writes (nil: outbox/record/aa = digest)
	endorsers   []*fabrictest.Identity                // nil: the first peer of every org
}

func atk5CCID(name, version string) []byte {
	b := atk4Bytes(nil, 2, []byte(name))
	if version != "" {
		b = atk4Bytes(b, 3, []byte(version))
	}
	return b
}

func (x atk5Tx) build(t *testing.T, s *synth) []byte {
	t.Helper()
	creator := s.net.AppOrgs[0].Client
	sid := creator.Serialized()
	nonce := []byte("atk5-nonce")
	sum := sha256.Sum256(append(append([]byte{}, nonce...), sid...))
	txID := hex.EncodeToString(sum[:])
	hdrCC := x.headerCCID
	if hdrCC == nil {
		hdrCC = atk5CCID("records", "")
	}
	ext := atk4Bytes(nil, 2, hdrCC) // ChaincodeHeaderExtension{chaincode_id}
	chdr := mustProto(t, &cb.ChannelHeader{Type: int32(cb.HeaderType_ENDORSER_TRANSACTION), ChannelId: s.net.Channel, TxId: txID, Extension: ext})
	shdr := mustProto(t, &cb.SignatureHeader{Creator: sid, Nonce: nonce})
	var ccpp []byte
	if !x.noProposal {
		ccpp = atk4Bytes(nil, 1, []byte("input"))
	}
	ph := sha256.New()
	ph.Write(chdr)
	ph.Write(shdr)
	ph.Write(ccpp)

	writes := x.writes
	if writes == nil {
		writes = []*kvrwset.KVWrite{{Key: "outbox/record/aa", Value: []byte("digest")}}
	}
	kv := mustProto(t, &kvrwset.KVRWSet{Writes: writes})
	rws := &rwset.TxReadWriteSet{DataModel: rwset.TxReadWriteSet_KV, NsRwset: []*rwset.NsReadWriteSet{
		{Namespace: "records", Rwset: kv, CollectionHashedRwset: x.collections},
	}}
	rws.NsRwset = append(rws.NsRwset, x.extraNS...)
	action := atk4Bytes(nil, 1, mustProto(t, rws))
	if !x.noEvent {
		action = atk4Bytes(action, 2, atk4Bytes(atk4Bytes(atk4Bytes(nil, 1, []byte("records")), 2, []byte(txID)), 3, []byte("RecordPublished")))
	}
	action = atk4Bytes(action, 3, protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), 200))
	if !x.noActionCC {
		cc := x.actionCCID
		if cc == nil {
			cc = atk5CCID("records", "1.0")
		}
		action = atk4Bytes(action, 4, cc)
	}
	prp := atk4Bytes(atk4Bytes(nil, 1, ph.Sum(nil)), 2, action)
	cea := atk4Bytes(nil, 1, prp)
	endorsers := x.endorsers
	if endorsers == nil {
		endorsers = s.peers()
	}
	for _, e := range endorsers {
		es := e.Serialized()
		cea = atk4Bytes(cea, 2, atk4Bytes(atk4Bytes(nil, 1, es), 2, e.Sign(prp, es)))
	}
	var cap []byte
	if !x.noProposal {
		cap = atk4Bytes(cap, 1, ccpp)
	}
	cap = atk4Bytes(cap, 2, cea)
	tx := atk4Bytes(nil, 1, atk4Bytes(atk4Bytes(nil, 1, shdr), 2, cap))
	payload := mustProto(t, &cb.Payload{Header: &cb.Header{ChannelHeader: chdr, SignatureHeader: shdr}, Data: tx})
	return mustProto(t, &cb.Envelope{Payload: payload, Signature: creator.Sign(payload)})
}

// verify puts the transaction alone in block 1 and returns what
// VerifyTransaction says of it under policy.
func (x atk5Tx) verify(t *testing.T, s *synth, policy fabric.EndorsementPolicy) (*fabric.Tx, error) {
	t.Helper()
	prev := hashOf(t, s.genesis)
	b := mustVerifyBlock(t, s.tc, prev, s.block(t, 1, prev, x.build(t, s)))
	return fabric.VerifyTransaction(s.tc, b, 0, policy)
}

// TestAtk5ChaincodeActionRules: rules of the v20 validation path that the
// fourth review's transaction rules left out. Each transaction is signed by
// endorsers that satisfy the policy; every peer flags it invalid:
//   - a ChaincodeAction whose chaincode_id has no version
//     (plugindispatcher Dispatch: "invalid chaincode version",
//     INVALID_CHAINCODE); the verifier never reads the version;
//   - a ChaincodeAction without chaincode_id, under a header extension
//     whose ChaincodeID has no name (Dispatch: "nil ChaincodeId in
//     ChaincodeAction" and "invalid chaincode ID"): the verifier compares
//     the two names, "" and "", and finds them equal;
//   - a ChaincodeActionPayload without chaincode_proposal_payload
//     (validation.ValidateTransaction → validateEndorserTransaction →
//     protoutil.GetProposalHash2: "nil arguments",
//     INVALID_ENDORSER_TRANSACTION); protobuf decodes an absent or empty
//     proto3 bytes field as nil, and the verifier hashes the empty string;
//   - a collection's hashed read-write set that does not decode
//     (Dispatch → rwsetutil TxRwSet.FromProtoBytes → collHashedRwSetFromProtoMsg:
//     BAD_RWSET); the verifier never decodes collection rwsets.
func TestAtk5ChaincodeActionRules(t *testing.T) {
	s := atk5Synth(t)
	if _, err := (atk5Tx{}).verify(t, s, fabric.MajorityOrgs()); err != nil {
		t.Fatalf("control: a transaction a peer accepts: %v", err)
	}
	for _, c := range []struct {
		name string
		tx   atk5Tx
	}{
		{"a chaincode ID without version", atk5Tx{actionCCID: atk5CCID("records", "")}},
		{"no chaincode ID in the action and an empty name in the header", atk5Tx{headerCCID: []byte{}, noActionCC: true, noEvent: true}},
		{"no chaincode proposal payload", atk5Tx{noProposal: true}},
		{"a collection hashed rwset that does not decode", atk5Tx{collections: []*rwset.CollectionHashedReadWriteSet{
			{CollectionName: "private", HashedRwset: []byte{0xff}, PvtRwsetHash: make([]byte, 32)},
		}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := atk5Synth(t)
			if tx, err := c.tx.verify(t, s, fabric.MajorityOrgs()); err == nil {
				t.Errorf("VerifyTransaction accepted a transaction with %s (chaincode %+v), which every peer flags invalid", c.name, tx.Chaincode)
			}
		})
	}
}

// TestAtk5LifecycleNamespaceWrite: a peer validates every namespace a
// transaction writes under that namespace's own endorsement policy
// (plugindispatcher Dispatch: wrNamespace, GetInfoForValidate per
// namespace). For most namespaces that policy lives in the ledger, but for
// _lifecycle it is decidable from the channel config
// (lifecycle ValidatorCommitter.ValidationInfo →
// LifecycleEndorsementPolicyAsBytes: /Channel/Application/LifecycleEndorsement,
// or without it a majority of the application orgs' members). A
// transaction on "records" that also writes chaincode definitions into
// _lifecycle, endorsed by Org1 alone, satisfies a records policy of
// OR('Org1MSP.peer'), and the verifier accepts it; every peer flags it
// ENDORSEMENT_POLICY_FAILURE because the _lifecycle writes lack Org2.
func TestAtk5LifecycleNamespaceWrite(t *testing.T) {
	s := atk5Synth(t)
	org1Only := []*fabrictest.Identity{s.net.AppOrgs[0].Peer()}
	policy := mustPolicy(t, "OR('Org1MSP.peer')")
	if _, err := (atk5Tx{endorsers: org1Only}).verify(t, s, policy); err != nil {
		t.Fatalf("control: the records write alone: %v", err)
	}
	lc := mustProto(t, &kvrwset.KVRWSet{Writes: []*kvrwset.KVWrite{
		{Key: "namespaces/fields/records/EndorsementInfo", Value: []byte("attacker's definition")},
	}})
	x := atk5Tx{endorsers: org1Only, extraNS: []*rwset.NsReadWriteSet{{Namespace: "_lifecycle", Rwset: lc}}}
	if tx, err := x.verify(t, s, policy); err == nil {
		t.Errorf("VerifyTransaction accepted tx %s, which writes %d namespaces including _lifecycle endorsed by Org1 alone; a peer requires the lifecycle endorsement policy (a majority of the 2 orgs) for those writes",
			tx.ID, len(tx.RWSet))
	}
}

// TestAtk5EmptyValueIsDelete: Fabric's ledger treats a KVWrite with an
// empty value as a delete, whatever its is_delete flag
// (rwsetutil.IsKVWriteDelete: IsDelete || len(Value) == 0, used by
// validation txOps.applyKVWrite). Tx.Write promises ok=false for a deleted
// key, yet reports such a write as a write of the empty value: a caller
// that checks HasWrite(ns, key, nil) is told the key holds "" when the
// peers deleted it.
func TestAtk5EmptyValueIsDelete(t *testing.T) {
	s := atk5Synth(t)
	x := atk5Tx{writes: []*kvrwset.KVWrite{{Key: "outbox/record/aa", Value: nil, IsDelete: false}}}
	tx, err := x.verify(t, s, fabric.MajorityOrgs())
	if err != nil {
		return // refusing it is safe too
	}
	if v, ok := tx.Write("records", "outbox/record/aa"); ok {
		t.Errorf("Tx.Write reports a write of %q to records/outbox/record/aa, which every peer commits as a delete", v)
	}
}

// atk5Reheader returns the CONFIG envelope env with its headers edited and
// signed again by signer.
func atk5Reheader(t *testing.T, env []byte, signer *fabrictest.Identity, edit func(ch *cb.ChannelHeader, sh *cb.SignatureHeader)) []byte {
	t.Helper()
	var e cb.Envelope
	var p cb.Payload
	var ch cb.ChannelHeader
	var sh cb.SignatureHeader
	if proto.Unmarshal(env, &e) != nil || proto.Unmarshal(e.Payload, &p) != nil ||
		proto.Unmarshal(p.Header.ChannelHeader, &ch) != nil || proto.Unmarshal(p.Header.SignatureHeader, &sh) != nil {
		t.Fatal("cannot decode the envelope")
	}
	edit(&ch, &sh)
	p.Header.ChannelHeader = mustProto(t, &ch)
	p.Header.SignatureHeader = mustProto(t, &sh)
	payload := mustProto(t, &p)
	return mustProto(t, &cb.Envelope{Payload: payload, Signature: signer.Sign(payload)})
}

// TestAtk5ConfigEnvelopeHeader: a peer runs the same header checks on a
// CONFIG envelope as on any other before it applies the config
// (txvalidator/v20 validateTx → validation.ValidateTransaction:
// validateChannelHeader requires epoch 0 and validateSignatureHeader a
// nonce and a creator, for every header type). A CONFIG envelope that
// fails them is flagged BAD_COMMON_HEADER and its config is never applied:
// the peer stays on the old config. The fourth review's header rules apply
// only to endorser transactions, so the verifier installs the config of a
// config block whose CONFIG envelope has no nonce or a non-zero epoch. One
// orderer key (enough under Raft's "ANY Writers") can so take a properly
// signed config update (here: Org3 joins) and make the verifier and the
// peers follow different configs from then on.
func TestAtk5ConfigEnvelopeHeader(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(ch *cb.ChannelHeader, sh *cb.SignatureHeader)
	}{
		{"control", nil},
		{"no nonce", func(ch *cb.ChannelHeader, sh *cb.SignatureHeader) { sh.Nonce = nil }},
		{"epoch 1", func(ch *cb.ChannelHeader, sh *cb.SignatureHeader) { ch.Epoch = 1 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := atk5Synth(t)
			s.addOrg3(t)
			u := s.configUpdate(t)
			orderer := s.net.OrdererOrg.Orderers[0]
			env, err := s.net.ConfigTx(u, s.admins, orderer)
			if err != nil {
				t.Fatal(err)
			}
			if c.edit != nil {
				env = atk5Reheader(t, env, orderer, c.edit)
			}
			b1, err := s.net.Block(fabrictest.BlockSpec{Number: 1, PrevHash: hashOf(t, s.genesis), LastConfig: 1, Envelopes: [][]byte{env}})
			if err != nil {
				t.Fatal(err)
			}
			next, _, err := fabric.VerifyChain(s.tc, [][]byte{b1})
			switch {
			case c.edit == nil && err != nil:
				t.Fatalf("control: %v", err)
			case c.edit != nil && err == nil:
				t.Errorf("the verifier installed config sequence %d (orgs %v) from a CONFIG envelope with %s, which a peer flags BAD_COMMON_HEADER and does not apply",
					next.Sequence(), next.ApplicationOrgs(), c.name)
			}
		})
	}
}

// atk5BatchValues returns the Orderer group's BatchSize and BatchTimeout
// values (orderer.BatchSize{max_message_count, absolute_max_bytes,
// preferred_max_bytes}, orderer.BatchTimeout{timeout}).
func atk5BatchValues(timeout string) (size, tmo []byte) {
	for i, v := range []uint64{500, 10 << 20, 2 << 20} {
		size = protowire.AppendVarint(protowire.AppendTag(size, protowire.Number(i+1), protowire.VarintType), v)
	}
	return size, atk4Bytes(nil, 1, []byte(timeout))
}

// atk5Synth is the default network with a genesis a Fabric v2 peer loads
// and validates with the v20 validator: the batch values configtxgen
// writes and the V2_0 application capability.
func atk5Synth(t *testing.T) *synth {
	t.Helper()
	n, err := fabrictest.NewNetwork(fabrictest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return genesisWith(t, n, func(cfg *cb.Config) {
		size, tmo := atk5BatchValues("2s")
		ord := cfg.ChannelGroup.Groups["Orderer"]
		ord.Values["BatchSize"] = &cb.ConfigValue{Value: size, ModPolicy: "Admins"}
		ord.Values["BatchTimeout"] = &cb.ConfigValue{Value: tmo, ModPolicy: "Admins"}
		cfg.ChannelGroup.Groups["Application"].Values = map[string]*cb.ConfigValue{"Capabilities": {ModPolicy: "Admins",
			Value: mustProto(t, &cb.Capabilities{Capabilities: map[string]*cb.Capability{"V2_0": {}}})}}
	})
}

// TestAtk5ConfigValuesMustLoad: the fourth review's checkLoads checks the
// value keys of a new config, not the values. A peer loads every value
// (channelconfig DeserializeProtoValuesFromGroup, a zero message when the
// key is absent) and validates them (NewChannelConfig → Validate,
// NewOrdererConfig → Validate), and refuses a config whose application
// capabilities it does not support (peer Channel.Apply →
// capabilitiesSupportedOrPanic). Each update is signed by exactly the
// admins its mod_policies require:
//   - no HashingAlgorithm ("Unknown hashing algorithm type: "); the
//     verifier checks it only when present;
//   - no BlockDataHashingStructure (width 0: "BlockDataHashStructure width
//     only supported at MaxUint32");
//   - Org1's AnchorPeers that do not decode: Org1's admin alone;
//   - OrdererMSP's Endpoints that do not decode: the orderer org's admin
//     alone (the verifier reads Endpoints only under V3_0);
//   - an Orderer BatchTimeout of "0s" (validateBatchTimeout: "non-positive
//     value"): the orderer org's admin alone;
//   - an application capability V9_9 ("Application capability V9_9 is
//     required but not supported").
func TestAtk5ConfigValuesMustLoad(t *testing.T) {
	all := func(s *synth) []*fabrictest.Identity { return s.admins }
	for _, c := range []struct {
		name    string
		signers func(s *synth) []*fabrictest.Identity
		edit    func(t *testing.T, cfg *cb.Config)
	}{
		{"control: a BatchTimeout of 5s", func(s *synth) []*fabrictest.Identity { return []*fabrictest.Identity{s.net.OrdererOrg.Admin} }, func(t *testing.T, cfg *cb.Config) {
			_, tmo := atk5BatchValues("5s")
			cfg.ChannelGroup.Groups["Orderer"].Values["BatchTimeout"].Value = tmo
		}},
		{"no HashingAlgorithm", all, func(t *testing.T, cfg *cb.Config) {
			delete(cfg.ChannelGroup.Values, "HashingAlgorithm")
		}},
		{"no BlockDataHashingStructure", all, func(t *testing.T, cfg *cb.Config) {
			delete(cfg.ChannelGroup.Values, "BlockDataHashingStructure")
		}},
		{"Org1 AnchorPeers that do not decode", func(s *synth) []*fabrictest.Identity { return []*fabrictest.Identity{s.net.AppOrgs[0].Admin} }, func(t *testing.T, cfg *cb.Config) {
			cfg.ChannelGroup.Groups["Application"].Groups["Org1MSP"].Values["AnchorPeers"] = &cb.ConfigValue{Value: []byte{0xff}, ModPolicy: "Admins"}
		}},
		{"OrdererMSP Endpoints that do not decode", func(s *synth) []*fabrictest.Identity { return []*fabrictest.Identity{s.net.OrdererOrg.Admin} }, func(t *testing.T, cfg *cb.Config) {
			cfg.ChannelGroup.Groups["Orderer"].Groups["OrdererMSP"].Values["Endpoints"].Value = []byte{0xff}
		}},
		{"a BatchTimeout of 0s", func(s *synth) []*fabrictest.Identity { return []*fabrictest.Identity{s.net.OrdererOrg.Admin} }, func(t *testing.T, cfg *cb.Config) {
			_, tmo := atk5BatchValues("0s")
			cfg.ChannelGroup.Groups["Orderer"].Values["BatchTimeout"].Value = tmo
		}},
		{"application capability V9_9", all, func(t *testing.T, cfg *cb.Config) {
			cfg.ChannelGroup.Groups["Application"].Values["Capabilities"].Value =
				mustProto(t, &cb.Capabilities{Capabilities: map[string]*cb.Capability{"V2_0": {}, "V9_9": {}}})
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := atk5Synth(t)
			want := proto.Clone(s.net.Current).(*cb.Config)
			c.edit(t, want)
			b1, _ := s.updateBlock(t, 1, nil, want, c.signers(s))
			_, _, err := fabric.VerifyChain(s.tc, [][]byte{b1})
			control := c.name[:8] == "control:"
			switch {
			case control && err != nil:
				t.Fatalf("%v", err)
			case !control && err == nil:
				t.Errorf("config block 1 (%s) verified; a peer cannot load the config", c.name)
			}
		})
	}
}

// TestAtk5ConsensusTypeChangeNeedsCapability: a peer refuses a config that
// changes the consensus type unless the channel capability allows
// migration, V1_4_2 and later (channelconfig Bundle.ValidateNew:
// "attempted to change consensus type"). checkSuccessor does not apply
// that rule: on a V1_3 channel the orderer org's admin alone moves the
// channel from etcdraft to solo and the verifier installs the config.
func TestAtk5ConsensusTypeChangeNeedsCapability(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{ChannelCapability: "V1_3"})
	if err != nil {
		t.Fatal(err)
	}
	if n.OrdererOrg, err = fabrictest.NewOrg("OrdererMSP", false, 0, 1); err != nil {
		t.Fatal(err)
	}
	s := genesisWith(t, n, func(cfg *cb.Config) {
		legacyOrdererAddresses(cfg)
		size, tmo := atk5BatchValues("2s")
		ord := cfg.ChannelGroup.Groups["Orderer"]
		ord.Values["BatchSize"] = &cb.ConfigValue{Value: size, ModPolicy: "Admins"}
		ord.Values["BatchTimeout"] = &cb.ConfigValue{Value: tmo, ModPolicy: "Admins"}
	})
	want := proto.Clone(s.net.Current).(*cb.Config)
	want.ChannelGroup.Groups["Orderer"].Values["ConsensusType"].Value = atk4Bytes(nil, 1, []byte("solo"))
	b1, _ := s.updateBlock(t, 1, nil, want, []*fabrictest.Identity{s.net.OrdererOrg.Admin})
	if next, _, err := fabric.VerifyChain(s.tc, [][]byte{b1}); err == nil {
		t.Errorf("a V1_3 channel moved from %s to %s consensus; a peer refuses the config (no ConsensusTypeMigration capability)", s.tc.Consensus(), next.Consensus())
	}
}
