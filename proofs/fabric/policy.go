package fabric

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	mspb "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// role is an MSP role of a ROLE principal (msp.MSPRole.MSPRoleType).
type role uint8

const (
	roleMember role = iota
	roleAdmin
	roleClient
	rolePeer
	roleOrderer
)

var roleNames = [...]string{"member", "admin", "client", "peer", "orderer"}

func (r role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return "role" + strconv.Itoa(int(r))
}

// principal is one leaf of a signature policy: a role of an MSP, or (cert
// set) one certificate of an MSP, named by the SHA-256 of its DER.
type principal struct {
	msp  string
	role role
	cert *[32]byte
}

func (p principal) String() string {
	q := "'"
	if strings.Contains(p.msp, q) {
		q = `"` // an MSP ID can hold one kind of quote, never both (see parsePrincipal)
	}
	if p.cert != nil {
		return q + p.msp + ".cert:" + hex.EncodeToString(p.cert[:]) + q
	}
	return q + p.msp + "." + p.role.String() + q
}

// node is a signature policy in tree form: a principal, or n out of subs.
// Fabric's SignaturePolicyEnvelope lists the principals once and refers to
// them by index; the tree inlines them, which does not change the meaning
// (a principal is matched by value).
type node struct {
	p    *principal
	n    int
	subs []*node
}

// Limits on signature policies, from config blocks and from callers alike.
const (
	maxPolicyDepth = 16
	maxPolicyNodes = 4096
	maxPolicyText  = 1 << 20
)

func (n *node) String() string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

func (n *node) write(b *strings.Builder) {
	if n.p != nil {
		b.WriteString(n.p.String())
		return
	}
	switch {
	case n.n == len(n.subs) && n.n > 1:
		b.WriteString("AND(")
	case n.n == 1 && len(n.subs) > 1:
		b.WriteString("OR(")
	default:
		b.WriteString("OutOf(")
		b.WriteString(strconv.Itoa(n.n))
		if len(n.subs) > 0 {
			b.WriteByte(',')
		}
	}
	for i, s := range n.subs {
		if i > 0 {
			b.WriteByte(',')
		}
		s.write(b)
	}
	b.WriteByte(')')
}

// eval reports whether the identities satisfy the policy, using each
// identity for at most one principal. It works like Fabric's evaluator
// (common/cauthdsl): greedy, first unused match wins, an n-out-of node
// evaluates all its branches (it does not stop at n) and keeps the
// identities of every branch that succeeded, and its parent keeps them
// only when the node succeeds. Greedy matching may miss an assignment that
// exists, never invents one.
func (n *node) eval(ids []*identity, used []bool) bool {
	if n.p != nil {
		for i, id := range ids {
			if !used[i] && id.satisfies(*n.p) {
				used[i] = true
				return true
			}
		}
		return false
	}
	tmp := slices.Clone(used)
	count := 0
	for _, s := range n.subs {
		if s.eval(ids, tmp) {
			count++
		}
	}
	if count >= n.n {
		copy(used, tmp)
		return true
	}
	return false
}

// satisfiedBy evaluates the policy over a set of distinct identities.
func (n *node) satisfiedBy(ids []*identity) bool {
	return n.eval(ids, make([]bool, len(ids)))
}

// msps returns the MSP IDs the policy names.
func (n *node) msps(out map[string]bool) {
	if n.p != nil {
		out[n.p.msp] = true
		return
	}
	for _, s := range n.subs {
		s.msps(out)
	}
}

// ---------------------------------------------------------------- text form

// parseExpr parses a signature policy written like Fabric's policy language:
//
//	expr      = principal | AND(expr, ...) | OR(expr, ...) | OutOf(n, expr, ...)
//	principal = 'MSPID.role' | 'MSPID.cert:<sha256 hex of the DER>'
//
// with role one of member, admin, client, peer, orderer, the function names
// in any case, and single or double quotes.
func parseExpr(s string) (*node, error) {
	if len(s) > maxPolicyText {
		return nil, fmt.Errorf("policy longer than %d bytes", maxPolicyText)
	}
	p := exprParser{s: s}
	n, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.s) {
		return nil, fmt.Errorf("unexpected %q at offset %d", p.rest(), p.i)
	}
	return n, nil
}

type exprParser struct {
	s     string
	i     int
	nodes int
}

