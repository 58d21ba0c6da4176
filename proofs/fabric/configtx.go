package fabric

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

// This file checks a config transaction the way a Fabric peer does
// (Fabric's common/configtx) before VerifyBlock lets the config it installs
// replace the trusted one. The orderers' signatures on a config block say
// only that the ordering service cut it: under Raft's default "ANY Writers"
// BlockValidation policy one orderer key makes any block, so without these
// checks that key alone could swap an application org's root CA and then
// forge endorsements. A peer accepts a new config only if the config
// update it carries (ConfigEnvelope.last_update) was signed by the admins
// each changed element's mod_policy names; so does this package.
//
// A channel config is a tree of groups, each holding groups, values and
// policies by name; every element has a version and a mod_policy. A
// ConfigUpdate names a read set (elements at the versions the update was
// made against) and a write set (the new elements). The elements of the
// write set that are not in the read set at the same version are the
// delta: what the update changes.

// Limits on config updates (attacker-sized input: the block's signatures
// are checked before, but one orderer may be all it takes to sign).
const (
	// maxConfigDepth bounds the nesting of groups in a config, read set
	// or write set; real configs nest four deep (/Channel/Application/
	// Org1MSP/MSP).
	maxConfigDepth = 32
	// maxConfigSignatures bounds the ConfigSignatures of one update.
	maxConfigSignatures = 256
	// maxConfigIDLen is Fabric's limit on an element name.
	maxConfigIDLen = 249
)

// channelGroup is the name of a config's root group in element paths and
// absolute policy paths ("/Channel/Application/Admins").
const channelGroup = "Channel"

// ordererCapabilities is the value whose presence makes Fabric set every
// empty mod_policy of a new config to "Admins" (a repair of configs made by
// Fabric 1.0, FAB-5309 and FAB-6080).
const ordererCapabilities = "/" + channelGroup + "/" + groupOrderer + "/Capabilities"

// defaultModPolicy is the mod_policy that repair sets.
const defaultModPolicy = "Admins"

// cfgKind is the kind of a config element.
type cfgKind uint8

const (
	cfgGroup cfgKind = iota + 1
	cfgValue
	cfgPolicy
)

func (k cfgKind) String() string {
	switch k {
	case cfgGroup:
		return "group"
	case cfgValue:
		return "value"
	case cfgPolicy:
		return "policy"
	}
	return "element"
}

// cfgID names an element: a group, a value and a policy may share a path.
type cfgID struct {
	path string // "/Channel/Application/Org1MSP/MSP"
	kind cfgKind
}

// cfgElement is one group, value or policy of a config tree.
type cfgElement struct {
	cfgID
	parent []string // the groups that hold it, from "Channel"; nil for the root group
	key    string
	group  *cb.ConfigGroup
	value  *cb.ConfigValue
	policy *cb.ConfigPolicy
}

func (e *cfgElement) version() uint64 {
	switch e.kind {
	case cfgGroup:
		return e.group.GetVersion()
	case cfgValue:
		return e.value.GetVersion()
	}
	return e.policy.GetVersion()
}

func (e *cfgElement) modPolicy() string {
	switch e.kind {
	case cfgGroup:
		return e.group.GetModPolicy()
	case cfgValue:
		return e.value.GetModPolicy()
	}
	return e.policy.GetModPolicy()
}

// name reads like "value /Channel/Application/Org1MSP/MSP".
func (e *cfgElement) name() string { return e.kind.String() + " " + e.path }

// cfgMap is a config tree flattened to its elements.
type cfgMap map[cfgID]*cfgElement

// mapConfig flattens the tree under root (the channel group of a config,
// read set or write set; nil gives an empty map). Element names must be
// valid config IDs and groups may nest at most maxConfigDepth deep.
func mapConfig(root *cb.ConfigGroup) (cfgMap, error) {
	m := cfgMap{}
	if root == nil {
		return m, nil
	}
	return m, m.addGroup(nil, channelGroup, root)
}

