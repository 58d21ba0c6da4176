package fabric_test

// Fourth attacker review, beyond MSP setup: block structure, transaction
// and endorsement checks, policy evaluation and config updates. Each test
// asserts the outcome of a Fabric peer of the same channel; each failed
// before the fix it guards.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	mspb "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// atk4Repartition returns block with its envelopes replaced by envs and
// the validation flags by flags, header and orderer signatures unchanged.
func atk4Repartition(t *testing.T, block []byte, envs [][]byte, flags []byte) []byte {
	t.Helper()
	var b cb.Block
	if err := proto.Unmarshal(block, &b); err != nil {
		t.Fatal(err)
	}
	b.Data.Data = envs
	b.Metadata.Metadata[2] = flags
	out, err := proto.Marshal(&b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAtk4EnvelopeBoundariesNotBound: the orderers sign only the header,
// and DataHash is SHA-256 of the envelopes concatenated without lengths,
// so the boundaries between envelopes are not signed. Fabric closes that
// hole in the peer (protoutil.BlockDataHash → VerifyTransactionsAreWellFormed,
// called by gossip's MSPMessageCryptoService.VerifyBlock and the deliver
// client's block verification): every envelope of a non-config block must
// unmarshal, carry a payload and a signature, and re-marshal to exactly its
// bytes. The verifier hashes the concatenation and keeps envelopes that do
// not decode.
//
// The attack: a client of the channel gets peers to endorse a transaction
// H and never submits it (say, a PublishRecord that competes with one it
// did submit). It submits instead a carrier transaction that holds H's
// envelope as bytes (here: the value of a write). The orderers order the
// carrier. Whoever serves the block then splits the carrier into
// [prefix, H, suffix]: same concatenation, same DataHash, same orderer
// signatures. VerifyBlock accepts it, and with H's unsigned flag set to
// VALID, VerifyTransaction accepts H, a transaction the channel never
// ordered. A peer refuses the re-split block.
func TestAtk4EnvelopeBoundariesNotBound(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	org1 := s.net.AppOrgs[0]
	hidden, hiddenID := s.publishTx(t, s.peers()...)
	carrier, _, err := s.net.EndorserTx(fabrictest.TxSpec{
		Creator:   org1.Client,
		Chaincode: "notes",
		Writes:    []fabrictest.Write{{Namespace: "notes", Key: "n1", Value: hidden}},
		Endorsers: []*fabrictest.Identity{org1.Peer()},
	})
	if err != nil {
		t.Fatal(err)
	}
	prev, err := fabrictest.BlockHash(s.genesis)
	if err != nil {
		t.Fatal(err)
	}
	real := s.block(t, 1, prev, carrier)
	if b, err := fabric.VerifyBlock(s.tc, prev, real); err != nil || len(b.Txs) != 1 {
		t.Fatalf("the ordered block does not verify: %v", err)
	}

	i := bytes.Index(carrier, hidden)
	if i < 0 {
		t.Fatal("the carrier does not hold the hidden envelope")
	}
	envs := [][]byte{carrier[:i], hidden, carrier[i+len(hidden):]}
	forged := atk4Repartition(t, real, envs, []byte{0, 0, 0})

	b, err := fabric.VerifyBlock(s.tc, prev, forged)
	if err != nil {
		return // Fabric's outcome: the envelopes are not well formed
	}
	tx, err := fabric.VerifyTransaction(s.tc, b, 1, fabric.MajorityOrgs())
	if err != nil {
		t.Fatalf("VerifyBlock accepted a block whose envelopes were re-split (%d envelopes for the 1 ordered), which a peer refuses as not well formed; VerifyTransaction then refused: %v", len(b.Txs), err)
	}
	t.Fatalf("VerifyBlock accepted a re-split block and VerifyTransaction accepted tx %s (the never-ordered one: %v, writes %q); a peer refuses the block (VerifyTransactionsAreWellFormed)",
		tx.ID, tx.ID == hiddenID, tx.RWSet[0].Writes[1].Key)
}

// TestAtk4DuplicateTxIDInBlock: a peer marks every transaction whose ID an
// earlier transaction of the same block carries DUPLICATE_TXID
// (txvalidator/v20 TxValidator.Validate → markTXIdDuplicates), whatever
// the ledger holds. Orderers do not deduplicate, so a client that submits
// one envelope twice gets it ordered twice. Unlike an MVCC conflict or a
// duplicate of an earlier block, this is decidable from the block alone,
// yet the verifier trusts the unsigned flag: with it flipped to VALID,
// VerifyTransaction accepts the second copy.
func TestAtk4DuplicateTxIDInBlock(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	env, id := s.publishTx(t, s.peers()...)
	prev := hashOf(t, s.genesis)
	b := mustVerifyBlock(t, s.tc, prev, s.block(t, 1, prev, env, env))
	if _, err := fabric.VerifyTransaction(s.tc, b, 0, fabric.MajorityOrgs()); err != nil {
		t.Fatalf("the first copy: %v", err)
	}
	if _, err := fabric.VerifyTransaction(s.tc, b, 1, fabric.MajorityOrgs()); err == nil {
		t.Fatalf("VerifyTransaction accepted transaction 1 of block 1 (tx %s), which repeats the ID of transaction 0; a peer flags it DUPLICATE_TXID", id)
	}
}

// TestAtk4ConfigTxNotAlone: orderers cut a CONFIG transaction into a block
// of its own, and only such a block is a config block to the verifier.
// A peer validates every CONFIG envelope wherever it stands in the block:
// txvalidator/v20 validateTx hands it to ChannelResources.Apply
// (configtx Validate, then a new bundle), and a config that does not
// validate fails the whole block, which the peer then cannot commit. One
// orderer key (enough under Raft's "ANY Writers") can add a made-up CONFIG
// envelope to a block of endorser transactions: the verifier accepts the
// block and never looks at the config.
func TestAtk4ConfigTxNotAlone(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	env, _ := s.publishTx(t, s.peers()...)
	attacker, err := fabrictest.NewCA("Org1MSP")
	if err != nil {
		t.Fatal(err)
	}
	s.net.AppOrgs[0].CA = attacker // a config that swaps Org1's root CA
	bogus := s.net.ConfigEnvelope(s.net.OrdererOrg.Orderers[0])
	prev := hashOf(t, s.genesis)
	b, err := fabric.VerifyBlock(s.tc, prev, s.block(t, 1, prev, env, bogus))
	if err == nil {
		t.Fatalf("VerifyBlock accepted block 1 with %d transactions, transaction 1 a CONFIG envelope (%v) that carries no valid config update; a peer fails the block when it applies that config",
			len(b.Txs), b.Txs[1].Type)
	}
}

// TestAtk4NewConfigMustLoad: a peer installs a config only if, after
// configtx's checks, it loads as a channel config and is a valid successor
// of the current one (peer Channel.Apply: channelconfig.NewBundle, then
// BundleSource.ValidateNew). The verifier checks the update's signatures
// and reads what it needs from the new config, but accepts configs that
// fail those steps. Each update below is signed by exactly the admins its
// mod_policies require, and each config is refused by a peer:
//   - a policy that does not compile (policies.NewManagerImpl: "unknown
//     policy type"); the package documentation says such configs are
//     refused;
//   - a value key channelconfig does not know
//     (DeserializeProtoValuesFromGroup → StandardValues.Deserialize:
//     "Unexpected key");
//   - an org that changes its MSP ID (ValidateNew: "attempted to change
//     MSP ID"): Org1's admin alone renames Org1's MSP to an ID a policy
//     elsewhere may still name;
//   - a config without the Application group the current one has
//     (ValidateNew: "current config has application section, but new
//     config does not").
func TestAtk4NewConfigMustLoad(t *testing.T) {
	org1Admin := func(s *synth) []*fabrictest.Identity { return []*fabrictest.Identity{s.net.AppOrgs[0].Admin} }
	for _, c := range []struct {
		name    string
		signers func(s *synth) []*fabrictest.Identity
		edit    func(t *testing.T, cfg *cb.Config)
	}{
		{"Org1 Readers policy of type 0", org1Admin, func(t *testing.T, cfg *cb.Config) {
			p := cfg.ChannelGroup.Groups["Application"].Groups["Org1MSP"].Policies["Readers"]
			p.Policy = &cb.Policy{Type: 0, Value: p.Policy.Value}
		}},
		{"Org1 Readers signature policy naming identity 5 of 1", org1Admin, func(t *testing.T, cfg *cb.Config) {
			p := cfg.ChannelGroup.Groups["Application"].Groups["Org1MSP"].Policies["Readers"]
			var env cb.SignaturePolicyEnvelope
			if err := proto.Unmarshal(p.Policy.Value, &env); err != nil {
				t.Fatal(err)
			}
			env.Rule = &cb.SignaturePolicy{Type: &cb.SignaturePolicy_SignedBy{SignedBy: 5}}
			p.Policy = &cb.Policy{Type: int32(cb.Policy_SIGNATURE), Value: mustProto(t, &env)}
		}},
		{"Org1 value with an unknown key", org1Admin, func(t *testing.T, cfg *cb.Config) {
			cfg.ChannelGroup.Groups["Application"].Groups["Org1MSP"].Values["Whatever"] = &cb.ConfigValue{Value: []byte("x"), ModPolicy: "Admins"}
		}},
		{"Org1 renames its MSP to Org3MSP", org1Admin, func(t *testing.T, cfg *cb.Config) {
			editMSP(t, cfg, "Org1MSP", func(fc *mspb.FabricMSPConfig) { fc.Name = "Org3MSP" })
		}},
		{"the Application group removed", func(s *synth) []*fabrictest.Identity { return s.admins }, func(t *testing.T, cfg *cb.Config) {
			delete(cfg.ChannelGroup.Groups, "Application")
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSynth(t, fabrictest.Options{})
			want := proto.Clone(s.net.Current).(*cb.Config)
			c.edit(t, want)
			b1, _ := s.updateBlock(t, 1, nil, want, c.signers(s))
			if _, _, err := fabric.VerifyChain(s.tc, [][]byte{b1}); err == nil {
				t.Errorf("config block 1 (%s) verified; a peer refuses the config", c.name)
			}
		})
	}
}

// atk4Tx is an endorser transaction built by hand, for the rules below.
type atk4Tx struct {
	epoch      uint64
	nonce      []byte // as is, empty too
	eventCC    string // the chaincode event's chaincode_id ("" : the invoked one)
	dupNS      bool   // the write in a second rwset entry of the same namespace
	noResponse bool   // no ChaincodeAction in the proposal response payload
	headerCC   string // the channel header extension's chaincode ("": the invoked one)
}

// build returns the envelope, signed by Org1's client and endorsed by the
// first peer of every org; the write is records/outbox/record/aa.
func (x atk4Tx) build(t *testing.T, s *synth) []byte {
	t.Helper()
	creator := s.net.AppOrgs[0].Client
	sid := creator.Serialized()
	sum := sha256.Sum256(append(append([]byte{}, x.nonce...), sid...))
	txID := hex.EncodeToString(sum[:])
	hdrCC := x.headerCC
	if hdrCC == "" {
		hdrCC = "records"
	}
	ext := atk4Bytes(nil, 2, atk4Bytes(nil, 2, []byte(hdrCC))) // ChaincodeHeaderExtension{chaincode_id: {name}}
	chdr := mustProto(t, &cb.ChannelHeader{Type: int32(cb.HeaderType_ENDORSER_TRANSACTION), ChannelId: s.net.Channel, TxId: txID, Epoch: x.epoch, Extension: ext})
	shdr := mustProto(t, &cb.SignatureHeader{Creator: sid, Nonce: x.nonce})
	ccpp := atk4Bytes(nil, 1, []byte("input"))
	ph := sha256.New()
	ph.Write(chdr)
	ph.Write(shdr)
	ph.Write(ccpp)

	kv := mustProto(t, &kvrwset.KVRWSet{Writes: []*kvrwset.KVWrite{{Key: "outbox/record/aa", Value: []byte("digest")}}})
	rws := &rwset.TxReadWriteSet{DataModel: rwset.TxReadWriteSet_KV, NsRwset: []*rwset.NsReadWriteSet{{Namespace: "records", Rwset: kv}}}
	if x.dupNS {
		other := mustProto(t, &kvrwset.KVRWSet{Writes: []*kvrwset.KVWrite{{Key: "outbox/seq", Value: []byte{1}}}})
		rws.NsRwset = append(rws.NsRwset, &rwset.NsReadWriteSet{Namespace: "records", Rwset: other})
	}
	evCC := x.eventCC
	if evCC == "" {
		evCC = "records"
	}
	ev := atk4Bytes(atk4Bytes(atk4Bytes(nil, 1, []byte(evCC)), 2, []byte(txID)), 3, []byte("RecordPublished"))
	action := atk4Bytes(nil, 1, mustProto(t, rws))
	action = atk4Bytes(action, 2, ev)
	action = atk4Bytes(action, 3, protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), 200))
	action = atk4Bytes(action, 4, atk4Bytes(atk4Bytes(nil, 2, []byte("records")), 3, []byte("1.0")))
	prp := atk4Bytes(nil, 1, ph.Sum(nil))
	if !x.noResponse {
		prp = atk4Bytes(prp, 2, action)
	}
	cea := atk4Bytes(nil, 1, prp)
	for _, e := range s.peers() {
		es := e.Serialized()
		cea = atk4Bytes(cea, 2, atk4Bytes(atk4Bytes(nil, 1, es), 2, e.Sign(prp, es)))
	}
	cap := atk4Bytes(atk4Bytes(nil, 1, ccpp), 2, cea)
	tx := atk4Bytes(nil, 1, atk4Bytes(atk4Bytes(nil, 1, shdr), 2, cap))
	payload := mustProto(t, &cb.Payload{Header: &cb.Header{ChannelHeader: chdr, SignatureHeader: shdr}, Data: tx})
	return mustProto(t, &cb.Envelope{Payload: payload, Signature: creator.Sign(payload)})
}

