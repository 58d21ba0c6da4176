package fabric

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"fmt"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// Block is a block that VerifyBlock accepted: its header links as asked,
// its data hash covers its envelopes, and orderers of the trusted config
// signed its header as the BlockValidation policy (and, for BFT, the quorum)
// requires. The transactions are decoded but not verified: see Tx and
// VerifyTransaction. A Block is read-only and owns no buffer of the caller.
type Block struct {
	Number       uint64
	PreviousHash []byte
	DataHash     []byte
	Hash         []byte // SHA-256 of the DER header: the next block's PreviousHash
	LastConfig   uint64 // the signed index of the config block it was cut under
	Signers      []Signer
	Txs          []Tx

	// Config is set for a config block: the channel config it installs,
	// already checked (by VerifyBlock on each config block in order). Blocks after it verify against it.
	Config *TrustedConfig
}

// Signer is an orderer whose valid signature VerifyBlock counted.
type Signer struct {
	MSPID       string
	ConsenterID uint32 // BFT consenter ID; 0 on other consensus types
	Cert        *x509.Certificate
}

// Block metadata indexes (common.BlockMetadataIndex).
const (
	metaSignatures = 0
	metaTxFilter   = 2
)

// maxOrdererSignatures bounds the signatures VerifyBlock looks at on a
// non-BFT channel (a Raft block carries one); on a BFT channel the bound is
// the number of consenters.
const maxOrdererSignatures = 32

// VerifyBlock verifies a marshalled common.Block against the trusted config
// and returns it decoded. prevHash is the hash of the block before it (the
// previous Block.Hash) or nil when the caller has none, in which case the
// block is not linked to anything. Checks, in this order, so that junk costs
// little and attacker-sized input is parsed last:
//
//  1. decode the block, header and signature metadata (ErrDecode; at most
//     128 MiB);
//  2. previous hash equals prevHash (ErrBrokenLink);
//  3. the block is above the trusted config block and its signed last-config
//     index is the trusted config block, or for a config block itself, as
//     Fabric's orderers write it (ErrStaleConfig);
//  4. DataHash = SHA-256(envelope 0 ‖ envelope 1 ‖ …) (ErrDataHash): the
//     orderers sign only the header, so this is what binds the transactions;
//  5. orderer signatures over value ‖ signature_header ‖ DER(header) (Raft)
//     or value ‖ identifier_header ‖ DER(header) (BFT): signers must be
//     orderers of an orderer org whose certificates validate (ErrNotOrderer,
//     ErrUnknownMSP, ErrCertChain), signatures must verify
//     (ErrOrdererSignature), and the valid signers must satisfy
//     BlockValidation and, for BFT, be a quorum of distinct consenters
//     (ErrBlockPolicy);
//  6. decode the transactions; one that names another channel rejects the
//     block (ErrWrongChannel), one that does not decode is kept with its
//     DecodeError;
//  7. for a config block, the CONFIG envelope must be signed by an orderer
//     (ErrConfigUpdate), and its config update must be one a Fabric peer
//     accepts: the next config sequence, a read set that matches the
//     trusted config, a write set that changes versions by one, exactly
//     the block's config as the result, and the signatures each changed
//     element's mod_policy requires (ErrConfigUpdate and its refinements
//     ErrConfigReadSet, ErrConfigWriteSet, ErrConfigResult, ErrModPolicy;
//     ErrBadConfig when trusted lacks its full config, see
//     WithConfigBlock). Only then is Block.Config set.
//
// Signatures that fail are ignored when the valid ones still satisfy the
// policy, as Fabric does; otherwise the first failure is the reason. The
// validation flags (metadata[TRANSACTIONS_FILTER]) and the other metadata
// entries are not signed and not checked; they are copied into Tx.Validation.
func VerifyBlock(trusted *TrustedConfig, prevHash []byte, block []byte) (*Block, error) {
	return verifyBlock(trusted, prevHash, block, false)
}