func (m cfgMap) add(kind cfgKind, parent []string, key string) (*cfgElement, error) {
	p := "/" + strings.Join(append(slices.Clone(parent), key), "/")
	if err := checkConfigID(key); err != nil {
		return nil, fmt.Errorf("%s %s: %v", kind, p, err)
	}
	e := &cfgElement{cfgID: cfgID{path: p, kind: kind}, parent: parent, key: key}
	m[e.cfgID] = e
	return e, nil
}

func (m cfgMap) addGroup(parent []string, key string, g *cb.ConfigGroup) error {
	if len(parent) >= maxConfigDepth {
		return fmt.Errorf("groups nested deeper than %d", maxConfigDepth)
	}
	e, err := m.add(cfgGroup, parent, key)
	if err != nil {
		return err
	}
	e.group = g
	here := append(slices.Clone(parent), key)
	for _, k := range sortedKeys(g.Groups) {
		if g.Groups[k] == nil {
			return fmt.Errorf("group %s/%s is empty", e.path, k)
		}
		if err := m.addGroup(here, k, g.Groups[k]); err != nil {
			return err
		}
	}
	for k, v := range g.Values {
		if v == nil {
			return fmt.Errorf("value %s/%s is empty", e.path, k)
		}
		c, err := m.add(cfgValue, here, k)
		if err != nil {
			return err
		}
		c.value = v
	}
	for k, p := range g.Policies {
		if p == nil {
			return fmt.Errorf("policy %s/%s is empty", e.path, k)
		}
		c, err := m.add(cfgPolicy, here, k)
		if err != nil {
			return err
		}
		c.policy = p
	}
	return nil
}

// sorted returns the map's IDs by path, then kind.
func (m cfgMap) sorted() []cfgID {
	ids := slices.Collect(maps.Keys(m))
	slices.SortFunc(ids, func(a, b cfgID) int {
		return cmp.Or(strings.Compare(a.path, b.path), cmp.Compare(a.kind, b.kind))
	})
	return ids
}

// checkConfigID applies Fabric's rule for element names: 1 to 249 ASCII
// letters, digits, dots and dashes, and not "." or "..".
func checkConfigID(s string) error {
	if s == "" || len(s) > maxConfigIDLen || s == "." || s == ".." {
		return fmt.Errorf("name %q is not a valid config ID", s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return fmt.Errorf("name %q is not a valid config ID", s)
		}
	}
	return nil
}

// checkModPolicyName applies Fabric's rule for a mod_policy: set, and a
// path (absolute with a leading slash, or relative) of valid config IDs.
func checkModPolicyName(mp string) error {
	if mp == "" {
		return fmt.Errorf("mod_policy is not set")
	}
	for _, s := range strings.Split(strings.TrimPrefix(mp, "/"), "/") {
		if err := checkConfigID(s); err != nil {
			return fmt.Errorf("mod_policy %q: %v", mp, err)
		}
	}
	return nil
}