func (p *exprParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *exprParser) rest() string {
	r := p.s[p.i:]
	if len(r) > 16 {
		r = r[:16] + "…"
	}
	return r
}

func (p *exprParser) eat(c byte) bool {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *exprParser) expr(depth int) (*node, error) {
	if depth > maxPolicyDepth {
		return nil, fmt.Errorf("policy nested deeper than %d", maxPolicyDepth)
	}
	if p.nodes++; p.nodes > maxPolicyNodes {
		return nil, fmt.Errorf("policy has more than %d terms", maxPolicyNodes)
	}
	p.space()
	if p.i >= len(p.s) {
		return nil, errors.New("unexpected end of policy")
	}
	if c := p.s[p.i]; c == '\'' || c == '"' {
		end := strings.IndexByte(p.s[p.i+1:], c)
		if end < 0 {
			return nil, fmt.Errorf("unterminated principal at offset %d", p.i)
		}
		text := p.s[p.i+1 : p.i+1+end]
		p.i += end + 2
		pr, err := parsePrincipal(text)
		if err != nil {
			return nil, err
		}
		return &node{p: &pr}, nil
	}
	start := p.i
	for p.i < len(p.s) && isLetter(p.s[p.i]) {
		p.i++
	}
	fn := strings.ToLower(p.s[start:p.i])
	if fn != "and" && fn != "or" && fn != "outof" {
		p.i = start
		return nil, fmt.Errorf("expected AND, OR, OutOf or a quoted principal at %q", p.rest())
	}
	if !p.eat('(') {
		return nil, fmt.Errorf("expected ( after %s", p.s[start:p.i])
	}
	n := &node{}
	if fn == "outof" {
		p.space()
		ds := p.i
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		v, err := strconv.Atoi(p.s[ds:p.i])
		if err != nil || v < 1 || v > maxPolicyNodes {
			return nil, fmt.Errorf("OutOf needs a count from 1 to %d first, at offset %d", maxPolicyNodes, ds)
		}
		n.n = v
		if !p.eat(',') {
			return nil, fmt.Errorf("expected , after the OutOf count at offset %d", p.i)
		}
	}
	for {
		sub, err := p.expr(depth + 1)
		if err != nil {
			return nil, err
		}
		n.subs = append(n.subs, sub)
		if p.eat(',') {
			continue
		}
		if p.eat(')') {
			break
		}
		return nil, fmt.Errorf("expected , or ) at offset %d", p.i)
	}
	switch fn {
	case "and":
		n.n = len(n.subs)
	case "or":
		n.n = 1
	}
	return n, nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func parsePrincipal(s string) (principal, error) {
	dot := strings.LastIndexByte(s, '.')
	if dot <= 0 {
		return principal{}, fmt.Errorf("principal %q is not MSPID.role", s)
	}
	msp, r := s[:dot], s[dot+1:]
	for i := 0; i < len(msp); i++ {
		if msp[i] < 0x20 || msp[i] == 0x7f || strings.Contains(msp, "'") && strings.Contains(msp, `"`) {
			return principal{}, fmt.Errorf("principal %q: MSP ID has a control character or both quotes", s)
		}
	}
	if h, ok := strings.CutPrefix(r, "cert:"); ok {
		var fp [32]byte
		if len(h) != 64 {
			return principal{}, fmt.Errorf("principal %q: want 64 hex digits after cert:", s)
		}
		if _, err := hex.Decode(fp[:], []byte(h)); err != nil {
			return principal{}, fmt.Errorf("principal %q: %v", s, err)
		}
		return principal{msp: msp, cert: &fp}, nil
	}
	for i, name := range roleNames {
		if r == name {
			return principal{msp: msp, role: role(i)}, nil
		}
	}
	return principal{}, fmt.Errorf("principal %q: role %q is not member, admin, client, peer or orderer", s, r)
}

// ---------------------------------------------------------------- protobuf form

// policyType values of common.Policy.type.
const (
	policySignature    = 1
	policyImplicitMeta = 3
)

// nodeFromEnvelope converts a SignaturePolicyEnvelope into a tree, rejecting
// principals this package cannot evaluate and n-out-of nodes with n < 1
// (which every signature set satisfies).
func nodeFromEnvelope(b []byte) (*node, error) {
	var env cb.SignaturePolicyEnvelope
	if err := proto.Unmarshal(b, &env); err != nil {
		return nil, fmt.Errorf("signature policy: %v", err)
	}
	if env.Version != 0 {
		// Fabric's evaluator refuses other versions, and so the config.
		return nil, fmt.Errorf("signature policy of version %d, Fabric reads only version 0", env.Version)
	}
	ps := make([]principal, len(env.Identities))
	for i, id := range env.Identities {
		p, err := principalFromProto(id)
		if err != nil {
			return nil, fmt.Errorf("signature policy identity %d: %v", i, err)
		}
		ps[i] = p
	}
	count := 0
	var conv func(r *cb.SignaturePolicy, depth int) (*node, error)
	conv = func(r *cb.SignaturePolicy, depth int) (*node, error) {
		if depth > maxPolicyDepth {
			return nil, fmt.Errorf("signature policy nested deeper than %d", maxPolicyDepth)
		}
		if count++; count > maxPolicyNodes {
			return nil, fmt.Errorf("signature policy has more than %d terms", maxPolicyNodes)
		}
		switch t := r.GetType().(type) {
		case *cb.SignaturePolicy_SignedBy:
			if t.SignedBy < 0 || int(t.SignedBy) >= len(ps) {
				return nil, fmt.Errorf("signature policy refers to identity %d of %d", t.SignedBy, len(ps))
			}
			p := ps[t.SignedBy]
			return &node{p: &p}, nil
		case *cb.SignaturePolicy_NOutOf_:
			if t.NOutOf.GetN() < 1 {
				return nil, fmt.Errorf("signature policy has NOutOf(%d), which anything satisfies", t.NOutOf.GetN())
			}
			n := &node{n: int(t.NOutOf.GetN())}
			for _, sub := range t.NOutOf.GetRules() {
				s, err := conv(sub, depth+1)
				if err != nil {
					return nil, err
				}
				n.subs = append(n.subs, s)
			}
			return n, nil
		}
		return nil, errors.New("signature policy has an empty rule")
	}
	if env.Rule == nil {
		return nil, errors.New("signature policy has no rule")
	}
	return conv(env.Rule, 0)
}

func principalFromProto(p *mspb.MSPPrincipal) (principal, error) {
	switch p.GetPrincipalClassification() {
	case mspb.MSPPrincipal_ROLE:
		var r mspb.MSPRole
		if err := proto.Unmarshal(p.GetPrincipal(), &r); err != nil {
			return principal{}, fmt.Errorf("role principal: %v", err)
		}
		if r.GetRole() < 0 || int(r.GetRole()) >= len(roleNames) {
			return principal{}, fmt.Errorf("role principal: unknown role %d", r.GetRole())
		}
		if r.GetMspIdentifier() == "" {
			return principal{}, errors.New("role principal without an MSP")
		}
		return principal{msp: r.GetMspIdentifier(), role: role(r.GetRole())}, nil
	case mspb.MSPPrincipal_IDENTITY:
		var sid mspb.SerializedIdentity
		if err := proto.Unmarshal(p.GetPrincipal(), &sid); err != nil {
			return principal{}, fmt.Errorf("identity principal: %v", err)
		}
		blk, _ := pem.Decode(sid.GetIdBytes())
		if blk == nil || sid.GetMspid() == "" {
			return principal{}, errors.New("identity principal without an MSP or a PEM certificate")
		}
		fp := sha256.Sum256(blk.Bytes)
		return principal{msp: sid.GetMspid(), cert: &fp}, nil
	}
	return principal{}, fmt.Errorf("principal classification %v is not supported", p.GetPrincipalClassification())
}

// ---------------------------------------------------------------- implicit meta

// metaRule is the rule of an ImplicitMetaPolicy.
type metaRule uint8

const (
	metaAny metaRule = iota + 1
	metaAll
	metaMajority
)

func (r metaRule) String() string {
	switch r {
	case metaAny:
		return "ANY"
	case metaAll:
		return "ALL"
	case metaMajority:
		return "MAJORITY"
	}
	return "?"
}

func parseMetaRule(s string) (metaRule, bool) {
	switch strings.ToUpper(s) {
	case "ANY":
		return metaAny, true
	case "ALL":
		return metaAll, true
	case "MAJORITY":
		return metaMajority, true
	}
	return 0, false
}

// threshold is how many of n sub-policies the rule needs, as Fabric's
// common/policies/implicitmeta.go computes it: 1 for ANY, n for ALL,
// n/2+1 for MAJORITY, and 0 for every rule when there are no
// sub-policies, so that an implicit-meta policy over no child group is
// satisfied by any set of signatures, none included.
func (r metaRule) threshold(n int) int {
	if n == 0 {
		return 0
	}
	switch r {
	case metaAny:
		return 1
	case metaAll:
		return n
	case metaMajority:
		return n/2 + 1
	}
	return n + 1 // not reached: rules are checked when parsed
}

// parseImplicitMeta decodes a marshalled common.ImplicitMetaPolicy. Rules
// other than ANY, ALL and MAJORITY, and sub-policy names that are empty or
// hold blanks, are refused (Fabric would give an unknown rule threshold 0).
func parseImplicitMeta(b []byte) (metaRule, string, error) {
	var im cb.ImplicitMetaPolicy
	if err := proto.Unmarshal(b, &im); err != nil {
		return 0, "", fmt.Errorf("implicit meta policy: %v", err)
	}
	var rule metaRule
	switch im.Rule {
	case cb.ImplicitMetaPolicy_ANY:
		rule = metaAny
	case cb.ImplicitMetaPolicy_ALL:
		rule = metaAll
	case cb.ImplicitMetaPolicy_MAJORITY:
		rule = metaMajority
	default:
		return 0, "", fmt.Errorf("implicit meta rule %d", im.Rule)
	}
	if !validSubPolicy(im.SubPolicy) {
		return 0, "", fmt.Errorf("implicit meta sub-policy %q", im.SubPolicy)
	}
	return rule, im.SubPolicy, nil
}

func validSubPolicy(s string) bool { return s != "" && !strings.ContainsAny(s, " \t\r\n") }

// parseMetaText reads an implicit-meta policy in text form, "ANY Writers".
func parseMetaText(s string) (metaRule, string, error) {
	ruleText, sub, ok := strings.Cut(s, " ")
	rule, rok := parseMetaRule(ruleText)
	if !ok || !rok || !validSubPolicy(sub) {
		return 0, "", fmt.Errorf("implicit meta policy %q", s)
	}
	return rule, sub, nil
}

// childKind is what one child group's sub-policy of an implicit-meta
// policy is, as Fabric's policy manager resolves it.
type childKind uint8

const (
	// childMissing: the group lacks the sub-policy. Fabric's GetPolicy
	// then returns a policy that rejects everything; the child still
	// counts in the total.
	childMissing childKind = iota
	// childSignature: a signature policy, evaluated over the signers.
	childSignature
	// childVacuous: an implicit-meta policy of an organization group.
	// Fabric evaluates it over the organization's sub-groups, and
	// channelconfig allows an organization none, so its threshold is 0
	// and every set of signatures satisfies it.
	childVacuous
	// childUnverifiable: the organization's MSP is Idemix, whose
	// identities this package cannot validate. It counts in the total and
	// is never satisfied here, whatever its policy says (stricter than
	// Fabric, which may accept Idemix endorsements).
	childUnverifiable
)

// child is the sub-policy of one child group of an implicit-meta policy.
type child struct {
	kind childKind
	sig  *node // for childSignature
}

func (c child) satisfiedBy(ids []*identity) bool {
	switch c.kind {
	case childSignature:
		return c.sig.satisfiedBy(ids)
	case childVacuous:
		return true
	}
	return false
}

// metaPolicy is an implicit-meta policy: rule over the sub-policy named
// sub of every child group, each child counted whether it has the
// sub-policy or not.
type metaPolicy struct {
	rule     metaRule
	sub      string
	children []child
}

func (p *metaPolicy) satisfiedBy(ids []*identity) bool {
	need := p.rule.threshold(len(p.children))
	got := 0
	for _, c := range p.children {
		if got >= need {
			break
		}
		if c.satisfiedBy(ids) {
			got++
		}
	}
	return got >= need
}

// policy is a channel policy: a signature policy, or an implicit-meta
// policy over the same-named policies of the child groups.
type policy struct {
	sig  *node
	meta *metaPolicy
}

func (p *policy) satisfiedBy(ids []*identity) bool {
	if p.sig != nil {
		return p.sig.satisfiedBy(ids)
	}
	return p.meta.satisfiedBy(ids)
}

func (p *policy) String() string {
	if p.sig != nil {
		return p.sig.String()
	}
	return p.meta.rule.String() + " " + p.meta.sub
}