// verifyBlock is VerifyBlock; with linkConfig and no prevHash, a block that
// directly follows the trusted config block must link to it.
func verifyBlock(trusted *TrustedConfig, prevHash []byte, block []byte, linkConfig bool) (*Block, error) {
	if trusted == nil || trusted.blockPolicy == nil {
		return nil, &VerifyError{Reason: reason(ErrBadConfig, "no trusted config")}
	}
	b, raw, err := decodeBlock(block)
	if err != nil {
		var num uint64
		if b != nil {
			num = b.Number
		}
		return nil, &VerifyError{Block: num, Reason: err}
	}
	fail := func(err error) (*Block, error) { return nil, &VerifyError{Block: b.Number, Reason: err} }

	if prevHash == nil && linkConfig && b.Number == trusted.Number()+1 {
		prevHash = trusted.st.Hash
	}
	if prevHash != nil && !bytes.Equal(b.PreviousHash, prevHash) {
		return fail(reason(ErrBrokenLink, "previous hash %x, want %x", b.PreviousHash, prevHash))
	}
	if b.Number <= trusted.Number() {
		return fail(reason(ErrStaleConfig, "block %d is not above the trusted config block %d", b.Number, trusted.Number()))
	}
	isConfig := raw.configTx
	if want := trusted.Number(); isConfig && b.LastConfig != b.Number {
		return fail(reason(ErrStaleConfig, "config block names config block %d as its last config, not itself", b.LastConfig))
	} else if !isConfig && b.LastConfig != want {
		return fail(reason(ErrStaleConfig, "block was cut under config block %d, trusted config is block %d", b.LastConfig, want))
	}
	h := sha256.New()
	for _, env := range raw.envelopes {
		h.Write(env)
	}
	if sum := h.Sum(nil); !bytes.Equal(sum, b.DataHash) {
		return fail(reason(ErrDataHash, "header says %x, envelopes hash to %x", b.DataHash, sum))
	}
	if !isConfig {
		// The data hash covers the envelopes' concatenation, not where one
		// ends: bind the boundaries as Fabric's peers do.
		if err := wellFormed(raw.envelopes); err != nil {
			return fail(err)
		}
	}
	if b.Signers, err = verifyOrdererSignatures(trusted, raw); err != nil {
		return fail(err)
	}
	b.Txs = make([]Tx, len(raw.envelopes))
	for i, env := range raw.envelopes {
		flag := TxNotValidated
		if len(raw.flags) == len(raw.envelopes) {
			flag = ValidationCode(raw.flags[i])
		}
		var pre *envelopeParts
		if i == 0 {
			pre = raw.first
		}
		if b.Txs[i], err = parseTx(i, env, pre, flag, trusted); err != nil {
			return fail(err)
		}
		if !isConfig && b.Txs[i].Type == TxConfig {
			// A peer applies a CONFIG envelope wherever it stands; only a
			// block of that one envelope is verified as a config block.
			return fail(reason(ErrDecode, "transaction %d of %d is a CONFIG transaction, which a config block must hold alone", i, len(raw.envelopes)))
		}
	}
	if isConfig {
		if b.Config, err = verifyConfigTx(trusted, b); err != nil {
			return nil, &VerifyError{Block: b.Number, TxID: b.Txs[0].ID, Reason: err}
		}
	}
	return b, nil
}

// wellFormed applies Fabric's check of a block's envelopes
// (protoutil.VerifyTransactionsAreWellFormed): each decodes as an
// Envelope with a payload and a signature and re-encodes to exactly its
// bytes. Without it, one ordered envelope could be re-split into several
// under the same data hash and the same orderer signatures.
func wellFormed(envs [][]byte) error {
	for i, raw := range envs {
		var env cb.Envelope
		if err := proto.Unmarshal(raw, &env); err != nil {
			return reason(ErrDecode, "transaction %d is not an envelope: %v", i, err)
		}
		if len(env.GetPayload()) == 0 || len(env.GetSignature()) == 0 {
			return reason(ErrDecode, "transaction %d has no payload or no signature", i)
		}
		again, err := proto.Marshal(&env)
		if err != nil {
			return reason(ErrDecode, "transaction %d: %v", i, err)
		}
		if !bytes.Equal(again, raw) {
			return reason(ErrDecode, "transaction %d is not in the form Fabric re-encodes it to (%d bytes, re-encoded %d)", i, len(raw), len(again))
		}
	}
	return nil
}

// rawBlock holds the parts of a block that verification reads as bytes.
type rawBlock struct {
	header    []byte // DER header
	envelopes [][]byte
	flags     []byte
	sigValue  []byte // Metadata.value of metadata[SIGNATURES]
	sigs      []*cb.MetadataSignature
	configTx  bool           // the block's only envelope is a CONFIG transaction
	first     *envelopeParts // envelope 0 decoded, for a block of one envelope
}