// validateConfigUpdate checks that the ConfigEnvelope data of a config
// block is a valid successor of the trusted config, as a Fabric peer
// checks a config transaction before it applies it. In this order (cheap
// checks first; certificate chains and signatures last):
//
//  1. the trusted config carries its full channel config (ErrBadConfig,
//     see WithConfigBlock);
//  2. the envelope decodes, its sequence is the trusted one plus one, its
//     last_update is a CONFIG_UPDATE envelope whose ConfigUpdate names the
//     trusted channel, with at most maxConfigSignatures signatures
//     (ErrConfigUpdate);
//  3. every read-set element exists in the trusted config at the version
//     read (ErrConfigReadSet);
//  4. the delta is not empty; each of its elements has a valid
//     mod_policy, and is new at version 0 or changes a trusted element to
//     its version plus one (ErrConfigWriteSet);
//  5. the trusted config with the delta applied, rebuilt as Fabric
//     rebuilds it, is exactly the block's config (ErrConfigResult,
//     ErrConfigWriteSet for a group naming a member that exists nowhere);
//  6. the ConfigSignatures that verify (signature over signature_header ‖
//     config_update, by an identity valid under the trusted MSPs) satisfy
//     the trusted mod_policy of every trusted element the delta changes
//     (ErrModPolicy). A signature that does not verify is ignored, as
//     Fabric ignores it; an identity this package cannot validate (an
//     Idemix one, say) satisfies nothing.
//
// New elements need no policy of their own: adding one changes its
// group's set of members, so the group is in the delta too, under its own
// mod_policy. Failures about one element are a *ConfigElementError.
func validateConfigUpdate(tc *TrustedConfig, data []byte) error {
	if tc.full == nil {
		return reason(ErrBadConfig, "the trusted config of block %d was restored without its config block, "+
			"so a config update cannot be checked against it (see WithConfigBlock)", tc.Number())
	}
	var ce cb.ConfigEnvelope
	if err := proto.Unmarshal(data, &ce); err != nil {
		return reason(ErrConfigUpdate, "config envelope: %v", err)
	}
	if ce.Config == nil {
		return reason(ErrConfigUpdate, "the config envelope holds no config")
	}
	if got, want := ce.Config.Sequence, tc.Sequence()+1; got != want {
		return reason(ErrConfigUpdate, "config sequence %d after %d, want %d", got, tc.Sequence(), want)
	}
	cue, err := decodeLastUpdate(ce.LastUpdate)
	if err != nil {
		return err
	}
	var upd cb.ConfigUpdate
	if err := proto.Unmarshal(cue.ConfigUpdate, &upd); err != nil {
		return reason(ErrConfigUpdate, "config update: %v", err)
	}
	if upd.ChannelId != tc.ChannelID() {
		return reason(ErrConfigUpdate, "the config update is for channel %q, not %q", upd.ChannelId, tc.ChannelID())
	}
	if n := len(cue.Signatures); n > maxConfigSignatures {
		return reason(ErrConfigUpdate, "the config update carries %d signatures, at most %d are read", n, maxConfigSignatures)
	}

	current, err := mapConfig(tc.full.ChannelGroup)
	if err != nil {
		return reason(ErrBadConfig, "trusted config: %v", err)
	}
	readSet, err := mapConfig(upd.ReadSet)
	if err != nil {
		return reason(ErrConfigReadSet, "%v", err)
	}
	writeSet, err := mapConfig(upd.WriteSet)
	if err != nil {
		return reason(ErrConfigWriteSet, "%v", err)
	}
	res := resolver{root: tc.full.ChannelGroup}
	for _, id := range readSet.sorted() {
		r, cur := readSet[id], current[id]
		if cur == nil {
			return res.fail(r, nil, ErrConfigReadSet, "the update read it, but the trusted config has no such element")
		}
		if cur.version() != r.version() {
			return res.fail(r, cur, ErrConfigReadSet, "the update was made against version %d, the trusted config has version %d", r.version(), cur.version())
		}
	}

	var delta, changed []*cfgElement // changed: the trusted elements the delta replaces
	for _, id := range writeSet.sorted() {
		w := writeSet[id]
		if r := readSet[id]; r != nil && r.version() == w.version() {
			continue
		}
		delta = append(delta, w)
	}
	if len(delta) == 0 {
		return reason(ErrConfigWriteSet, "the update changes nothing")
	}
	for _, w := range delta {
		cur := current[w.cfgID]
		if err := checkModPolicyName(w.modPolicy()); err != nil {
			return res.fail(w, cur, ErrConfigWriteSet, "%v", err)
		}
		if cur == nil {
			if w.version() != 0 {
				return res.fail(w, nil, ErrConfigWriteSet, "a new element at version %d, want 0", w.version())
			}
			continue
		}
		if w.version() != cur.version()+1 {
			return res.fail(w, cur, ErrConfigWriteSet, "set to version %d, but the trusted config has it at version %d: a change adds exactly one", w.version(), cur.version())
		}
		changed = append(changed, cur)
	}

	proposed := maps.Clone(current)
	for _, w := range delta {
		proposed[w.cfgID] = w
	}
	_, repair := proposed[cfgID{path: ordererCapabilities, kind: cfgValue}]
	computed, err := rebuildGroup(proposed, "/"+channelGroup, repair)
	if err != nil {
		return err
	}
	if !proto.Equal(computed, ce.Config.ChannelGroup) {
		return res.explainResult(current, computed, ce.Config.ChannelGroup)
	}

	signers, rejected, err := configSigners(tc, cue)
	if err != nil {
		return err
	}
	ev := &policyEval{ids: signers, memo: map[string]verdict{}}
	for _, cur := range changed {
		path, g, p, abs, err := res.modPolicy(cur)
		if err != nil {
			return &ConfigElementError{Element: cur.name(), ModPolicy: cur.modPolicy(), Policy: abs,
				Reason: reason(ErrModPolicy, "%v", err)}
		}
		if v := ev.satisfied(path, g, p, abs); !v.ok {
			return &ConfigElementError{Element: cur.name(), ModPolicy: cur.modPolicy(), Policy: abs,
				Reason: reason(ErrModPolicy, "%s; %s", v.why, describeSigners(signers, rejected))}
		}
	}
	return nil
}

