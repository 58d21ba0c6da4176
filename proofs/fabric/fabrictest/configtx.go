package fabrictest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

// ConfigUpdate is a channel config update in the making: the ConfigUpdate
// from a current config to a desired one, with read and write sets as
// configtxlator's compute_update makes them, and Next, the config a peer
// gets by applying it (the current config with the changed elements at
// their version plus one and the sequence plus one). Tests edit either
// before ConfigTx signs and wraps them, to make an update that does not
// match its config.
type ConfigUpdate struct {
	Update *cb.ConfigUpdate
	Next   *cb.Config
}

// ComputeUpdate returns the update of channel from current to desired.
// The versions in desired are ignored: an element that differs from
// current (another mod_policy, value or policy) gets current's version
// plus one, a new one version 0, and a group whose set of members or
// mod_policy changes its version plus one. It fails when nothing changes.
func ComputeUpdate(channel string, current, desired *cb.Config) (*ConfigUpdate, error) {
	if current.GetChannelGroup() == nil || desired.GetChannelGroup() == nil {
		return nil, errors.New("fabrictest: a config without a channel group")
	}
	read, write, next, changed := diffGroup(current.ChannelGroup, desired.ChannelGroup)
	if !changed {
		return nil, errors.New("fabrictest: the desired config is the current one")
	}
	return &ConfigUpdate{
		Update: &cb.ConfigUpdate{ChannelId: channel, ReadSet: read, WriteSet: write},
		Next:   &cb.Config{Sequence: current.Sequence + 1, ChannelGroup: next},
	}, nil
}

func newGroup() *cb.ConfigGroup {
	return &cb.ConfigGroup{Groups: map[string]*cb.ConfigGroup{}, Values: map[string]*cb.ConfigValue{}, Policies: map[string]*cb.ConfigPolicy{}}
}

// diffGroup compares a group of the current config with the desired one
// and returns its part of the read set, of the write set, the group after
// the update, and whether anything in it changed.
func diffGroup(cur, want *cb.ConfigGroup) (read, write, next *cb.ConfigGroup, changed bool) {
	read, write, next, same := newGroup(), newGroup(), newGroup(), newGroup()
	read.Version, write.Version, write.ModPolicy = cur.Version, cur.Version, cur.ModPolicy
	next.Version, next.ModPolicy = cur.Version, want.ModPolicy
	members := false // an element was added or removed

	for k, w := range want.Values {
		c, ok := cur.Values[k]
		switch {
		case !ok:
			members = true
			write.Values[k] = &cb.ConfigValue{ModPolicy: w.ModPolicy, Value: w.Value}
			next.Values[k] = proto.Clone(write.Values[k]).(*cb.ConfigValue)
		case c.ModPolicy == w.ModPolicy && bytes.Equal(c.Value, w.Value):
			same.Values[k] = &cb.ConfigValue{Version: c.Version}
			next.Values[k] = proto.Clone(c).(*cb.ConfigValue)
		default:
			changed = true
			write.Values[k] = &cb.ConfigValue{Version: c.Version + 1, ModPolicy: w.ModPolicy, Value: w.Value}
			next.Values[k] = proto.Clone(write.Values[k]).(*cb.ConfigValue)
		}
	}
	for k, w := range want.Policies {
		c, ok := cur.Policies[k]
		switch {
		case !ok:
			members = true
			write.Policies[k] = &cb.ConfigPolicy{ModPolicy: w.ModPolicy, Policy: w.Policy}
			next.Policies[k] = proto.Clone(write.Policies[k]).(*cb.ConfigPolicy)
		case c.ModPolicy == w.ModPolicy && proto.Equal(c.Policy, w.Policy):
			same.Policies[k] = &cb.ConfigPolicy{Version: c.Version}
			next.Policies[k] = proto.Clone(c).(*cb.ConfigPolicy)
		default:
			changed = true
			write.Policies[k] = &cb.ConfigPolicy{Version: c.Version + 1, ModPolicy: w.ModPolicy, Policy: w.Policy}
			next.Policies[k] = proto.Clone(write.Policies[k]).(*cb.ConfigPolicy)
		}
	}
	for k, w := range want.Groups {
		c, ok := cur.Groups[k]
		if !ok {
			members = true
			g := zeroVersions(w)
			write.Groups[k] = g
			next.Groups[k] = proto.Clone(g).(*cb.ConfigGroup)
			continue
		}
		r, wr, nx, ch := diffGroup(c, w)
		next.Groups[k] = nx
		if ch {
			changed = true
			read.Groups[k], write.Groups[k] = r, wr
		} else {
			same.Groups[k] = &cb.ConfigGroup{Version: c.Version}
		}
	}
	for k := range cur.Values {
		if _, ok := want.Values[k]; !ok {
			members = true
		}
	}
	for k := range cur.Policies {
		if _, ok := want.Policies[k]; !ok {
			members = true
		}
	}
	for k := range cur.Groups {
		if _, ok := want.Groups[k]; !ok {
			members = true
		}
	}
	if members || cur.ModPolicy != want.ModPolicy {
		// The group itself changes: the write set lists every member, the
		// unchanged ones at their current version (in the read set too).
		changed = true
		write.Version, write.ModPolicy, next.Version = cur.Version+1, want.ModPolicy, cur.Version+1
		for k, v := range same.Values {
			read.Values[k], write.Values[k] = v, proto.Clone(v).(*cb.ConfigValue)
		}
		for k, p := range same.Policies {
			read.Policies[k], write.Policies[k] = p, proto.Clone(p).(*cb.ConfigPolicy)
		}
		for k, g := range same.Groups {
			read.Groups[k], write.Groups[k] = g, proto.Clone(g).(*cb.ConfigGroup)
		}
	}
	return read, write, next, changed
}

