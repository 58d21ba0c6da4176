package fabric

import (
	"google.golang.org/protobuf/encoding/protowire"
	"time"
	"unicode/utf8"

	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/internal/boundedcache"
	"github.com/liaison-gw/liaison/internal/strictjson"
)

// configFormat is the version of TrustedConfig's JSON form.
// Format 2 added msp_version.
const configFormat = 2

// Consensus types of orderer.ConsensusType.type that change how blocks are
// signed. Every other type (etcdraft, solo, kafka) signs with a
// SignatureHeader.
const consensusBFT = "BFT"

// Config group, value and policy keys of a channel config.
const (
	groupOrderer          = "Orderer"
	groupApplication      = "Application"
	valueMSP              = "MSP"
	valueConsensusType    = "ConsensusType"
	valueOrderers         = "Orderers"
	valueHashing          = "HashingAlgorithm"
	valueDataHashing      = "BlockDataHashingStructure"
	valueCapabilities     = "Capabilities"
	valueOrdererAddresses = "OrdererAddresses"
	valueEndpoints        = "Endpoints"
	policyBlockValid      = "BlockValidation"
	policyEndorsement     = "Endorsement"
)

// TrustedConfig is the trust anchor of a Fabric channel: what this package
// needs from one channel config block to verify the blocks cut under it.
// ParseConfigBlock makes one from a config block the caller trusts by other
// means (fetched from its own peer, pinned by hash); VerifyBlock on a config block makes the
// next one from a config block it verified. A TrustedConfig never changes
// after it is made and is safe for concurrent use.
//
// It remembers the identities (certificates) that validated under it, by
// certificate and MSP and by the serialized identity that named them, at
// most a few thousand, so that a signer seen before costs one signature
// check and no certificate chain. Validation depends on nothing but the
// config and the certificate (chains are checked at the certificate's own
// NotBefore), so the cache changes no result; failures are not cached.
// Keep one TrustedConfig per channel config and reuse it: a new one,
// parsed again from the same block or JSON, starts with empty caches.
//
// Its JSON form (MarshalJSON) is the relayer's Anchor.State. It holds the
// extracted essentials rather than the config block: the MSPs (root and
// intermediate CAs, admin certificates, CRLs, OU and NodeOU settings, hash
// family), the orderer and application organizations, the BFT consenters,
// the BlockValidation policy and each application org's Endorsement policy
// in policy-language form, and the channel ID, config sequence, block number
// and block hash. That is a fifth to a quarter of the config block's size
// (4.2 KB for the 20 KB Raft genesis block of testdata, 7.7 KB for the 33 KB
// BFT one: most of a config block is repeated NodeOU CA certificates, TLS
// CAs, endpoints and policies the verifier never reads), it states exactly
// what is trusted, and it does not change when Fabric adds config fields.
// The block hash lets anyone re-derive the state from the block itself and
// compare. Storing the block itself would be as easy to audit that way,
// but four to five times larger in every stored anchor and evidence bundle.
type TrustedConfig struct {
	st          configState
	msps        map[string]*mspVerifier
	ordererMSPs map[string]bool
	// endorsement holds the Endorsement sub-policy of every application
	// org, in the order of their group names, for the implicit rules of
	// EndorsementPolicy; nil when the config has no Application group.
	endorsement []child
	consenters  map[uint32]*consenter
	blockPolicy *policy

	// full is the channel config it was read from, which a config update
	// is checked against (configtx.go); nil after UnmarshalJSON.
	full *cb.Config
	// sids caches the identities that validated under this config, keyed
	// by the whole msp.SerializedIdentity that named them, so that a
	// signer seen before costs no decoding.
	sids *boundedcache.Bytes[*identity]
}

// maxCachedSIDs bounds TrustedConfig.sids (two generations of this many).
const maxCachedSIDs = 1024

// consenter is a BFT consenter with its identity validated once, at build.
type consenter struct {
	st  consenterState
	id  *identity
	err error // why id is nil: the identity does not validate
}

// configState is the JSON form of a TrustedConfig.
type configState struct {
	Format    int      `json:"format"`
	Channel   string   `json:"channel"`
	Number    uint64   `json:"number"`
	Hash      hexBytes `json:"hash"`
	Sequence  uint64   `json:"sequence"`
	Consensus string   `json:"consensus"`
	// MSPVersion is the MSP behaviour the channel capability selects
	// (see mspVersions).
	MSPVersion  string     `json:"msp_version"`
	MSPs        []mspState `json:"msps"`
	Unsupported []string   `json:"unsupported_msps,omitempty"`
	OrdererOrgs []orgState `json:"orderer_orgs"`
	AppOrgs     []orgState `json:"application_orgs"`
	// EmptyApplication marks an Application group with no organization
	// (AppOrgs empty), as opposed to a config with no Application group.
	EmptyApplication bool             `json:"empty_application,omitempty"`
	Consenters       []consenterState `json:"consenters,omitempty"`
	BlockPolicy      policyState      `json:"block_validation"`
}

// orgState is one organization group. Its Endorsement policy (application
// orgs only) is a signature policy (Endorsement), an implicit-meta policy
// (EndorsementMeta, "ANY Endorsement": satisfied by anything, see
// childVacuous), or missing (neither: never satisfied). An Idemix org
// names its MSP, which is one of the unsupported ones, and its policy is
// not kept: it is never satisfied here.
type orgState struct {
	Name            string `json:"name"`
	MSP             string `json:"msp"`
	Endorsement     string `json:"endorsement,omitempty"`
	EndorsementMeta string `json:"endorsement_meta,omitempty"`
	Idemix          bool   `json:"idemix,omitempty"`
}

type consenterState struct {
	ID   uint32 `json:"id"`
	MSP  string `json:"msp"`
	Cert []byte `json:"cert"`
}