func atk4Bytes(b []byte, num protowire.Number, v []byte) []byte {
	return protowire.AppendBytes(protowire.AppendTag(b, num, protowire.BytesType), v)
}

// TestAtk4TransactionRules: rules a peer applies to an endorser
// transaction before and around the endorsement policy, which the verifier
// does not apply. Honest endorsers never sign such proposals, so each
// needs endorsers that satisfy the policy to sign what Fabric's endorser
// refuses to; the verifier re-checks the policy precisely because it does
// not trust the peers' flags, and then accepts what every peer flags
// invalid:
//   - channel header epoch other than 0 (validation.ValidateTransaction →
//     validateChannelHeader: BAD_COMMON_HEADER);
//   - empty nonce (validateSignatureHeader: BAD_COMMON_HEADER);
//   - a chaincode event naming another chaincode than the one invoked
//     (plugindispatcher Dispatch: INVALID_OTHER_REASON);
//   - one namespace twice in the read-write set (Dispatch: "duplicate
//     namespace", ILLEGAL_WRITESET);
//   - a channel header extension naming another chaincode than the
//     endorsed ChaincodeAction (Dispatch: "inconsistent ccid info",
//     INVALID_CHAINCODE); the verifier reads the chaincode from the
//     action and never looks at the header extension (nor requires it);
//   - a proposal response payload without a ChaincodeAction extension
//     (builtin v20 extractValidationArtifacts: "nil
//     pRespPayload.Extension", ENDORSEMENT_POLICY_FAILURE).
func TestAtk4TransactionRules(t *testing.T) {
	// The builder is sound: without a rule broken, the transaction verifies.
	s := newSynth(t, fabrictest.Options{})
	prev := hashOf(t, s.genesis)
	b := mustVerifyBlock(t, s.tc, prev, s.block(t, 1, prev, atk4Tx{nonce: []byte("n0nce")}.build(t, s)))
	if _, err := fabric.VerifyTransaction(s.tc, b, 0, fabric.MajorityOrgs()); err != nil {
		t.Fatalf("a well-formed transaction: %v", err)
	}
	for _, c := range []struct {
		name string
		tx   atk4Tx
	}{
		{"epoch 1", atk4Tx{epoch: 1, nonce: []byte("n0nce")}},
		{"empty nonce", atk4Tx{}},
		{"event of another chaincode", atk4Tx{nonce: []byte("n0nce"), eventCC: "other"}},
		{"namespace twice", atk4Tx{nonce: []byte("n0nce"), dupNS: true}},
		{"no chaincode action", atk4Tx{nonce: []byte("n0nce"), noResponse: true}},
		{"header extension of another chaincode", atk4Tx{nonce: []byte("n0nce"), headerCC: "other"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSynth(t, fabrictest.Options{})
			prev := hashOf(t, s.genesis)
			b := mustVerifyBlock(t, s.tc, prev, s.block(t, 1, prev, c.tx.build(t, s)))
			if _, err := fabric.VerifyTransaction(s.tc, b, 0, fabric.MajorityOrgs()); err == nil {
				t.Errorf("VerifyTransaction accepted a transaction with %s, which every peer flags invalid", c.name)
			}
		})
	}
}