// decodeLastUpdate returns the ConfigUpdateEnvelope of a config
// envelope's last_update, which must be a CONFIG_UPDATE envelope. Its own
// signature (the submitter's) is not checked: peers do not check it
// either; the ConfigSignatures inside are what authorizes the update.
func decodeLastUpdate(env *cb.Envelope) (*cb.ConfigUpdateEnvelope, error) {
	if env == nil {
		return nil, reason(ErrConfigUpdate, "the config envelope carries no config update (last_update), so nobody authorized the change")
	}
	var pl cb.Payload
	if err := proto.Unmarshal(env.Payload, &pl); err != nil {
		return nil, reason(ErrConfigUpdate, "last update payload: %v", err)
	}
	var ch cb.ChannelHeader
	if pl.Header == nil || proto.Unmarshal(pl.Header.ChannelHeader, &ch) != nil {
		return nil, reason(ErrConfigUpdate, "last update has no channel header")
	}
	if ch.Type != int32(cb.HeaderType_CONFIG_UPDATE) {
		return nil, reason(ErrConfigUpdate, "last update is of type %d, not CONFIG_UPDATE", ch.Type)
	}
	var cue cb.ConfigUpdateEnvelope
	if err := proto.Unmarshal(pl.Data, &cue); err != nil {
		return nil, reason(ErrConfigUpdate, "config update envelope: %v", err)
	}
	return &cue, nil
}

// rebuildGroup makes the group at path of a new config from the elements
// of m, the way Fabric makes a config from the trusted config and a delta:
// the group as m has it, with each member it names looked up in m by
// path. A member that m lacks fails the update. With repair, every empty
// mod_policy becomes defaultModPolicy (see ordererCapabilities).
func rebuildGroup(m cfgMap, path string, repair bool) (*cb.ConfigGroup, error) {
	e := m[cfgID{path: path, kind: cfgGroup}]
	g := e.group
	out := &cb.ConfigGroup{Version: g.Version, ModPolicy: g.ModPolicy}
	out.ProtoReflect().SetUnknown(g.ProtoReflect().GetUnknown())
	missing := func(kind cfgKind, k string) error {
		return &ConfigElementError{Element: kind.String() + " " + path + "/" + k,
			Reason: reason(ErrConfigWriteSet, "%s names it, but neither the trusted config nor the update has it", e.name())}
	}
	if len(g.Groups) > 0 {
		out.Groups = make(map[string]*cb.ConfigGroup, len(g.Groups))
	}
	for k := range g.Groups {
		if m[cfgID{path: path + "/" + k, kind: cfgGroup}] == nil {
			return nil, missing(cfgGroup, k)
		}
		c, err := rebuildGroup(m, path+"/"+k, repair)
		if err != nil {
			return nil, err
		}
		out.Groups[k] = c
	}
	if len(g.Values) > 0 {
		out.Values = make(map[string]*cb.ConfigValue, len(g.Values))
	}
	for k := range g.Values {
		v := m[cfgID{path: path + "/" + k, kind: cfgValue}]
		if v == nil {
			return nil, missing(cfgValue, k)
		}
		out.Values[k] = proto.Clone(v.value).(*cb.ConfigValue)
	}
	if len(g.Policies) > 0 {
		out.Policies = make(map[string]*cb.ConfigPolicy, len(g.Policies))
	}
	for k := range g.Policies {
		p := m[cfgID{path: path + "/" + k, kind: cfgPolicy}]
		if p == nil {
			return nil, missing(cfgPolicy, k)
		}
		out.Policies[k] = proto.Clone(p.policy).(*cb.ConfigPolicy)
	}
	if repair {
		if out.ModPolicy == "" {
			out.ModPolicy = defaultModPolicy
		}
		for _, v := range out.Values {
			if v.ModPolicy == "" {
				v.ModPolicy = defaultModPolicy
			}
		}
		for _, p := range out.Policies {
			if p.ModPolicy == "" {
				p.ModPolicy = defaultModPolicy
			}
		}
	}
	return out, nil
}

