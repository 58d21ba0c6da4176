package fabric_test

import (
	"encoding/json"
	"errors"
	"testing"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/proofs/fabric"
)

// realUpdates are the config updates captured from a Fabric 2.5 network
// (testdata/raft-update, see SOURCES.md): the channel's genesis config, then
// Org1's admin adding an anchor peer, then both orgs' admins adding an
// Application policy; and that second config block as the orderer's key
// forged it with Org1's admin's signature alone, which the orderer itself
// refused.
type realUpdates struct {
	genesis, anchorPeers, policy, forged []byte
	tc0                                  *fabric.TrustedConfig
}

func loadRealUpdates(tb testing.TB) *realUpdates {
	tb.Helper()
	r := &realUpdates{
		genesis:     readVector(tb, "raft-update/config.block"),
		anchorPeers: readVector(tb, "raft-update/update-anchor-peers.block"),
		policy:      readVector(tb, "raft-update/update-policy.block"),
		forged:      readVector(tb, "raft-update/forged-org1-only.block"),
	}
	var err error
	if r.tc0, err = fabric.ParseConfigBlock(r.genesis); err != nil {
		tb.Fatal(err)
	}
	return r
}

// TestRealConfigUpdates verifies the captured config blocks in order, and
// refuses the forged one, a skipped update and a replayed one.
func TestRealConfigUpdates(t *testing.T) {
	r := loadRealUpdates(t)
	first := mustVerifyBlock(t, r.tc0, nil, r.anchorPeers)
	if first.Config == nil || first.Config.Sequence() != 1 {
		t.Fatalf("block %d installs %v", first.Number, first.Config)
	}
	second := mustVerifyBlock(t, first.Config, nil, r.policy)
	if second.Config == nil || second.Config.Sequence() != 2 || second.Number <= first.Number {
		t.Fatalf("block %d installs %v", second.Number, second.Config)
	}

	_, err := fabric.VerifyBlock(first.Config, nil, r.forged)
	wantElement(t, err, fabric.ErrModPolicy, "group /Channel/Application", "/Channel/Application/Admins")
	_, err = fabric.VerifyBlock(r.tc0, nil, r.policy) // the anchor-peer update skipped
	wantErr(t, err, fabric.ErrConfigUpdate)
	_, err = fabric.VerifyBlock(second.Config, nil, r.policy) // replayed
	wantErr(t, err, fabric.ErrStaleConfig)

	// From a trusted config restored from JSON, the config block is needed.
	enc, err := json.Marshal(r.tc0)
	if err != nil {
		t.Fatal(err)
	}
	var back fabric.TrustedConfig
	if err := json.Unmarshal(enc, &back); err != nil {
		t.Fatal(err)
	}
	_, err = fabric.VerifyBlock(&back, nil, r.anchorPeers)
	wantErr(t, err, fabric.ErrBadConfig)
	full, err := back.WithConfigBlock(r.genesis)
	if err != nil {
		t.Fatal(err)
	}
	mustVerifyBlock(t, full, nil, r.anchorPeers)
}