// decodeBlock decodes the block structure and the signature metadata. It
// reads the envelopes only as far as needed to tell a config block.
func decodeBlock(block []byte) (*Block, *rawBlock, error) {
	if len(block) > maxBlockBytes {
		return nil, nil, reason(ErrDecode, "block of %d bytes is larger than %d", len(block), maxBlockBytes)
	}
	// One copy, which the Block and its transactions slice: they own no
	// buffer of the caller.
	pb, err := decodeWireBlock(bytes.Clone(block))
	if err != nil {
		return nil, nil, reason(ErrDecode, "%v", err)
	}
	if !pb.header {
		return nil, nil, reason(ErrDecode, "block has no header")
	}
	b := &Block{Number: pb.number, PreviousHash: pb.previousHash, DataHash: pb.dataHash}
	if len(pb.envelopes) == 0 {
		return b, nil, reason(ErrDecode, "block has no transactions")
	}
	md := pb.metadata
	if len(md) <= metaSignatures {
		return b, nil, reason(ErrDecode, "block has no signature metadata")
	}
	hdr, err := headerBytes(b.Number, b.PreviousHash, b.DataHash)
	if err != nil {
		return b, nil, reason(ErrDecode, "header: %v", err)
	}
	sum := sha256.Sum256(hdr)
	b.Hash = sum[:]
	raw := &rawBlock{header: hdr, envelopes: pb.envelopes}
	if len(md) > metaTxFilter {
		raw.flags = md[metaTxFilter]
	}
	var m cb.Metadata
	if err := proto.Unmarshal(md[metaSignatures], &m); err != nil {
		return b, nil, reason(ErrDecode, "signature metadata: %v", err)
	}
	raw.sigValue, raw.sigs = m.Value, m.Signatures
	var obm cb.OrdererBlockMetadata
	if err := proto.Unmarshal(m.Value, &obm); err != nil {
		return b, nil, reason(ErrDecode, "orderer block metadata: %v", err)
	}
	b.LastConfig = obm.GetLastConfig().GetIndex()
	if len(raw.envelopes) == 1 {
		raw.first = decodeEnvelope(raw.envelopes[0])
		raw.configTx = raw.first.err == "" && TxType(raw.first.ch.Type) == TxConfig
	}
	return b, raw, nil
}

// sigEntry is one orderer signature after the cheap checks.
type sigEntry struct {
	index     int
	id        *identity
	consenter uint32
	signed    [][]byte
	sig       []byte
}

// verifyOrdererSignatures checks metadata[SIGNATURES] and returns the
// orderers that signed validly.
func verifyOrdererSignatures(tc *TrustedConfig, raw *rawBlock) ([]Signer, error) {
	bft := tc.BFT()
	limit := maxOrdererSignatures
	if bft {
		limit = len(tc.consenters)
	}
	if len(raw.sigs) == 0 {
		return nil, reason(ErrOrdererSignature, "the block carries no orderer signature")
	}
	if len(raw.sigs) > limit {
		return nil, reason(ErrBlockPolicy, "%d signatures, at most %d possible signers", len(raw.sigs), limit)
	}
	var firstErr error
	note := func(i int, msp string, err error) {
		if firstErr == nil {
			firstErr = &SignatureError{Kind: OrdererSig, Index: i, MSPID: msp, Reason: err}
		}
	}
	// Pass 1: resolve every signer without checking a signature.
	var entries []sigEntry
	claimed := map[uint32]bool{}
	for i, s := range raw.sigs {
		if bft && len(s.SignatureHeader) == 0 && len(s.IdentifierHeader) > 0 {
			var ih cb.IdentifierHeader
			if err := proto.Unmarshal(s.IdentifierHeader, &ih); err != nil {
				note(i, "", reason(ErrDecode, "identifier header: %v", err))
				continue
			}
			c := tc.consenters[ih.Identifier]
			if c == nil {
				note(i, "", reason(ErrNotOrderer, "consenter id %d is not in the channel config", ih.Identifier))
				continue
			}
			if c.id == nil {
				note(i, c.st.MSP, c.err)
				continue
			}
			claimed[c.st.ID] = true
			entries = append(entries, sigEntry{index: i, id: c.id, consenter: c.st.ID,
				signed: [][]byte{raw.sigValue, s.IdentifierHeader, raw.header}, sig: s.Signature})
			continue
		}
		var sh cb.SignatureHeader
		if err := proto.Unmarshal(s.SignatureHeader, &sh); err != nil {
			note(i, "", reason(ErrDecode, "signature header: %v", err))
			continue
		}
		sg := tc.signerOf(sh.Creator)
		mspID := sg.msp
		if sg.err != nil {
			note(i, mspID, sg.err)
			continue
		}
		id, err := tc.ordererSigner(sg)
		if err != nil {
			note(i, mspID, err)
			continue
		}
		e := sigEntry{index: i, id: id, signed: [][]byte{raw.sigValue, s.SignatureHeader, raw.header}, sig: s.Signature}
		if bft {
			c := tc.consenterByCert(id.fp)
			if c == nil {
				note(i, mspID, reason(ErrNotOrderer, "signer %q is not a consenter", id.cert.Subject.CommonName))
				continue
			}
			e.consenter = c.st.ID
			claimed[c.st.ID] = true
		}
		entries = append(entries, e)
	}
	quorum := tc.Quorum()
	shortOf := func(have int) error {
		if firstErr != nil {
			return firstErr
		}
		return reason(ErrBlockPolicy, "%d distinct consenters signed, the quorum of %d is %d", have, len(tc.consenters), quorum)
	}
	if bft && len(claimed) < quorum {
		return nil, shortOf(len(claimed))
	}
	// Pass 2: the signatures.
	var valid []*identity
	var signers []Signer
	signedBy := map[uint32]bool{}
	for _, e := range entries {
		if err := e.id.verify(e.sig, e.signed...); err != nil {
			note(e.index, e.id.msp.id, reason(ErrOrdererSignature, "%v", err))
			continue
		}
		valid = append(valid, e.id)
		if bft {
			if signedBy[e.consenter] {
				continue
			}
			signedBy[e.consenter] = true
		}
		signers = append(signers, Signer{MSPID: e.id.msp.id, ConsenterID: e.consenter, Cert: e.id.cert})
	}
	if bft && len(signedBy) < quorum {
		return nil, shortOf(len(signedBy))
	}
	if !tc.blockPolicy.satisfiedBy(dedupe(valid)) {
		if firstErr != nil {
			return nil, firstErr
		}
		return nil, reason(ErrBlockPolicy, "%d valid signatures do not satisfy %s", len(valid), tc.blockPolicy)
	}
	return signers, nil
}