// configSigners returns the distinct identities whose ConfigSignature over
// the update verifies, and why the others were ignored. A signature header
// that does not decode fails the update, as in Fabric.
func configSigners(tc *TrustedConfig, cue *cb.ConfigUpdateEnvelope) ([]*identity, []string, error) {
	var ids []*identity
	var rejected []string
	for i, s := range cue.Signatures {
		var sh cb.SignatureHeader
		if err := proto.Unmarshal(s.SignatureHeader, &sh); err != nil {
			return nil, nil, reason(ErrConfigUpdate, "config signature %d: signature header: %v", i, err)
		}
		mspID, der, err := decodeSerializedIdentity(sh.Creator)
		var id *identity
		if err == nil {
			id, err = tc.identityOf(mspID, der)
		}
		if err == nil {
			err = id.verify(s.Signature, s.SignatureHeader, cue.ConfigUpdate)
		}
		if err != nil {
			rejected = append(rejected, fmt.Sprintf("signature %d (%s): %v", i, cmp.Or(mspID, "?"), err))
			continue
		}
		ids = append(ids, id)
	}
	return dedupe(ids), rejected, nil
}

// describeSigners says who signed an update, for errors.
func describeSigners(ids []*identity, rejected []string) string {
	var b strings.Builder
	if len(ids) == 0 {
		b.WriteString("no valid signature")
	} else {
		b.WriteString("valid signatures by ")
		for i, id := range ids {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s %q", id.msp.id, id.cert.Subject.CommonName)
		}
	}
	if len(rejected) > 0 {
		fmt.Fprintf(&b, "; %d ignored, first: %s", len(rejected), rejected[0])
	}
	return b.String()
}

// resolver finds policies in the trusted config.
type resolver struct {
	root *cb.ConfigGroup
}

// modPolicy returns the policy an element's mod_policy names in the
// trusted config, resolved as Fabric resolves it: an absolute path
// ("/Channel/...") from the root group; a relative one from the element's
// own group for a group (the root group's own policies for the root), and
// from the group that holds it for a value or a policy. A relative path
// may descend into subgroups ("Org1MSP/Admins"). It returns the group
// holding the policy, its path from "Channel", the policy and its absolute
// path; abs is set as far as it resolved when err is not nil.
func (r resolver) modPolicy(e *cfgElement) (path []string, g *cb.ConfigGroup, p *cb.ConfigPolicy, abs string, err error) {
	mp := e.modPolicy()
	rel := mp
	var base []string
	switch {
	case mp == "":
		return nil, nil, nil, "", fmt.Errorf("it has no mod_policy, so nobody may change it")
	case strings.HasPrefix(mp, "/"):
		var ok bool
		if rel, ok = strings.CutPrefix(mp, "/"+channelGroup+"/"); !ok {
			return nil, nil, nil, "", fmt.Errorf("mod_policy %q is not under /%s", mp, channelGroup)
		}
		base = []string{channelGroup}
	case e.kind == cfgGroup:
		base = append(slices.Clone(e.parent), e.key)
	default:
		base = slices.Clone(e.parent)
	}
	g = r.root
	for _, name := range base[1:] {
		if g = g.GetGroups()[name]; g == nil {
			return nil, nil, nil, "", fmt.Errorf("group %s of its mod_policy does not exist", "/"+strings.Join(base, "/"))
		}
	}
	segs := strings.Split(rel, "/")
	path = base
	for _, name := range segs[:len(segs)-1] {
		path = append(path, name)
		if g = g.GetGroups()[name]; g == nil {
			return nil, nil, nil, "", fmt.Errorf("group %s of its mod_policy does not exist", "/"+strings.Join(path, "/"))
		}
	}
	name := segs[len(segs)-1]
	abs = "/" + strings.Join(path, "/") + "/" + name
	if p = g.GetPolicies()[name]; p == nil || name == "" {
		return nil, nil, nil, abs, fmt.Errorf("its mod_policy %s does not exist", abs)
	}
	return path, g, p, abs, nil
}