// policyState is a policy in text form: a signature policy (Expr), or an
// implicit-meta policy ("ANY Writers") with the sub-policy of each child
// group ("" where the group lacks it).
type policyState struct {
	Expr string            `json:"expr,omitempty"`
	Meta string            `json:"meta,omitempty"`
	Subs map[string]string `json:"subs,omitempty"`
}

// Consenter is one BFT consenter of the channel (Orderer/Values["Orderers"]).
type Consenter struct {
	ID    uint32
	MSPID string
	Cert  *x509.Certificate
}

// maxBlockBytes bounds the blocks this package decodes. Fabric's default
// AbsoluteMaxBytes is 10 MB and its gRPC limit 100 MB.
const maxBlockBytes = 128 << 20

// ParseConfigBlock extracts a TrustedConfig from a marshalled common.Block
// that holds one CONFIG transaction (a channel genesis block, or a later
// config block). It checks that the block's data hash matches its envelope,
// but it cannot check who made the block: the caller trusts it by other
// means. Errors wrap ErrBadConfig. Supported: X.509 MSPs with ECDSA keys
// (Idemix MSPs are listed as unsupported, their identities rejected and
// their organizations never satisfied), signature policies over ROLE and
// IDENTITY principals, implicit-meta policies over signature policies,
// SHA-256 block hashing. A config Fabric itself refuses (two different
// definitions of one MSP ID, a policy type other than signature and
// implicit-meta) is refused.
func ParseConfigBlock(block []byte) (*TrustedConfig, error) {
	if len(block) > maxBlockBytes {
		return nil, fmt.Errorf("%w: block of %d bytes", ErrBadConfig, len(block))
	}
	var b cb.Block
	if err := proto.Unmarshal(block, &b); err != nil {
		return nil, fmt.Errorf("%w: block: %v", ErrBadConfig, err)
	}
	if b.Header == nil || b.Data == nil || len(b.Data.Data) != 1 {
		return nil, fmt.Errorf("%w: a config block has a header and exactly one envelope", ErrBadConfig)
	}
	if sum := sha256.Sum256(b.Data.Data[0]); !bytes.Equal(sum[:], b.Header.DataHash) {
		return nil, fmt.Errorf("%w: %v", ErrBadConfig, ErrDataHash)
	}
	hash, err := headerBytes(b.Header.Number, b.Header.PreviousHash, b.Header.DataHash)
	if err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrBadConfig, err)
	}
	sum := sha256.Sum256(hash)
	var env cb.Envelope
	if err := proto.Unmarshal(b.Data.Data[0], &env); err != nil {
		return nil, fmt.Errorf("%w: envelope: %v", ErrBadConfig, err)
	}
	var pl cb.Payload
	if err := proto.Unmarshal(env.Payload, &pl); err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrBadConfig, err)
	}
	var ch cb.ChannelHeader
	if err := proto.Unmarshal(pl.GetHeader().GetChannelHeader(), &ch); err != nil {
		return nil, fmt.Errorf("%w: channel header: %v", ErrBadConfig, err)
	}
	if ch.Type != int32(cb.HeaderType_CONFIG) {
		return nil, fmt.Errorf("%w: the transaction is of type %d, not CONFIG", ErrBadConfig, ch.Type)
	}
	return configFromEnvelope(pl.Data, ch.ChannelId, b.Header.Number, sum[:])
}

// configFromEnvelope builds a TrustedConfig from a marshalled
// common.ConfigEnvelope.
func configFromEnvelope(data []byte, channel string, number uint64, hash []byte) (*TrustedConfig, error) {
	var ce cb.ConfigEnvelope
	if err := proto.Unmarshal(data, &ce); err != nil {
		return nil, fmt.Errorf("%w: config envelope: %v", ErrBadConfig, err)
	}
	st, err := extractState(ce.GetConfig())
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadConfig, err)
	}
	st.Channel, st.Number, st.Hash = channel, number, hash
	tc, err := build(st)
	if err != nil {
		return nil, err
	}
	tc.full = ce.Config
	return tc, nil
}