func (tc *TrustedConfig) consenterByCert(fp [32]byte) *consenter {
	for _, c := range tc.consenters {
		if c.id != nil && c.id.fp == fp {
			return c
		}
	}
	return nil
}

// verifyConfigTx checks the CONFIG transaction of a config block and returns
// the config it installs.
func verifyConfigTx(tc *TrustedConfig, b *Block) (*TrustedConfig, error) {
	t := &b.Txs[0]
	if t.DecodeError != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfigUpdate, t.DecodeError)
	}
	if t.creator.err != nil {
		return nil, fmt.Errorf("%w: creator: %v", ErrConfigUpdate, t.creator.err)
	}
	id, err := tc.ordererSigner(t.creator)
	if err != nil {
		return nil, fmt.Errorf("%w: the CONFIG envelope is not signed by an orderer: %v", ErrConfigUpdate, err)
	}
	if err := id.verify(t.signature, t.payload); err != nil {
		return nil, fmt.Errorf("%w: CONFIG envelope signature: %v", ErrConfigUpdate, err)
	}
	if err := validateConfigUpdate(tc, t.data); err != nil {
		return nil, err
	}
	next, err := configFromEnvelope(t.data, tc.ChannelID(), b.Number, b.Hash)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfigUpdate, err)
	}
	migration := false
	if tc.full != nil {
		caps, _ := channelCapabilities(tc.full.GetChannelGroup().GetValues()[valueCapabilities])
		migration = caps.orgEndpoints // V1_4_2 and later (ConsensusTypeMigration)
	}
	if err := checkSuccessor(&tc.st, &next.st, migration); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfigResult, err)
	}
	return next, nil
}

// BlockNumber returns the number in a marshalled block's header without
// verifying anything, for callers that must pick the previous hash before
// calling VerifyBlock. Errors wrap ErrDecode.
func BlockNumber(block []byte) (uint64, error) {
	var header []byte
	found := false
	err := walkFields("Block", block, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
		if num == 1 && typ == protowire.BytesType { // Block.header; a later one would be merged
			header, found = append(header, val...), true
		}
		return nil
	})
	if err != nil || !found {
		return 0, reason(ErrDecode, "no block header")
	}
	var number uint64
	err = walkFields("BlockHeader", header, func(num protowire.Number, typ protowire.Type, _ []byte, v uint64) error {
		if num == 1 && typ == protowire.VarintType {
			number = v
		}
		return nil
	})
	if err != nil {
		return 0, reason(ErrDecode, "%v", err)
	}
	return number, nil
}
