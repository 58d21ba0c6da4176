package fabric

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every failure of VerifyBlock and VerifyTransaction is
// a *VerifyError whose Reason wraps exactly one of these
// (signature failures through a *SignatureError, config update failures
// through a *ConfigElementError; ErrConfigReadSet, ErrConfigWriteSet,
// ErrModPolicy and ErrConfigResult also match ErrConfigUpdate); ParseConfigBlock and
// TrustedConfig.UnmarshalJSON wrap ErrBadConfig. Test with errors.Is, read
// the fields with errors.As.
//
// None of them is transient: verification is a pure function of its inputs,
// so the same bytes give the same answer. A rejected block or transaction is
// malformed, forged, from another channel, or not provable from the trusted
// config; drop it, and fetch it again from another peer if you think the
// source was faulty. A rejection says nothing about whether the transaction
// landed on the ledger: a peer that serves a tampered block may still have
// committed the real one (see ErrTxInvalid for the one case where the ledger
// itself says "not applied").
var (
	// ErrBadConfig means a config block could not be turned into a trust
	// anchor (malformed, not a config block, an unsupported policy or MSP
	// type), or a TrustedConfig is unusable (nil, or its JSON does not
	// validate). Fix the anchor; nothing verifies against it.
	ErrBadConfig = errors.New("fabric: unusable channel config")

	// ErrDecode means the block, an envelope or a message inside it does not
	// decode, is too large, or is missing a mandatory part.
	ErrDecode = errors.New("fabric: malformed block")

	// ErrStaleConfig means the block was cut under another channel config
	// than the trusted one: its number is not above the config block's, or
	// its signed last-config index names another config block. Advance the
	// trusted config with VerifyBlock over the config blocks in between.
	ErrStaleConfig = errors.New("fabric: block was not cut under the trusted config")

	// ErrBrokenLink means the block's previous hash is not the hash the
	// caller expected, or consecutive blocks did not link.
	// The block belongs to another fork, channel or position.
	ErrBrokenLink = errors.New("fabric: previous hash does not link")

	// ErrDataHash means the header's data hash is not SHA-256 over the
	// concatenated envelopes: the transactions were changed after the
	// orderers signed the header.
	ErrDataHash = errors.New("fabric: data hash does not match the envelopes")

	// ErrOrdererSignature means an orderer signature does not verify (bad
	// encoding, high S, wrong key, or signed over other bytes), or the block
	// carries no usable signature.
	ErrOrdererSignature = errors.New("fabric: invalid orderer signature")

	// ErrNotOrderer means a block signer is not an orderer of the channel:
	// its MSP is not an orderer organization, it lacks the orderer OU of an
	// MSP with NodeOUs, or (BFT) its identifier names no consenter.
	ErrNotOrderer = errors.New("fabric: block signer is not an orderer")

	// ErrBlockPolicy means the valid orderer signatures do not satisfy the
	// channel's /Channel/Orderer/BlockValidation policy, or (BFT) come from
	// fewer than a quorum of distinct consenters.
	ErrBlockPolicy = errors.New("fabric: orderer signatures do not satisfy the block validation policy")

	// ErrWrongChannel means an envelope of the block names another channel
	// than the trusted one. The orderer signature does not name the channel,
	// so this is what stops a block of another channel served by the same
	// orderers.
	ErrWrongChannel = errors.New("fabric: transaction of another channel")

	// ErrConfigUpdate means a config block of the chain is not a valid
	// successor of the trusted config: its CONFIG envelope is not signed by
	// an orderer, its sequence is not the next one, it carries no config
	// update (last_update) or one for another channel, or the new config
	// does not parse. The four errors below refine it: errors.Is matches
	// ErrConfigUpdate for them too. Whoever made such a block did not follow
	// Fabric's rules for changing a channel; do not trust the config it
	// installs, nor any block cut under it.
	ErrConfigUpdate = errors.New("fabric: invalid config update")

	// ErrConfigReadSet means the config update's read set names an element
	// the trusted config lacks, or at another version: the update was made
	// against another config than the trusted one (a replayed or stale
	// update). A *ConfigElementError names the element.
	ErrConfigReadSet = fmt.Errorf("%w: read set does not match the trusted config", ErrConfigUpdate)

	// ErrConfigWriteSet means the config update's write set is not a valid
	// change of the trusted config: it changes nothing, a changed element's
	// version is not its trusted version plus one, a new element's is not
	// 0, an element's mod_policy or name is malformed, or a group names a
	// member that exists nowhere. A *ConfigElementError names the element.
	ErrConfigWriteSet = fmt.Errorf("%w: write set is not a valid change of the trusted config", ErrConfigUpdate)

	// ErrModPolicy means the signatures on the config update (its
	// ConfigUpdateEnvelope) do not satisfy the mod_policy that an element
	// it changes has in the trusted config: the admins who may change that
	// element did not sign. This is what an ordering service that rewrites
	// the config on its own produces. A *ConfigElementError names the
	// element and its mod_policy.
	ErrModPolicy = fmt.Errorf("%w: mod_policy not satisfied", ErrConfigUpdate)

	// ErrConfigResult means the config in the block is not the trusted
	// config with the update applied: an element changed, appeared or
	// disappeared outside the write set. A *ConfigElementError names the
	// first such element.
	ErrConfigResult = fmt.Errorf("%w: the block's config is not the update applied to the trusted config", ErrConfigUpdate)

	// ErrNoSuchTx means the transaction index is outside the block.
	ErrNoSuchTx = errors.New("fabric: no such transaction")

	// ErrNotEndorserTx means the transaction is not an endorser
	// (chaincode) transaction, so it has no endorsements to check.
	ErrNotEndorserTx = errors.New("fabric: not an endorser transaction")

	// ErrTxInvalid means the peers' validation flag for the transaction is
	// not VALID (or is missing). The flag is not signed, so this rejection
	// could be a lie of the block's source; but a VALID flag proves nothing
	// either, which is why VerifyTransaction re-checks the endorsements.
	ErrTxInvalid = errors.New("fabric: transaction not flagged valid")

	// ErrTxID means the transaction ID is not hex(SHA-256(nonce ‖ creator)).
	ErrTxID = errors.New("fabric: transaction id does not match nonce and creator")

	// ErrProposalHash means the endorsed proposal response was not made
	// for this transaction's header and proposal (its proposal hash differs),
	// or the action header differs from the envelope's signature header.
	ErrProposalHash = errors.New("fabric: endorsements are for another proposal")

	// ErrUnknownMSP means an identity names an MSP that the trusted config
	// does not define (or that this package cannot verify, such as Idemix).
	ErrUnknownMSP = errors.New("fabric: unknown MSP")

	// ErrCertChain means an identity's certificate does not parse, does
	// not chain to its MSP's root (through its intermediate) CAs, is a CA
	// itself, is revoked, or lacks the organizational units the MSP
	// requires.
	ErrCertChain = errors.New("fabric: identity does not validate against its MSP")

	// ErrCreatorSignature means the creator's signature over the envelope
	// payload does not verify.
	ErrCreatorSignature = errors.New("fabric: invalid creator signature")

	// ErrNotPeer means an endorser of an MSP with NodeOUs lacks the peer OU.
	ErrNotPeer = errors.New("fabric: endorser is not a peer")

	// ErrEndorsementSignature means an endorsement's signature over
	// proposal_response_payload ‖ endorser does not verify.
	ErrEndorsementSignature = errors.New("fabric: invalid endorsement signature")

	// ErrEndorsementPolicy means the transaction's valid endorsements do
	// not satisfy the endorsement policy the caller gave, or the policy is
	// unusable (zero value, or it names no application organization).
	ErrEndorsementPolicy = errors.New("fabric: endorsement policy not satisfied")
)

