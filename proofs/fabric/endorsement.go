package fabric

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// EndorsementPolicy is the rule a transaction's endorsements must satisfy,
// re-checked by VerifyTransaction because the peers' VALID flag is not
// signed. It is either an implicit rule over the channel's application
// organizations, or a signature policy over principals
// (ParseEndorsementPolicy).
//
// The implicit rules (AnyOrg, MajorityOrgs, AllOrgs) are evaluated as
// Fabric evaluates the implicit-meta policy "ANY/MAJORITY/ALL Endorsement"
// at /Channel/Application: over every application organization of the
// config, each counting when the endorsements satisfy its own Endorsement
// policy. Of n organizations ANY needs 1, MAJORITY n/2+1 and ALL n. An
// organization whose group has no Endorsement policy still counts in n and
// is never satisfied; one whose MSP is Idemix (which this package cannot
// verify) counts in n and is never satisfied here; one whose Endorsement
// policy is itself implicit-meta is satisfied by anything, as in Fabric
// (an organization has no sub-groups to evaluate it over). A channel whose
// Application group holds no organization satisfies every implicit rule
// with no endorsement, as Fabric does (threshold 0); one with no
// Application group satisfies none.
//
// Use the policy of the chaincode whose writes you rely on: Fabric keeps
// chaincode endorsement policies in the chaincode definitions (the
// _lifecycle namespace), not in the channel config, so the caller has to
// supply it. The channel default is MajorityOrgs ("MAJORITY Endorsement").
// The zero value satisfies nothing.
type EndorsementPolicy struct {
	meta metaRule
	sig  *node
}

// AnyOrg is satisfied by the endorsement of one application organization
// ("ANY Endorsement").
func AnyOrg() EndorsementPolicy { return EndorsementPolicy{meta: metaAny} }

// MajorityOrgs is satisfied by more than half of the application
// organizations, Idemix ones and ones without an Endorsement policy
// counted, like Fabric's default "MAJORITY Endorsement".
func MajorityOrgs() EndorsementPolicy { return EndorsementPolicy{meta: metaMajority} }

// AllOrgs is satisfied by every application organization ("ALL
// Endorsement"); it cannot be met on a channel with an Idemix organization.
func AllOrgs() EndorsementPolicy { return EndorsementPolicy{meta: metaAll} }

// ParseEndorsementPolicy parses "any", "majority" or "all" (in any case,
// optionally followed by " Endorsement" as Fabric writes implicit-meta
// rules), or a signature policy in Fabric's policy language:
//
//	OutOf(2, 'Org1MSP.peer', 'Org2MSP.peer', 'Org3MSP.peer')
//	AND('Org1MSP.peer', OR('Org2MSP.peer', 'Org3MSP.member'))
//
// Principals are 'MSPID.role' with role member, admin, client, peer or
// orderer, or 'MSPID.cert:<hex SHA-256 of the DER certificate>' for one
// identity. OutOf needs a count of at least 1.
func ParseEndorsementPolicy(s string) (EndorsementPolicy, error) {
	t := strings.TrimSpace(s)
	word, rest, _ := strings.Cut(t, " ")
	if r, ok := parseMetaRule(word); ok && (rest == "" || strings.TrimSpace(rest) == policyEndorsement) {
		return EndorsementPolicy{meta: r}, nil
	}
	n, err := parseExpr(t)
	if err != nil {
		return EndorsementPolicy{}, fmt.Errorf("endorsement policy %q: %v", s, err)
	}
	return EndorsementPolicy{sig: n}, nil
}

// IsZero reports whether p is the zero value, which satisfies nothing.
func (p EndorsementPolicy) IsZero() bool { return p.meta == 0 && p.sig == nil }

// String returns the policy in the form ParseEndorsementPolicy reads:
// "any", "majority", "all" or a canonical expression.
func (p EndorsementPolicy) String() string {
	if p.sig != nil {
		return p.sig.String()
	}
	if p.meta == 0 {
		return ""
	}
	return strings.ToLower(p.meta.String())
}