// TestRealConfigUpdateCorrupt corrupts one field of the captured anchor
// peer update and checks it with the config update check alone (the block
// around it could not be signed again without the orderer's key).
func TestRealConfigUpdateCorrupt(t *testing.T) {
	r := loadRealUpdates(t)
	data := payloadData(t, envelopeOf(t, r.anchorPeers, 0))
	if err := fabric.ValidateConfigUpdate(r.tc0, data); err != nil {
		t.Fatal(err)
	}
	const anchorPeers = "value /Channel/Application/Org1MSP/AnchorPeers"
	// editUpdate changes the ConfigUpdate (which the admin signed: its
	// signature no longer verifies, but the checks before signatures run
	// first).
	editUpdate := func(f func(u *cb.ConfigUpdate)) func(ce *cb.ConfigEnvelope) {
		return func(ce *cb.ConfigEnvelope) {
			var pl cb.Payload
			var cue cb.ConfigUpdateEnvelope
			var u cb.ConfigUpdate
			if proto.Unmarshal(ce.LastUpdate.Payload, &pl) != nil || proto.Unmarshal(pl.Data, &cue) != nil || proto.Unmarshal(cue.ConfigUpdate, &u) != nil {
				t.Fatal("the captured update does not decode")
			}
			f(&u)
			cue.ConfigUpdate = mustMarshalProto(t, &u)
			pl.Data = mustMarshalProto(t, &cue)
			ce.LastUpdate.Payload = mustMarshalProto(t, &pl)
		}
	}
	editSigs := func(f func(cue *cb.ConfigUpdateEnvelope)) func(ce *cb.ConfigEnvelope) {
		return func(ce *cb.ConfigEnvelope) {
			var pl cb.Payload
			var cue cb.ConfigUpdateEnvelope
			if proto.Unmarshal(ce.LastUpdate.Payload, &pl) != nil || proto.Unmarshal(pl.Data, &cue) != nil {
				t.Fatal("the captured update does not decode")
			}
			f(&cue)
			pl.Data = mustMarshalProto(t, &cue)
			ce.LastUpdate.Payload = mustMarshalProto(t, &pl)
		}
	}
	org := func(g *cb.ConfigGroup, msp string) *cb.ConfigGroup { return g.Groups["Application"].Groups[msp] }
	cases := []struct {
		name     string
		edit     func(ce *cb.ConfigEnvelope)
		sentinel error
		element  string
	}{
		{"read-set version", editUpdate(func(u *cb.ConfigUpdate) { org(u.ReadSet, "Org1MSP").Version = 3 }), fabric.ErrConfigReadSet, "group /Channel/Application/Org1MSP"},
		{"write-set version +2", editUpdate(func(u *cb.ConfigUpdate) { org(u.WriteSet, "Org1MSP").Values["AnchorPeers"].Version = 2 }), fabric.ErrConfigWriteSet, anchorPeers},
		{"signature dropped", editSigs(func(cue *cb.ConfigUpdateEnvelope) { cue.Signatures = nil }), fabric.ErrModPolicy, anchorPeers},
		{"signature altered", editSigs(func(cue *cb.ConfigUpdateEnvelope) {
			s := cue.Signatures[0].Signature
			s[len(s)-2] ^= 1
		}), fabric.ErrModPolicy, anchorPeers},
		{"another org's MSP changed too", func(ce *cb.ConfigEnvelope) {
			v := org(ce.Config.ChannelGroup, "Org2MSP").Values["MSP"]
			v.Value = org(ce.Config.ChannelGroup, "Org1MSP").Values["MSP"].Value
		}, fabric.ErrConfigResult, "value /Channel/Application/Org2MSP/MSP"},
		{"orderer endpoints changed too", func(ce *cb.ConfigEnvelope) {
			v := ce.Config.ChannelGroup.Groups["Orderer"].Groups["OrdererMSP"].Values["Endpoints"]
			v.Value = append(v.Value, 0x0a, 0x01, 'x')
		}, fabric.ErrConfigResult, "value /Channel/Orderer/OrdererMSP/Endpoints"},
		{"sequence", func(ce *cb.ConfigEnvelope) { ce.Config.Sequence = 2 }, fabric.ErrConfigUpdate, ""},
		{"no last update", func(ce *cb.ConfigEnvelope) { ce.LastUpdate = nil }, fabric.ErrConfigUpdate, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ce cb.ConfigEnvelope
			if err := proto.Unmarshal(data, &ce); err != nil {
				t.Fatal(err)
			}
			c.edit(&ce)
			err := fabric.ValidateConfigUpdate(r.tc0, mustMarshalProto(t, &ce))
			if !errors.Is(err, c.sentinel) {
				t.Fatalf("got %v, want %v", err, c.sentinel)
			}
			var cee *fabric.ConfigElementError
			if c.element != "" && (!errors.As(err, &cee) || cee.Element != c.element) {
				t.Fatalf("got %v, want an error about %s", err, c.element)
			}
		})
	}
}