// fail returns a *ConfigElementError about element e (cur: the trusted
// element of the same ID, or nil) wrapping sentinel.
func (r resolver) fail(e, cur *cfgElement, sentinel error, format string, args ...any) error {
	ce := &ConfigElementError{Element: e.name(), Reason: reason(sentinel, format, args...)}
	if cur != nil {
		ce.ModPolicy = cur.modPolicy()
		_, _, _, ce.Policy, _ = r.modPolicy(cur)
	}
	return ce
}

// explainResult names the first element (by path) in which the block's
// config differs from the computed one.
func (r resolver) explainResult(current cfgMap, computed, actual *cb.ConfigGroup) error {
	want, err := mapConfig(computed)
	if err != nil {
		return reason(ErrConfigResult, "%v", err)
	}
	got, err := mapConfig(actual)
	if err != nil {
		return reason(ErrConfigResult, "the block's config: %v", err)
	}
	union := maps.Clone(want)
	maps.Copy(union, got)
	for _, id := range union.sorted() {
		w, g := want[id], got[id]
		var what string
		switch {
		case w == nil:
			what = "the block's config has it, but the update does not add it"
		case g == nil:
			what = "the block's config lacks it, but the update does not remove it"
		case !sameElement(w, g):
			what = fmt.Sprintf("the block's config has it at version %d with other content than the update gives (version %d): it changed outside the write set", g.version(), w.version())
		default:
			continue
		}
		return r.fail(union[id], current[id], ErrConfigResult, "%s", what)
	}
	return reason(ErrConfigResult, "the block's config differs from the update applied to the trusted config")
}

// sameElement compares two elements without their members.
func sameElement(a, b *cfgElement) bool {
	switch a.kind {
	case cfgGroup:
		return a.group.Version == b.group.Version && a.group.ModPolicy == b.group.ModPolicy &&
			bytes.Equal(a.group.ProtoReflect().GetUnknown(), b.group.ProtoReflect().GetUnknown())
	case cfgValue:
		return proto.Equal(a.value, b.value)
	}
	return proto.Equal(a.policy, b.policy)
}

// verdict is the outcome of one policy evaluation; why says what failed.
type verdict struct {
	ok  bool
	why string
}

// policyEval evaluates channel policies of the trusted config over the
// identities that signed a config update, as Fabric's policy manager does:
// a signature policy over the identities (each used for one principal at
// most); an implicit-meta policy by counting the child groups whose policy
// of the sub-policy name the identities satisfy, against ANY = 1, ALL =
// every child, MAJORITY = more than half. Stricter than Fabric: an
// implicit-meta policy of a group without child groups, an unknown rule, a
// sub-policy name with a slash, a policy type other than signature and
// implicit meta, and principals other than roles and identities satisfy
// nothing (Fabric treats the first two as satisfied).
type policyEval struct {
	ids  []*identity
	memo map[string]verdict // by absolute policy path
}

// satisfied evaluates policy p of group g, which is at path (from
// "Channel"); abs is the policy's absolute path.
func (pe *policyEval) satisfied(path []string, g *cb.ConfigGroup, p *cb.ConfigPolicy, abs string) verdict {
	if v, ok := pe.memo[abs]; ok {
		return v
	}
	v := pe.eval(path, g, p, abs)
	pe.memo[abs] = v
	return v
}