// MarshalText implements encoding.TextMarshaler.
func (p EndorsementPolicy) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with
// ParseEndorsementPolicy.
func (p *EndorsementPolicy) UnmarshalText(b []byte) error {
	q, err := ParseEndorsementPolicy(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// satisfiedBy evaluates the policy over distinct endorser identities. The
// implicit rules are Fabric's implicit-meta policy "<RULE> Endorsement" of
// the Application group, over every application org (see metaPolicy).
func (p EndorsementPolicy) satisfiedBy(tc *TrustedConfig, ids []*identity) (bool, error) {
	if p.sig != nil {
		return p.sig.satisfiedBy(ids), nil
	}
	if p.meta == 0 {
		return false, errors.New("no endorsement policy given")
	}
	if tc.endorsement == nil {
		return false, errors.New("the channel config has no Application group")
	}
	m := metaPolicy{rule: p.meta, sub: policyEndorsement, children: tc.endorsement}
	return m.satisfiedBy(ids), nil
}

// VerifyTransaction verifies transaction txIndex of a block that VerifyBlock
// returned for the same trusted config, and returns it (a pointer into
// block, read-only). Checks, cheap ones first:
//
//  1. the index exists (ErrNoSuchTx), the transaction decoded (ErrDecode)
//     and is an endorser transaction (ErrNotEndorserTx);
//  2. its UNSIGNED validation flag is VALID (ErrTxInvalid);
//  3. tx ID = hex(SHA-256(nonce ‖ creator)) (ErrTxID);
//  4. the endorsed proposal response is for this transaction: the action
//     header is the envelope's signature header and the proposal hash is
//     SHA-256(channel header ‖ signature header ‖ proposal payload)
//     (ErrProposalHash);
//  5. the policy could be met if every endorsement were valid
//     (ErrEndorsementPolicy, before any signature is checked);
//  6. the creator's certificate validates against its MSP (ErrUnknownMSP,
//     ErrCertChain) and signed the payload (ErrCreatorSignature);
//  7. every endorsement: the endorser validates against its MSP and, if the
//     MSP uses NodeOUs, is a peer (ErrUnknownMSP, ErrCertChain, ErrNotPeer),
//     and signed proposal_response_payload ‖ endorser
//     (ErrEndorsementSignature) — one bad endorsement rejects the
//     transaction, although Fabric would ignore it;
//  8. the distinct endorsers satisfy policy (ErrEndorsementPolicy).
//
// What this cannot check is that the transaction won its MVCC race: a
// transaction the peers marked VALID but that in truth read stale state
// looks exactly the same. See the package documentation.
func VerifyTransaction(trusted *TrustedConfig, block *Block, txIndex int, policy EndorsementPolicy) (*Tx, error) {
	if trusted == nil || trusted.blockPolicy == nil {
		return nil, &VerifyError{Reason: reason(ErrBadConfig, "no trusted config")}
	}
	if block == nil {
		return nil, &VerifyError{Reason: reason(ErrDecode, "no block")}
	}
	if txIndex < 0 || txIndex >= len(block.Txs) {
		return nil, &VerifyError{Block: block.Number, Reason: reason(ErrNoSuchTx, "index %d of %d", txIndex, len(block.Txs))}
	}
	t := &block.Txs[txIndex]
	fail := func(err error) (*Tx, error) {
		return nil, &VerifyError{Block: block.Number, TxID: t.ID, Reason: err}
	}
	if policy.IsZero() {
		return fail(reason(ErrEndorsementPolicy, "no endorsement policy given"))
	}
	if t.DecodeError != nil {
		return fail(t.DecodeError)
	}
	if t.Type != TxEndorser {
		return fail(reason(ErrNotEndorserTx, "type %v", t.Type))
	}
	if t.Validation != TxValid {
		return fail(reason(ErrTxInvalid, "the peer flagged it %v", t.Validation))
	}
	for _, ns := range t.RWSet {
		// Each namespace written is validated under its own endorsement
		// policy, which the caller's policy (the invoked chaincode's) need
		// not be: a write elsewhere (_lifecycle, another chaincode) that
		// fails its policy invalidates the whole transaction.
		// (plugindispatcher.txWritesToNamespace: key, key-metadata and
		// private writes all count.)
		if (len(ns.Writes) > 0 || ns.otherWrites) && ns.Namespace != t.Chaincode.Name {
			return fail(reason(ErrEndorsementPolicy, "the transaction writes namespace %q, whose endorsement policy this verifier does not know (it invoked %q)", ns.Namespace, t.Chaincode.Name))
		}
	}
	for j := range txIndex {
		// The flag is unsigned; a repeated ID is decidable from the block
		// (a peer flags the later copy DUPLICATE_TXID).
		if block.Txs[j].ID == t.ID {
			return fail(reason(ErrTxInvalid, "transaction %d of the block has the same ID, so a peer flags this one DUPLICATE_TXID", j))
		}
	}
	sum := sha256.New()
	sum.Write(t.nonce)
	sum.Write(t.creator.sid)
	if want := hex.EncodeToString(sum.Sum(nil)); t.ID != want {
		return fail(reason(ErrTxID, "tx id %q, nonce and creator give %s", t.ID, want))
	}
	if string(t.actHeader) != string(t.shdr) {
		return fail(reason(ErrProposalHash, "the action header differs from the envelope's signature header"))
	}
	sum.Reset()
	sum.Write(t.chdr)
	sum.Write(t.shdr)
	sum.Write(t.propPayload)
	if got := sum.Sum(nil); string(got) != string(t.propHash) {
		return fail(reason(ErrProposalHash, "proposal hash %x, header and proposal give %x", t.propHash, got))
	}
	if ok, err := policy.satisfiedBy(trusted, t.claimedEndorsers(trusted)); err != nil || !ok {
		return fail(policyFailure(policy, err, t, "even if every endorsement were valid"))
	}

	if t.creator.err != nil {
		return fail(&SignatureError{Kind: CreatorSig, MSPID: t.Creator.MSPID, Reason: t.creator.err})
	}
	creator, err := trusted.identity(t.creator)
	if err != nil {
		return fail(&SignatureError{Kind: CreatorSig, MSPID: t.Creator.MSPID, Reason: err})
	}
	if err := creator.verify(t.signature, t.payload); err != nil {
		return fail(&SignatureError{Kind: CreatorSig, MSPID: t.Creator.MSPID, Reason: reason(ErrCreatorSignature, "%v", err)})
	}

	ids := make([]*identity, 0, len(t.Endorsements))
	for i := range t.Endorsements {
		e := &t.Endorsements[i]
		sigErr := func(err error) (*Tx, error) {
			return fail(&SignatureError{Kind: EndorsementSig, Index: i, MSPID: e.Endorser.MSPID, Reason: err})
		}
		if e.endorser.err != nil {
			return sigErr(e.endorser.err)
		}
		id, err := trusted.identity(e.endorser)
		if err != nil {
			return sigErr(err)
		}
		if id.msp.classifies(rolePeer) && !id.hasRole(rolePeer) {
			return sigErr(reason(ErrNotPeer, "%s identity %q lacks the peer OU", id.msp.id, id.cert.Subject.CommonName))
		}
		if err := id.verify(e.Signature, t.prp, e.endorser.sid); err != nil {
			return sigErr(reason(ErrEndorsementSignature, "%v", err))
		}
		ids = append(ids, id)
	}
	if ok, err := policy.satisfiedBy(trusted, dedupe(ids)); err != nil || !ok {
		return fail(policyFailure(policy, err, t, ""))
	}
	return t, nil
}

// claimedEndorsers returns the endorsers as the transaction names them,
// without checking signatures: an upper bound of what can satisfy a
// policy. An endorser whose certificate validated before is its cached
// identity; any other is provisional (its chain and the issuers of its OUs
// are not checked yet).
func (t *Tx) claimedEndorsers(tc *TrustedConfig) []*identity {
	var ids []*identity
	for _, e := range t.Endorsements {
		m := tc.msps[e.Endorser.MSPID]
		if e.endorser.err != nil || m == nil {
			continue
		}
		id := m.cached(e.endorser.der)
		if id == nil {
			id = provisionalIdentity(m, e.Endorser.Cert)
		}
		ids = append(ids, id)
	}
	return dedupe(ids)
}

func policyFailure(p EndorsementPolicy, err error, t *Tx, when string) error {
	if err != nil {
		return reason(ErrEndorsementPolicy, "%v", err)
	}
	var msps []string
	for _, e := range t.Endorsements {
		msps = append(msps, e.Endorser.MSPID)
	}
	msg := fmt.Sprintf("endorsements by [%s] do not satisfy %q", strings.Join(msps, ", "), p)
	if when != "" {
		msg += " " + when
	}
	return reason(ErrEndorsementPolicy, "%s", msg)
}