// VerifyError is the error VerifyBlock and VerifyTransaction return.
// Block is the number of the rejected block (0 if its header did not
// decode); TxID is set when one transaction was rejected (it may be empty
// for a transaction whose header did not decode); Reason wraps one sentinel.
type VerifyError struct {
	Block  uint64
	TxID   string
	Reason error
}

// Error reads like "fabric: block 9 tx 14af…: endorsement 1 (Org2MSP):
// fabric: invalid endorsement signature".
func (e *VerifyError) Error() string {
	if e.TxID != "" {
		return fmt.Sprintf("fabric: block %d tx %s: %v", e.Block, e.TxID, e.Reason)
	}
	return fmt.Sprintf("fabric: block %d: %v", e.Block, e.Reason)
}

// Unwrap returns Reason.
func (e *VerifyError) Unwrap() error { return e.Reason }

// SignatureError says which signature of a block or transaction failed. It
// appears inside VerifyError.Reason for the orderer signatures
// (ErrOrdererSignature, ErrNotOrderer, ErrUnknownMSP, ErrCertChain) and the
// endorsements (ErrEndorsementSignature, ErrNotPeer, ErrUnknownMSP,
// ErrCertChain).
type SignatureError struct {
	Kind   SignatureKind
	Index  int    // position in the block's signature list or the endorsement list
	MSPID  string // the signer's MSP, if it decoded
	Reason error
}