// extractState reads the parts of a channel config the verifier uses.
func extractState(cfg *cb.Config) (configState, error) {
	st := configState{Format: configFormat, Sequence: cfg.GetSequence()}
	root := cfg.GetChannelGroup()
	if root == nil {
		return st, errors.New("config has no channel group")
	}
	if v := root.Values[valueHashing]; v != nil {
		var h cb.HashingAlgorithm
		if err := proto.Unmarshal(v.Value, &h); err != nil || h.Name != "SHA256" {
			return st, fmt.Errorf("hashing algorithm %q is not supported", h.Name)
		}
	}
	if v := root.Values[valueDataHashing]; v != nil {
		var h cb.BlockDataHashingStructure
		if err := proto.Unmarshal(v.Value, &h); err != nil || h.Width != math.MaxUint32 {
			return st, fmt.Errorf("block data hashing width %d is not supported", h.Width)
		}
	}
	if err := checkLoads(root); err != nil {
		return st, err
	}
	if err := checkValues(root); err != nil {
		return st, err
	}
	caps, err := channelCapabilities(root.Values[valueCapabilities])
	if err != nil {
		return st, err
	}
	st.MSPVersion = caps.msp
	version := mspVersions[caps.msp]
	ord := root.Groups[groupOrderer]
	if ord == nil {
		return st, errors.New("config has no Orderer group")
	}
	ct := ord.Values[valueConsensusType]
	if ct == nil {
		return st, errors.New("Orderer group has no ConsensusType")
	}
	if st.Consensus, err = decodeConsensusType(ct.Value); err != nil {
		return st, err
	}
	if err := checkOrdererEndpoints(root, ord, caps, st.Consensus); err != nil {
		return st, err
	}
	defs := map[string]*mspState{} // X.509 MSPs by ID; nil for Idemix
	addOrgs := func(g *cb.ConfigGroup, app bool) ([]orgState, error) {
		var orgs []orgState
		for _, name := range sortedKeys(g.GetGroups()) {
			og := g.Groups[name]
			if len(og.GetGroups()) > 0 {
				// channelconfig: org config does not allow sub-groups.
				return nil, fmt.Errorf("org %s has sub-groups, which an organization cannot have", name)
			}
			mv := og.Values[valueMSP]
			if mv == nil {
				return nil, fmt.Errorf("org %s has no MSP", name)
			}
			ms, extras, ok, err := mspStateFromProto(mv.Value, version)
			if err != nil {
				return nil, fmt.Errorf("org %s: %v", name, err)
			}
			if ok {
				m, err := newMSPVerifier(&ms, version)
				if err == nil {
					err = m.checkSetup(extras)
				}
				if err != nil {
					return nil, fmt.Errorf("org %s: %v", name, err)
				}
			}
			o := orgState{Name: name, MSP: ms.ID, Idemix: !ok}
			prev, seen := defs[ms.ID]
			switch {
			case !seen && ok:
				defs[ms.ID] = &ms
				st.MSPs = append(st.MSPs, ms)
			case !seen:
				defs[ms.ID] = nil
				st.Unsupported = append(st.Unsupported, ms.ID)
			case (prev == nil) != o.Idemix || !o.Idemix && !reflect.DeepEqual(*prev, ms):
				// Fabric: "Attempted to define two different versions of MSP".
				return nil, fmt.Errorf("org %s defines MSP %s differently from an org before it", name, ms.ID)
			}
			if app {
				if err := o.readEndorsement(og.Policies[policyEndorsement]); err != nil {
					return nil, fmt.Errorf("org %s Endorsement policy: %v", name, err)
				}
			}
			orgs = append(orgs, o)
		}
		return orgs, nil
	}
	if st.OrdererOrgs, err = addOrgs(ord, false); err != nil {
		return st, err
	}
	if app := root.Groups[groupApplication]; app != nil {
		if st.AppOrgs, err = addOrgs(app, true); err != nil {
			return st, err
		}
		st.EmptyApplication = len(st.AppOrgs) == 0
	}
	if st.BlockPolicy, err = policyFromGroup(ord, policyBlockValid); err != nil {
		return st, fmt.Errorf("BlockValidation policy: %v", err)
	}
	if ov := ord.Values[valueOrderers]; ov != nil {
		var os cb.Orderers
		if err := proto.Unmarshal(ov.Value, &os); err != nil {
			return st, fmt.Errorf("Orderers: %v", err)
		}
		for _, c := range os.ConsenterMapping {
			der, err := pemBlock(c.Identity, "")
			if err != nil {
				return st, fmt.Errorf("consenter %d identity: %v", c.Id, err)
			}
			st.Consenters = append(st.Consenters, consenterState{ID: c.Id, MSP: c.MspId, Cert: der})
		}
	}
	slices.SortFunc(st.MSPs, func(a, b mspState) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(st.Consenters, func(a, b consenterState) int { return int(a.ID) - int(b.ID) })
	return st, nil
}

// knownValues are the value keys channelconfig reads in each kind of
// group of an application channel; any other key fails to load ("Unexpected
// key").
var knownValues = map[string][]string{
	"channel":     {"HashingAlgorithm", "BlockDataHashingStructure", "OrdererAddresses", "Consortium", "Capabilities"},
	"orderer":     {"ConsensusType", "BatchSize", "BatchTimeout", "ChannelRestrictions", "Capabilities", "KafkaBrokers", "Orderers"},
	"ordererOrg":  {"MSP", "Endpoints"},
	"application": {"ACLs", "Capabilities"},
	"appOrg":      {"MSP", "AnchorPeers"},
}

// checkLoads applies the structural rules a peer's channelconfig applies
// when it loads a config: the groups an application channel has (no
// Consortiums, nothing else at the root), the value keys of each group,
// and policies that compile (signature or implicit-meta, each signed_by
// naming one of its identities, a known implicit-meta rule).
func checkLoads(root *cb.ConfigGroup) error {
	values := func(where, kind string, g *cb.ConfigGroup) error {
		for _, k := range sortedKeys(g.GetValues()) {
			if !slices.Contains(knownValues[kind], k) {
				return fmt.Errorf("%s has a value %q that a peer does not know", where, k)
			}
		}
		return nil
	}
	var walk func(path string, g *cb.ConfigGroup) error
	walk = func(path string, g *cb.ConfigGroup) error {
		for _, name := range sortedKeys(g.GetPolicies()) {
			if err := compiles(g.Policies[name].GetPolicy()); err != nil {
				return fmt.Errorf("policy %s/%s does not compile: %v", path, name, err)
			}
		}
		for _, name := range sortedKeys(g.GetGroups()) {
			if err := walk(path+"/"+name, g.Groups[name]); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk("/"+channelGroup, root); err != nil {
		return err
	}
	if err := values("the channel group", "channel", root); err != nil {
		return err
	}
	for _, name := range sortedKeys(root.GetGroups()) {
		g := root.Groups[name]
		kind, orgKind := "", ""
		switch name {
		case groupOrderer:
			kind, orgKind = "orderer", "ordererOrg"
		case groupApplication:
			kind, orgKind = "application", "appOrg"
		default:
			return fmt.Errorf("the channel group has a group %q, which an application channel cannot have", name)
		}
		if err := values("group "+name, kind, g); err != nil {
			return err
		}
		for _, org := range sortedKeys(g.GetGroups()) {
			if err := values("org "+org, orgKind, g.Groups[org]); err != nil {
				return err
			}
		}
	}
	return nil
}

// knownCapabilities are the capabilities a peer knows per group (it halts
// on another).
var knownCapabilities = map[string][]string{
	groupOrderer:     {"V1_1", "V1_4_2", "V2_0"},
	groupApplication: {"V1_1", "V1_2", "V1_3", "V1_4_2", "V2_0", "V2_5", "V1_1_PVTDATA_EXPERIMENTAL", "V1_1_RESOURCETREE_EXPERIMENTAL"},
}

// checkValues decodes the values channelconfig decodes and applies its
// validation, a missing value reading as an empty one: the hashing values,
// the orderer's batch size and timeout, capabilities, anchor peers,
// orderer endpoints, ACLs and channel restrictions.
func checkValues(root *cb.ConfigGroup) error {
	for _, k := range []string{valueHashing, valueDataHashing} {
		if root.GetValues()[k] == nil {
			return fmt.Errorf("the channel group has no %s", k)
		}
	}
	decode := func(where string, v *cb.ConfigValue, m proto.Message) error {
		if err := proto.Unmarshal(v.GetValue(), m); err != nil {
			return fmt.Errorf("%s does not decode: %v", where, err)
		}
		return nil
	}
	check := func(where string, v *cb.ConfigValue, schema pbSchema) error {
		if err := checkMsg(where, v.GetValue(), schema); err != nil {
			return fmt.Errorf("%s does not decode: %v", where, err)
		}
		return nil
	}
	if ord := root.GetGroups()[groupOrderer]; ord != nil {
		// orderer.BatchSize: max_message_count (1), absolute_max_bytes (2),
		// preferred_max_bytes (3), all uint32.
		bs, err := varints("BatchSize", ord.Values["BatchSize"].GetValue(), 3)
		if err != nil {
			return err
		}
		if bs[1] == 0 || bs[2] == 0 || bs[3] == 0 || bs[3] > bs[2] {
			return fmt.Errorf("BatchSize (max messages %d, absolute max bytes %d, preferred max bytes %d) is one a peer refuses", bs[1], bs[2], bs[3])
		}
		// orderer.BatchTimeout: timeout (1), a duration string.
		timeout := ""
		err = walkFields("BatchTimeout", ord.Values["BatchTimeout"].GetValue(), func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
			if num == 1 && typ == protowire.BytesType {
				if !utf8.Valid(val) {
					return errors.New("BatchTimeout: timeout is not UTF-8")
				}
				timeout = string(val)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if d, err := time.ParseDuration(timeout); err != nil || d <= 0 {
			return fmt.Errorf("BatchTimeout %q is not a positive duration", timeout)
		}
		if v := ord.Values["ChannelRestrictions"]; v != nil {
			if err := check("ChannelRestrictions", v, pbSchema{}); err != nil {
				return err
			}
		}
		for _, name := range sortedKeys(ord.GetGroups()) {
			if v := ord.Groups[name].GetValues()[valueEndpoints]; v != nil {
				if err := decode("orderer org "+name+" Endpoints", v, &cb.OrdererAddresses{}); err != nil {
					return err
				}
			}
		}
	}
	if app := root.GetGroups()[groupApplication]; app != nil {
		// peer.ACLs: map<string, APIResource{policy_ref string}> acls = 1.
		acls := pbSchema{1: {kind: pbMessage, sub: pbSchema{1: {kind: pbString}, 2: {kind: pbMessage, sub: pbSchema{1: {kind: pbString}}}}}}
		if v := app.Values["ACLs"]; v != nil {
			if err := check("ACLs", v, acls); err != nil {
				return err
			}
		}
		// peer.AnchorPeers: repeated AnchorPeer{host string, port int32} = 1.
		anchors := pbSchema{1: {kind: pbMessage, sub: pbSchema{1: {kind: pbString}}}}
		for _, name := range sortedKeys(app.GetGroups()) {
			if v := app.Groups[name].GetValues()["AnchorPeers"]; v != nil {
				if err := check("org "+name+" AnchorPeers", v, anchors); err != nil {
					return err
				}
			}
		}
	}
	for group, known := range knownCapabilities {
		v := root.GetGroups()[group].GetValues()[valueCapabilities]
		if v == nil {
			continue
		}
		var c cb.Capabilities
		if err := decode(group+" capabilities", v, &c); err != nil {
			return err
		}
		for name := range c.GetCapabilities() {
			if !slices.Contains(known, name) {
				return fmt.Errorf("%s capability %q is required but not supported", group, name)
			}
		}
	}
	return nil
}

// pbSchema describes, for checkMsg, the fields of a message whose content
// decoding checks: strings must be UTF-8 and messages must decode. Other
// fields, and fields of another wire type, are unknown fields to protobuf.
type pbSchema map[protowire.Number]pbField

type pbField struct {
	kind byte // pbString or pbMessage
	sub  pbSchema
}

const (
	pbString byte = iota + 1
	pbMessage
)

// checkMsg reports whether b decodes as protobuf would decode a message of
// the schema (without the generated type, whose package would link gRPC).
func checkMsg(name string, b []byte, schema pbSchema) error {
	return walkFields(name, b, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
		f, ok := schema[num]
		if !ok || typ != protowire.BytesType {
			return nil
		}
		switch f.kind {
		case pbString:
			if !utf8.Valid(val) {
				return fmt.Errorf("%s: field %d is not UTF-8", name, num)
			}
		case pbMessage:
			return checkMsg(name, val, f.sub)
		}
		return nil
	})
}

// varints returns the varint fields 1..n of a message (the last of each
// wins, as in protobuf; absent fields are zero).
func varints(name string, b []byte, n int) ([]uint64, error) {
	out := make([]uint64, n+1)
	err := walkFields(name, b, func(num protowire.Number, typ protowire.Type, _ []byte, v uint64) error {
		if num >= 1 && int(num) <= n && typ == protowire.VarintType {
			out[num] = v
		}
		return nil
	})
	return out, err
}

// compiles reports whether a peer can compile the policy.
func compiles(p *cb.Policy) error {
	switch cb.Policy_PolicyType(p.GetType()) {
	case cb.Policy_SIGNATURE:
		var env cb.SignaturePolicyEnvelope
		if err := proto.Unmarshal(p.GetValue(), &env); err != nil {
			return err
		}
		var check func(r *cb.SignaturePolicy) error
		check = func(r *cb.SignaturePolicy) error {
			switch t := r.GetType().(type) {
			case *cb.SignaturePolicy_SignedBy:
				if t.SignedBy < 0 || int(t.SignedBy) >= len(env.GetIdentities()) {
					return fmt.Errorf("signed_by %d of %d identities", t.SignedBy, len(env.GetIdentities()))
				}
			case *cb.SignaturePolicy_NOutOf_:
				for _, sub := range t.NOutOf.GetRules() {
					if err := check(sub); err != nil {
						return err
					}
				}
			default:
				return errors.New("a rule of no type")
			}
			return nil
		}
		if env.GetRule() == nil {
			return errors.New("no rule")
		}
		return check(env.GetRule())
	case cb.Policy_IMPLICIT_META:
		var im cb.ImplicitMetaPolicy
		if err := proto.Unmarshal(p.GetValue(), &im); err != nil {
			return err
		}
		switch im.GetRule() {
		case cb.ImplicitMetaPolicy_ANY, cb.ImplicitMetaPolicy_ALL, cb.ImplicitMetaPolicy_MAJORITY:
			return nil
		}
		return fmt.Errorf("implicit-meta rule %v", im.GetRule())
	}
	return fmt.Errorf("policy type %d", p.GetType())
}

// checkSuccessor applies the rules a peer checks between the current config
// and the next (channelconfig Bundle.ValidateNew): the consensus type
// changes only when the current capability allows migration, the
// application section stays, and an org keeps its MSP ID.
func checkSuccessor(cur, next *configState, migration bool) error {
	if !migration && cur.Consensus != next.Consensus {
		return fmt.Errorf("the consensus type changes from %s to %s, which needs channel capability V1_4_2 or later", cur.Consensus, next.Consensus)
	}
	if (len(cur.AppOrgs) > 0 || cur.EmptyApplication) && len(next.AppOrgs) == 0 && !next.EmptyApplication {
		return errors.New("the current config has an application section and the new one has none")
	}
	for _, pair := range []struct {
		kind      string
		cur, next []orgState
	}{{"orderer", cur.OrdererOrgs, next.OrdererOrgs}, {"application", cur.AppOrgs, next.AppOrgs}} {
		for _, o := range pair.cur {
			for _, n := range pair.next {
				if n.Name == o.Name && n.MSP != o.MSP {
					return fmt.Errorf("%s org %s changes its MSP ID from %s to %s", pair.kind, o.Name, o.MSP, n.MSP)
				}
			}
		}
	}
	return nil
}

// checkOrdererEndpoints applies the rules Fabric ties to the channel
// capability (channelconfig ChannelConfig.Validate and NewOrdererConfig):
// below V1_4_2 the global OrdererAddresses are required; with V3_0 they
// are forbidden and every orderer org names its own Endpoints. BFT
// consensus needs V3_0: without it a peer does not verify BFT block
// signatures at all.
func checkOrdererEndpoints(root, ord *cb.ConfigGroup, caps channelCaps, consensus string) error {
	addresses := func(v *cb.ConfigValue) (int, error) {
		if v == nil {
			return 0, nil
		}
		var a cb.OrdererAddresses
		if err := proto.Unmarshal(v.GetValue(), &a); err != nil {
			return 0, err
		}
		return len(a.GetAddresses()), nil
	}
	global, err := addresses(root.Values[valueOrdererAddresses])
	if err != nil {
		return fmt.Errorf("OrdererAddresses: %v", err)
	}
	switch {
	case !caps.orgEndpoints && global == 0:
		return errors.New("no OrdererAddresses, which a channel below capability V1_4_2 requires")
	case caps.bft && global > 0:
		return errors.New("global OrdererAddresses are not allowed with the V3_0 capability")
	case consensus == consensusBFT && !caps.bft:
		return errors.New("BFT consensus without the V3_0 channel capability, under which alone Fabric verifies BFT blocks")
	}
	if !caps.orgEndpoints {
		for _, name := range sortedKeys(ord.GetGroups()) {
			if _, ok := ord.Groups[name].GetValues()[valueEndpoints]; ok {
				return fmt.Errorf("orderer org %s has Endpoints, which a channel below capability V1_4_2 cannot have", name)
			}
		}
	}
	if caps.bft {
		for _, name := range sortedKeys(ord.GetGroups()) {
			n, err := addresses(ord.Groups[name].Values[valueEndpoints])
			if err != nil {
				return fmt.Errorf("orderer org %s Endpoints: %v", name, err)
			}
			if n == 0 {
				return fmt.Errorf("orderer org %s has no Endpoints, which the V3_0 capability requires", name)
			}
		}
	}
	return nil
}

// readEndorsement records an application org's Endorsement policy (cp, nil
// when the group lacks it). Only signature and implicit-meta policies
// compile in Fabric; a config with another type does not load on a peer.
// An Idemix org's policy is checked for its type only: it is never
// satisfied here.
func (o *orgState) readEndorsement(cp *cb.ConfigPolicy) error {
	if cp == nil {
		return nil
	}
	if cp.Policy == nil {
		return errors.New("no policy")
	}
	switch cp.Policy.Type {
	case policySignature:
		if o.Idemix {
			return nil
		}
		n, err := nodeFromEnvelope(cp.Policy.Value)
		if err != nil {
			return err
		}
		o.Endorsement = n.String()
	case policyImplicitMeta:
		if o.Idemix {
			return nil
		}
		rule, sub, err := parseImplicitMeta(cp.Policy.Value)
		if err != nil {
			return err
		}
		o.EndorsementMeta = rule.String() + " " + sub
	default:
		return fmt.Errorf("policy type %d, Fabric compiles only signature and implicit-meta policies", cp.Policy.Type)
	}
	return nil
}

// policyFromGroup returns the policy name of group g in text form. An
// implicit-meta policy's children must have signature policies (or none):
// one of an organization would be satisfied by anything (see
// childVacuous), and this package refuses to trust blocks on that.
func policyFromGroup(g *cb.ConfigGroup, name string) (policyState, error) {
	cp := g.Policies[name]
	if cp == nil || cp.Policy == nil {
		return policyState{}, errors.New("missing")
	}
	switch cp.Policy.Type {
	case policySignature:
		n, err := nodeFromEnvelope(cp.Policy.Value)
		if err != nil {
			return policyState{}, err
		}
		return policyState{Expr: n.String()}, nil
	case policyImplicitMeta:
		rule, subName, err := parseImplicitMeta(cp.Policy.Value)
		if err != nil {
			return policyState{}, err
		}
		ps := policyState{Meta: rule.String() + " " + subName, Subs: map[string]string{}}
		for _, child := range sortedKeys(g.Groups) {
			sub := g.Groups[child].Policies[subName]
			if sub == nil {
				ps.Subs[child] = ""
				continue
			}
			if sub.Policy == nil || sub.Policy.Type != policySignature {
				return policyState{}, fmt.Errorf("%s/%s is not a signature policy", child, subName)
			}
			n, err := nodeFromEnvelope(sub.Policy.Value)
			if err != nil {
				return policyState{}, fmt.Errorf("%s/%s: %v", child, subName, err)
			}
			ps.Subs[child] = n.String()
		}
		return ps, nil
	}
	return policyState{}, fmt.Errorf("policy type %d is not supported", cp.Policy.Type)
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// build validates a configState and prepares the verifiers. It is the one
// place where a TrustedConfig is checked, whether it comes from a block or
// from JSON.
func build(st configState) (*TrustedConfig, error) {
	bad := func(format string, args ...any) (*TrustedConfig, error) {
		return nil, fmt.Errorf("%w: %s", ErrBadConfig, fmt.Sprintf(format, args...))
	}
	if st.Format != configFormat {
		return bad("format %d, want %d", st.Format, configFormat)
	}
	if st.Channel == "" {
		return bad("no channel ID")
	}
	if len(st.Hash) != sha256.Size {
		return bad("config block hash of %d bytes", len(st.Hash))
	}
	tc := &TrustedConfig{
		st: st, msps: map[string]*mspVerifier{}, ordererMSPs: map[string]bool{}, consenters: map[uint32]*consenter{},
		sids: boundedcache.NewBytes[*identity](maxCachedSIDs),
	}
	version, ok := mspVersions[st.MSPVersion]
	if !ok {
		return bad("MSP version %q", st.MSPVersion)
	}
	for i := range st.MSPs {
		m, err := newMSPVerifier(&st.MSPs[i], version)
		if err != nil {
			return bad("%v", err)
		}
		if tc.msps[m.id] != nil {
			return bad("MSP %s defined twice", m.id)
		}
		tc.msps[m.id] = m
	}
	unsupported := map[string]bool{}
	for _, id := range st.Unsupported {
		if tc.msps[id] != nil || unsupported[id] {
			return bad("MSP %s defined twice", id)
		}
		unsupported[id] = true
	}
	// orgMSP checks an org's MSP and marks its unsupported one as used.
	used := map[string]bool{}
	orgMSP := func(kind string, o orgState) error {
		switch {
		case o.Idemix && !unsupported[o.MSP]:
			return fmt.Errorf("%s org %s: Idemix MSP %s is not listed as unsupported", kind, o.Name, o.MSP)
		case !o.Idemix && tc.msps[o.MSP] == nil:
			return fmt.Errorf("%s org %s: unknown MSP %s", kind, o.Name, o.MSP)
		}
		used[o.MSP] = true
		return nil
	}
	ordererNames := map[string]bool{}
	for _, o := range st.OrdererOrgs {
		if err := orgMSP("orderer", o); err != nil {
			return bad("%v", err)
		}
		if o.Endorsement != "" || o.EndorsementMeta != "" {
			return bad("orderer org %s has an Endorsement policy", o.Name)
		}
		ordererNames[o.Name] = true
		if !o.Idemix {
			tc.ordererMSPs[o.MSP] = true
		}
	}
	if len(tc.ordererMSPs) == 0 {
		return bad("no orderer organization")
	}
	if len(st.AppOrgs) > 0 || st.EmptyApplication {
		tc.endorsement = []child{}
	}
	if len(st.AppOrgs) > 0 && st.EmptyApplication {
		return bad("an empty Application group with %d organizations", len(st.AppOrgs))
	}
	for _, o := range st.AppOrgs {
		if err := orgMSP("application", o); err != nil {
			return bad("%v", err)
		}
		c, err := o.endorsementChild()
		if err != nil {
			return bad("application org %s endorsement policy: %v", o.Name, err)
		}
		tc.endorsement = append(tc.endorsement, c)
	}
	for _, id := range st.Unsupported {
		if !used[id] {
			// A state written before Idemix orgs were kept: its
			// application orgs may be incomplete.
			return bad("unsupported MSP %s belongs to no organization; derive the config from its block again", id)
		}
	}
	p, err := buildPolicy(st.BlockPolicy, ordererNames)
	if err != nil {
		return bad("block validation policy: %v", err)
	}
	if p.satisfiedBy(nil) {
		return bad("block validation policy %s is satisfied without any signature", p)
	}
	tc.blockPolicy = p
	certs := map[[32]byte]uint32{}
	for _, c := range st.Consenters {
		if tc.consenters[c.ID] != nil {
			return bad("consenter id %d listed twice", c.ID)
		}
		// One key must not count as two consenters of the quorum.
		fp := sha256.Sum256(c.Cert)
		if other, ok := certs[fp]; ok {
			return bad("consenters %d and %d have the same certificate", other, c.ID)
		}
		certs[fp] = c.ID
		con := &consenter{st: c}
		tc.consenters[c.ID] = con
		if !tc.ordererMSPs[c.MSP] {
			con.err = reason(ErrNotOrderer, "consenter %d: MSP %s is not an orderer organization", c.ID, c.MSP)
			continue
		}
		if _, err := x509.ParseCertificate(c.Cert); err != nil {
			return bad("consenter %d certificate: %v", c.ID, err)
		}
		con.id, con.err = tc.ordererIdentity(c.MSP, c.Cert)
	}
	if tc.BFT() && len(tc.consenters) == 0 {
		return bad("BFT channel without consenters")
	}
	return tc, nil
}

// endorsementChild is the org's Endorsement sub-policy as an implicit-meta
// child (see childKind).
func (o *orgState) endorsementChild() (child, error) {
	switch {
	case o.Idemix:
		if o.Endorsement != "" || o.EndorsementMeta != "" {
			return child{}, errors.New("an Idemix org's policy is not kept")
		}
		return child{kind: childUnverifiable}, nil
	case o.Endorsement != "" && o.EndorsementMeta != "":
		return child{}, errors.New("both a signature and an implicit-meta policy")
	case o.Endorsement != "":
		n, err := parseExpr(o.Endorsement)
		if err != nil {
			return child{}, err
		}
		return child{kind: childSignature, sig: n}, nil
	case o.EndorsementMeta != "":
		if _, _, err := parseMetaText(o.EndorsementMeta); err != nil {
			return child{}, err
		}
		return child{kind: childVacuous}, nil
	}
	return child{kind: childMissing}, nil
}

// buildPolicy makes the BlockValidation policy. An implicit-meta one must
// list a sub-policy ("" when missing) for exactly the orderer org groups,
// which are its children.
func buildPolicy(ps policyState, groups map[string]bool) (*policy, error) {
	if ps.Expr != "" {
		if ps.Meta != "" || len(ps.Subs) > 0 {
			return nil, errors.New("both a signature and an implicit-meta policy")
		}
		n, err := parseExpr(ps.Expr)
		if err != nil {
			return nil, err
		}
		return &policy{sig: n}, nil
	}
	rule, sub, err := parseMetaText(ps.Meta)
	if err != nil {
		return nil, err
	}
	if len(ps.Subs) != len(groups) {
		return nil, fmt.Errorf("%d sub-policies for %d orderer orgs", len(ps.Subs), len(groups))
	}
	m := &metaPolicy{rule: rule, sub: sub}
	for _, name := range sortedKeys(ps.Subs) {
		if !groups[name] {
			return nil, fmt.Errorf("sub-policy of %s, which is not an orderer org", name)
		}
		if ps.Subs[name] == "" {
			m.children = append(m.children, child{kind: childMissing})
			continue
		}
		n, err := parseExpr(ps.Subs[name])
		if err != nil {
			return nil, fmt.Errorf("%s/%s: %v", name, sub, err)
		}
		m.children = append(m.children, child{kind: childSignature, sig: n})
	}
	return &policy{meta: m}, nil
}

// ordererIdentity validates the certificate der as an orderer of an
// orderer organization: the MSP must be an orderer org's, the certificate
// must validate, and with NodeOUs it must carry the orderer OU.
func (tc *TrustedConfig) ordererIdentity(mspID string, der []byte) (*identity, error) {
	if err := tc.checkOrdererMSP(mspID); err != nil {
		return nil, err
	}
	id, err := tc.msps[mspID].identity(der)
	if err != nil {
		return nil, err
	}
	return id, checkOrdererRole(id)
}

// ordererSigner is ordererIdentity for a signer a message names.
func (tc *TrustedConfig) ordererSigner(s signer) (*identity, error) {
	if s.err != nil {
		return nil, s.err
	}
	if err := tc.checkOrdererMSP(s.msp); err != nil {
		return nil, err
	}
	id, err := tc.identity(s)
	if err != nil {
		return nil, err
	}
	return id, checkOrdererRole(id)
}

func (tc *TrustedConfig) checkOrdererMSP(mspID string) error {
	if tc.msps[mspID] == nil {
		return reason(ErrUnknownMSP, "%q", mspID)
	}
	if !tc.ordererMSPs[mspID] {
		return reason(ErrNotOrderer, "MSP %s is not an orderer organization", mspID)
	}
	return nil
}

func checkOrdererRole(id *identity) error {
	if id.msp.classifies(roleOrderer) && !id.hasRole(roleOrderer) {
		return reason(ErrNotOrderer, "%s identity %q lacks the orderer OU", id.msp.id, id.cert.Subject.CommonName)
	}
	return nil
}

// identityOf validates the certificate der as an identity of any MSP of
// the channel.
func (tc *TrustedConfig) identityOf(mspID string, der []byte) (*identity, error) {
	m := tc.msps[mspID]
	if m == nil {
		if slices.Contains(tc.st.Unsupported, mspID) {
			return nil, reason(ErrUnknownMSP, "%q is an Idemix MSP, which this package does not verify", mspID)
		}
		return nil, reason(ErrUnknownMSP, "%q", mspID)
	}
	return m.identity(der)
}

// signer is a serialized identity (msp.SerializedIdentity) as a message
// names its signer: decoded, with its certificate parsed. Nothing about it
// is validated.
type signer struct {
	sid  []byte
	msp  string
	der  []byte
	cert *x509.Certificate
	err  error // why cert is nil
}

// signerOf decodes a serialized identity; see signer. err wraps ErrDecode
// or ErrCertChain. An identity the config validated before is not decoded
// again.
func (tc *TrustedConfig) signerOf(sid []byte) signer {
	if id := tc.knownSigner(sid); id != nil {
		return signer{sid: sid, msp: id.msp.id, der: id.der, cert: id.cert}
	}
	s := signer{sid: sid}
	s.msp, s.der, s.err = decodeSerializedIdentity(sid)
	if s.err == nil {
		s.cert, s.err = tc.certificate(s.msp, s.der)
	}
	return s
}

// knownSigner returns the identity that validated under this config when
// it was named by exactly the serialized identity sid, or nil.
func (tc *TrustedConfig) knownSigner(sid []byte) *identity {
	id, _ := tc.sids.Get(sid)
	return id
}

// identity validates the signer against its MSP (see identityOf), and
// remembers it by its serialized form when it validates.
func (tc *TrustedConfig) identity(s signer) (*identity, error) {
	if s.err != nil {
		return nil, s.err
	}
	if id := tc.knownSigner(s.sid); id != nil {
		return id, nil
	}
	id, err := tc.identityOf(s.msp, s.der)
	if err != nil {
		return nil, err
	}
	tc.sids.Put(s.sid, id)
	return id, nil
}

// certificate returns the certificate der of an identity of MSP mspID: the
// one of a validated identity when the MSP has it cached, else a fresh
// parse. It does not validate anything. Errors wrap ErrCertChain.
func (tc *TrustedConfig) certificate(mspID string, der []byte) (*x509.Certificate, error) {
	if m := tc.msps[mspID]; m != nil {
		if id := m.cached(der); id != nil {
			return id.cert, nil
		}
	}
	return parseIdentityCert(der)
}

// ChannelID returns the channel the config belongs to.
func (tc *TrustedConfig) ChannelID() string { return tc.st.Channel }

// Number returns the number of the config block.
func (tc *TrustedConfig) Number() uint64 { return tc.st.Number }

// Hash returns the header hash of the config block (a copy).
func (tc *TrustedConfig) Hash() []byte { return bytes.Clone(tc.st.Hash) }

// Sequence returns the config sequence (0 for a genesis block; each config
// update adds one).
func (tc *TrustedConfig) Sequence() uint64 { return tc.st.Sequence }

// Consensus returns the orderer consensus type, e.g. "etcdraft" or "BFT".
func (tc *TrustedConfig) Consensus() string { return tc.st.Consensus }

// BFT reports whether blocks are signed by a quorum of BFT consenters.
func (tc *TrustedConfig) BFT() bool { return tc.st.Consensus == consensusBFT }

// Quorum returns how many distinct consenters must sign a block of a BFT
// channel, or 0 for other consensus types. See BFTQuorum.
func (tc *TrustedConfig) Quorum() int {
	if !tc.BFT() {
		return 0
	}
	return BFTQuorum(len(tc.consenters))
}

// BFTQuorum returns the quorum of a BFT ordering service of n consenters,
// as SmartBFT computes it: with f = (n-1)/3 tolerated faults, q =
// ceil((n+f+1)/2). It is 1, 2, 2, 3, 4, 4, 5 for n = 1…7, and 7 for 10.
// Any two quorums share at least f+1 consenters, so at least one honest
// one, and n-f consenters can always form a quorum. It is 0 for n < 1.
func BFTQuorum(n int) int {
	if n < 1 {
		return 0
	}
	f := (n - 1) / 3
	return (n + f + 2) / 2 // ceil((n+f+1)/2) in integers
}

// MSPIDs returns the IDs of the channel's X.509 MSPs, sorted.
func (tc *TrustedConfig) MSPIDs() []string {
	ids := make([]string, 0, len(tc.msps))
	for _, m := range tc.st.MSPs {
		ids = append(ids, m.ID)
	}
	return ids
}

// ApplicationOrgs returns the MSP IDs of the application organizations, in
// the order of their group names, Idemix ones included: the implicit rules
// of EndorsementPolicy count them all.
func (tc *TrustedConfig) ApplicationOrgs() []string {
	var ids []string
	for _, o := range tc.st.AppOrgs {
		ids = append(ids, o.MSP)
	}
	return ids
}

// OrdererOrgs returns the MSP IDs of the orderer organizations, Idemix ones
// included.
func (tc *TrustedConfig) OrdererOrgs() []string {
	var ids []string
	for _, o := range tc.st.OrdererOrgs {
		ids = append(ids, o.MSP)
	}
	return ids
}

// Consenters returns the BFT consenters sorted by ID (none for other
// consensus types). The certificates are parsed anew for each call.
func (tc *TrustedConfig) Consenters() []Consenter {
	var out []Consenter
	for _, c := range tc.st.Consenters {
		cert, _ := x509.ParseCertificate(c.Cert) // parsed once in build already
		out = append(out, Consenter{ID: c.ID, MSPID: c.MSP, Cert: cert})
	}
	return out
}

// BlockValidationPolicy returns the /Channel/Orderer/BlockValidation policy
// in text form, e.g. "ANY Writers" or "OutOf(3,'OrdererMSP.cert:…',…)".
func (tc *TrustedConfig) BlockValidationPolicy() string { return tc.blockPolicy.String() }

// MarshalJSON encodes the config compactly (see TrustedConfig).
func (tc *TrustedConfig) MarshalJSON() ([]byte, error) { return json.Marshal(tc.st) }

// UnmarshalJSON decodes and validates a config encoded by MarshalJSON,
// into a TrustedConfig that nothing uses yet. Unknown fields are errors.
// Errors wrap ErrBadConfig.
func (tc *TrustedConfig) UnmarshalJSON(b []byte) error {
	var st configState
	if err := strictjson.Decode(b, &st); err != nil {
		return fmt.Errorf("%w: %v", ErrBadConfig, err)
	}
	got, err := build(st)
	if err != nil {
		return err
	}
	*tc = *got
	return nil
}