// zeroVersions returns a copy of g with every version 0, as a new group
// enters a config.
func zeroVersions(g *cb.ConfigGroup) *cb.ConfigGroup {
	out := newGroup()
	out.ModPolicy = g.ModPolicy
	for k, v := range g.Values {
		out.Values[k] = &cb.ConfigValue{ModPolicy: v.ModPolicy, Value: v.Value}
	}
	for k, p := range g.Policies {
		out.Policies[k] = &cb.ConfigPolicy{ModPolicy: p.ModPolicy, Policy: p.Policy}
	}
	for k, c := range g.Groups {
		out.Groups[k] = zeroVersions(c)
	}
	return out
}

// SignConfigUpdate returns each signer's ConfigSignature over a marshalled
// ConfigUpdate: the signature over signature_header ‖ config_update, as
// `peer channel signconfigtx` makes it.
func SignConfigUpdate(update []byte, signers ...*Identity) []*cb.ConfigSignature {
	var sigs []*cb.ConfigSignature
	for _, id := range signers {
		shdr := mustMarshal(&cb.SignatureHeader{Creator: id.Serialized(), Nonce: nonce()})
		sigs = append(sigs, &cb.ConfigSignature{SignatureHeader: shdr, Signature: id.Sign(shdr, update)})
	}
	return sigs
}

// UpdateEnvelope returns the CONFIG_UPDATE envelope a client sends to the
// orderer: the update with each signer's ConfigSignature, in an envelope
// that the first signer created and signed (unsigned with no signers).
func UpdateEnvelope(update *cb.ConfigUpdate, signers ...*Identity) ([]byte, error) {
	raw, err := proto.Marshal(update)
	if err != nil {
		return nil, err
	}
	cue := mustMarshal(&cb.ConfigUpdateEnvelope{ConfigUpdate: raw, Signatures: SignConfigUpdate(raw, signers...)})
	if len(signers) == 0 {
		return envelope(cb.HeaderType_CONFIG_UPDATE, update.ChannelId, "", nil, nonce(), cue, nil), nil
	}
	return envelope(cb.HeaderType_CONFIG_UPDATE, update.ChannelId, "", signers[0].Serialized(), nonce(), cue, signers[0]), nil
}

// ConfigTx returns the CONFIG envelope an orderer puts in a config block:
// a ConfigEnvelope with u.Next as the config and, as its last update,
// UpdateEnvelope(u.Update, signers...); the envelope is signed by orderer
// (unsigned if nil).
func (n *Network) ConfigTx(u *ConfigUpdate, signers []*Identity, orderer *Identity) ([]byte, error) {
	last, err := UpdateEnvelope(u.Update, signers...)
	if err != nil {
		return nil, err
	}
	var le cb.Envelope
	if err := proto.Unmarshal(last, &le); err != nil {
		return nil, err
	}
	data, err := proto.Marshal(&cb.ConfigEnvelope{Config: u.Next, LastUpdate: &le})
	if err != nil {
		return nil, err
	}
	var creator []byte
	if orderer != nil {
		creator = orderer.Serialized()
	}
	return envelope(cb.HeaderType_CONFIG, n.Channel, "", creator, nonce(), data, orderer), nil
}

// UpdateTx returns the CONFIG envelope that moves the channel from Current
// to the config its fields describe now (Config), with the update signed
// by signers (nil: every org's admin, see Admins) and the envelope by the
// first orderer, and makes that config Current. Put it in a block with
// Block and LastConfig set to the block's own number.
func (n *Network) UpdateTx(signers []*Identity) ([]byte, error) {
	if n.Current == nil {
		return nil, errors.New("fabrictest: no current config (make the genesis block first)")
	}
	if signers == nil {
		signers = n.Admins()
	}
	u, err := ComputeUpdate(n.Channel, n.Current, n.Config())
	if err != nil {
		return nil, err
	}
	env, err := n.ConfigTx(u, signers, n.OrdererOrg.Orderers[0])
	if err != nil {
		return nil, err
	}
	n.Current, n.Sequence = u.Next, u.Next.Sequence
	return env, nil
}

// LoadIdentity makes a signing identity of mspID from a PEM certificate and
// a PEM (PKCS #8 or SEC 1) ECDSA private key, such as cryptogen writes to
// signcerts/ and keystore/.
func LoadIdentity(mspID string, certPEM, keyPEM []byte) (*Identity, error) {
	certBlock, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	if certBlock == nil || kb == nil {
		return nil, errors.New("fabrictest: certificate or key is not PEM")
	}
	cert, err := x509.ParseCertificate(certBlock.Bytes)
	if err != nil {
		return nil, err
	}
	var key *ecdsa.PrivateKey
	if k, err := x509.ParsePKCS8PrivateKey(kb.Bytes); err == nil {
		var ok bool
		if key, ok = k.(*ecdsa.PrivateKey); !ok {
			return nil, fmt.Errorf("fabrictest: key is %T, want ECDSA", k)
		}
	} else if key, err = x509.ParseECPrivateKey(kb.Bytes); err != nil {
		return nil, fmt.Errorf("fabrictest: key: %v", err)
	}
	return &Identity{MSPID: mspID, Cert: cert, Key: key}, nil
}