// SignatureKind names what a SignatureError is about.
type SignatureKind uint8

// The kinds of signature a block carries.
const (
	OrdererSig     SignatureKind = iota + 1 // an entry of metadata[SIGNATURES]
	EndorsementSig                          // an endorsement of a transaction
	CreatorSig                              // the envelope's creator signature
)

func (k SignatureKind) String() string {
	switch k {
	case OrdererSig:
		return "orderer signature"
	case EndorsementSig:
		return "endorsement"
	case CreatorSig:
		return "creator"
	}
	return "signature"
}

// Error reads like "endorsement 1 (Org2MSP): fabric: invalid endorsement
// signature".
func (e *SignatureError) Error() string {
	if e.Kind == CreatorSig {
		return fmt.Sprintf("creator (%s): %v", e.MSPID, e.Reason)
	}
	if e.MSPID != "" {
		return fmt.Sprintf("%v %d (%s): %v", e.Kind, e.Index, e.MSPID, e.Reason)
	}
	return fmt.Sprintf("%v %d: %v", e.Kind, e.Index, e.Reason)
}

// Unwrap returns Reason.
func (e *SignatureError) Unwrap() error { return e.Reason }

// ConfigElementError names the element of a channel config that a config
// update fails on. It appears inside VerifyError.Reason for
// ErrConfigReadSet, ErrConfigWriteSet, ErrModPolicy and ErrConfigResult.
type ConfigElementError struct {
	// Element is the kind and path of the element, e.g. "value
	// /Channel/Application/Org1MSP/MSP" or "group /Channel/Application".
	Element string
	// ModPolicy is the element's mod_policy in the trusted config as
	// written ("Admins"), "" for an element the trusted config lacks.
	ModPolicy string
	// Policy is ModPolicy resolved to an absolute path the way Fabric
	// resolves it ("/Channel/Application/Org1MSP/Admins"), "" where it
	// does not resolve or was not needed.
	Policy string
	// Reason wraps one of the sentinels above.
	Reason error
}

// Error reads like "value /Channel/Application/Org1MSP/MSP (mod_policy
// Admins = /Channel/Application/Org1MSP/Admins): fabric: invalid config
// update: mod_policy not satisfied: …".
func (e *ConfigElementError) Error() string {
	s := e.Element
	switch {
	case e.ModPolicy != "" && e.Policy != "" && e.Policy != e.ModPolicy:
		s += fmt.Sprintf(" (mod_policy %s = %s)", e.ModPolicy, e.Policy)
	case e.ModPolicy != "":
		s += fmt.Sprintf(" (mod_policy %s)", e.ModPolicy)
	}
	return s + ": " + e.Reason.Error()
}

// Unwrap returns Reason.
func (e *ConfigElementError) Unwrap() error { return e.Reason }

// reason builds a Reason that wraps sentinel with a detail message.
func reason(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))
}
