package fabric_test

// Sixth attacker review, of the fifth review's fixes: CONFIG headers, config
// values, chaincode action rules and the refusal of writes to namespaces
// other than the invoked chaincode's. Each test asserts a Fabric peer's
// outcome; each failed before the fix it guards.

import (
	"crypto/sha256"
	"testing"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// TestAtk6OtherNamespaceNonPublicWrites: a peer validates under its own
// endorsement policy every namespace the transaction writes, and "writes"
// counts more than public KVWrites (plugindispatcher
// dispatcherImpl.txWritesToNamespace: public writes, a collection's hashed
// writes or hashed metadata writes, or public metadata writes). The
// verifier's new namespace rule (endorsement.go) looks at public writes
// only, so a transaction on "records" endorsed by Org1 alone that also
// writes _lifecycle's key metadata, or a hashed private write in a
// _lifecycle collection, satisfies a records policy of OR('Org1MSP.peer')
// and is accepted; every peer validates _lifecycle under the lifecycle
// endorsement policy (a majority of the 2 orgs; _lifecycle collections have
// no definition, so CollectionValidationInfo passes through to it) and
// flags the transaction ENDORSEMENT_POLICY_FAILURE.
func TestAtk6OtherNamespaceNonPublicWrites(t *testing.T) {
	s := atk5Synth(t)
	org1Only := []*fabrictest.Identity{s.net.AppOrgs[0].Peer()}
	policy := mustPolicy(t, "OR('Org1MSP.peer')")
	if _, err := (atk5Tx{endorsers: org1Only}).verify(t, s, policy); err != nil {
		t.Fatalf("control: the records write alone: %v", err)
	}
	kh := sha256.Sum256([]byte("namespaces/fields/records/EndorsementInfo"))
	vh := sha256.Sum256([]byte("attacker's definition"))
	for _, c := range []struct {
		name string
		ns   *rwset.NsReadWriteSet
	}{
		{"a metadata write", &rwset.NsReadWriteSet{Namespace: "_lifecycle", Rwset: mustProto(t, &kvrwset.KVRWSet{
			MetadataWrites: []*kvrwset.KVMetadataWrite{{Key: "namespaces/fields/records/EndorsementInfo",
				Entries: []*kvrwset.KVMetadataEntry{{Name: "VALIDATION_PARAMETER", Value: []byte("attacker's policy")}}}},
		})}},
		{"a hashed private write", &rwset.NsReadWriteSet{Namespace: "_lifecycle", Rwset: mustProto(t, &kvrwset.KVRWSet{}),
			CollectionHashedRwset: []*rwset.CollectionHashedReadWriteSet{{CollectionName: "_implicit_org_Org2MSP",
				HashedRwset:  mustProto(t, &kvrwset.HashedRWSet{HashedWrites: []*kvrwset.KVWriteHash{{KeyHash: kh[:], ValueHash: vh[:]}}}),
				PvtRwsetHash: make([]byte, 32)}}}},
		{"a hashed private metadata write", &rwset.NsReadWriteSet{Namespace: "_lifecycle", Rwset: mustProto(t, &kvrwset.KVRWSet{}),
			CollectionHashedRwset: []*rwset.CollectionHashedReadWriteSet{{CollectionName: "_implicit_org_Org2MSP",
				HashedRwset: mustProto(t, &kvrwset.HashedRWSet{MetadataWrites: []*kvrwset.KVMetadataWriteHash{{KeyHash: kh[:],
					Entries: []*kvrwset.KVMetadataEntry{{Name: "VALIDATION_PARAMETER", Value: []byte("attacker's policy")}}}}}),
				PvtRwsetHash: make([]byte, 32)}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := atk5Tx{endorsers: org1Only, extraNS: []*rwset.NsReadWriteSet{c.ns}}
			tx, err := x.verify(t, s, policy)
			if err == nil {
				t.Errorf("VerifyTransaction accepted tx %s with %s in _lifecycle endorsed by Org1 alone; a peer validates _lifecycle under the lifecycle endorsement policy (a majority of the 2 orgs) and flags it ENDORSEMENT_POLICY_FAILURE",
					tx.ID, c.name)
			}
		})
	}
}

// TestAtk6ExperimentalApplicationCapabilities: checkValues' list of
// application capabilities leaves out two a peer supports
// (capabilities ApplicationProvider.HasCapability: V1_1_PVTDATA_EXPERIMENTAL
// and V1_1_RESOURCETREE_EXPERIMENTAL return true), so a channel whose
// config carries one, which every peer loads and runs, cannot be followed:
// the verifier refuses its genesis block (and any update to it).
func TestAtk6ExperimentalApplicationCapabilities(t *testing.T) {
	for _, name := range []string{"V1_1_PVTDATA_EXPERIMENTAL", "V1_1_RESOURCETREE_EXPERIMENTAL"} {
		t.Run(name, func(t *testing.T) {
			n, err := fabrictest.NewNetwork(fabrictest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			block := genesisBlockOf(t, n, func(cfg *cb.Config) {
				cfg.ChannelGroup.Groups["Application"].Values = map[string]*cb.ConfigValue{"Capabilities": {ModPolicy: "Admins",
					Value: mustProto(t, &cb.Capabilities{Capabilities: map[string]*cb.Capability{"V2_0": {}, name: {}}})}}
			})
			if _, err := fabric.ParseConfigBlock(block); err != nil {
				t.Errorf("the verifier refuses a genesis block with application capability %s, which peers support: %v", name, err)
			}
		})
	}
}