func (pe *policyEval) eval(path []string, g *cb.ConfigGroup, p *cb.ConfigPolicy, abs string) verdict {
	no := func(format string, args ...any) verdict {
		return verdict{why: abs + " " + fmt.Sprintf(format, args...)}
	}
	pol := p.GetPolicy()
	switch {
	case pol == nil:
		return no("is empty")
	case pol.Type == policySignature:
		n, err := nodeFromEnvelope(pol.Value)
		if err != nil {
			return no("cannot be evaluated: %v", err)
		}
		if n.satisfiedBy(pe.ids) {
			return verdict{ok: true}
		}
		return no("(%s) is not satisfied", n)
	case pol.Type == policyImplicitMeta:
		var im cb.ImplicitMetaPolicy
		if err := proto.Unmarshal(pol.Value, &im); err != nil {
			return no("cannot be evaluated: %v", err)
		}
		sub := im.SubPolicy
		if sub == "" || strings.Contains(sub, "/") {
			return no("has sub-policy %q, which this package does not evaluate", sub)
		}
		children := sortedKeys(g.GetGroups())
		n := len(children)
		var need int
		switch im.Rule {
		case cb.ImplicitMetaPolicy_ANY:
			need = 1
		case cb.ImplicitMetaPolicy_ALL:
			need = n
		case cb.ImplicitMetaPolicy_MAJORITY:
			need = n/2 + 1
		default:
			return no("has rule %d, which this package does not evaluate", im.Rule)
		}
		if n == 0 {
			return no("(%v %s) has no groups below it to count", im.Rule, sub)
		}
		got := 0
		var firstWhy string
		for _, c := range children {
			cg := g.Groups[c]
			cp := cg.GetPolicies()[sub]
			if cp == nil {
				continue
			}
			cpath := append(slices.Clone(path), c)
			v := pe.satisfied(cpath, cg, cp, "/"+strings.Join(cpath, "/")+"/"+sub)
			if v.ok {
				got++
			} else if firstWhy == "" {
				firstWhy = v.why
			}
		}
		if got >= need {
			return verdict{ok: true}
		}
		v := no("(%v %s) is satisfied in %d of %d groups, it needs %d", im.Rule, sub, got, n, need)
		if firstWhy != "" {
			v.why += " (" + firstWhy + ")"
		}
		return v
	}
	return no("has policy type %d, which this package does not evaluate", pol.Type)
}

// WithConfigBlock returns the trusted config with the full channel config
// of its own config block, which VerifyBlock needs to check
// a config update against it. A TrustedConfig made by ParseConfigBlock or
// by VerifyBlock has it; one restored with UnmarshalJSON does not (its JSON
// form holds only what block and transaction checks need), and a config
// block verified against it then fails with ErrBadConfig.
//
// block must be the config block tc was made from: same number, header
// hash, channel and sequence (ErrBadConfig otherwise). The result is parsed
// from block, like ParseConfigBlock; it equals tc unless tc was made by
// another version of this package. tc is not changed.
func (tc *TrustedConfig) WithConfigBlock(block []byte) (*TrustedConfig, error) {
	if tc == nil || tc.blockPolicy == nil {
		return nil, reason(ErrBadConfig, "no trusted config")
	}
	full, err := ParseConfigBlock(block)
	if err != nil {
		return nil, err
	}
	if full.Number() != tc.Number() || !bytes.Equal(full.Hash(), tc.Hash()) ||
		full.ChannelID() != tc.ChannelID() || full.Sequence() != tc.Sequence() {
		return nil, reason(ErrBadConfig, "config block %d (hash %x, channel %q, sequence %d) is not the trusted config's block %d (hash %x, channel %q, sequence %d)",
			full.Number(), full.Hash(), full.ChannelID(), full.Sequence(), tc.Number(), tc.Hash(), tc.ChannelID(), tc.Sequence())
	}
	// The block is the one the anchor names; the anchor's state must also
	// be what this package reads from it (MSPs, MSP version, policies),
	// else the state and the config updates checked against the block
	// would follow different rules.
	a, errA := json.Marshal(tc.st)
	b, errB := json.Marshal(full.st)
	if errA != nil || errB != nil || !bytes.Equal(a, b) {
		return nil, reason(ErrBadConfig, "the trusted state of config block %d is not what the block says", tc.Number())
	}
	return full, nil
}

// HasConfigBlock reports whether the trusted config carries the full
// channel config of its block, so that config updates can be checked
// against it (see WithConfigBlock).
func (tc *TrustedConfig) HasConfigBlock() bool { return tc != nil && tc.full != nil }
