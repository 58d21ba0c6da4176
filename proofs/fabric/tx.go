package fabric

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"google.golang.org/protobuf/encoding/protowire"
	"strconv"
	"time"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"google.golang.org/protobuf/proto"
)

// Tx is one transaction of a block that VerifyBlock accepted. VerifyBlock
// proves that the orderers ordered exactly these bytes on the trusted
// channel; it does not check the transaction itself. Only VerifyTransaction
// checks the creator, the transaction ID, the endorsements and the
// endorsement policy, so treat a Tx as unverified until it has returned it.
//
// Validation is the peer's verdict, copied from the block metadata. NOBODY
// SIGNS IT: whoever served the block can flip it. VerifyTransaction rejects
// a transaction whose flag is not VALID, and re-checks the endorsement
// policy because a VALID flag proves nothing.
//
// A Tx shares its byte slices with the Block; treat them as read-only.
type Tx struct {
	Index      int            // position in the block
	ID         string         // channel header tx_id
	Type       TxType         // channel header type
	Channel    string         // channel header channel_id
	Timestamp  time.Time      // channel header timestamp, as the client set it (zero if absent)
	Creator    Identity       // the submitting client (SignatureHeader.creator)
	Validation ValidationCode // UNSIGNED: the peer's flag from metadata[TRANSACTIONS_FILTER]

	// For endorser transactions: what the endorsers signed.
	Chaincode    ChaincodeID // the chaincode the proposal invoked
	Response     Response    // the chaincode's response
	Endorsements []Endorsement
	RWSet        []NsRWSet // the public read-write set, per namespace (writes only)

	// DecodeError is set when the transaction's content did not decode;
	// VerifyTransaction returns it. Fabric's peers flag such transactions
	// invalid, and the block stays usable.
	DecodeError error

	event *ChaincodeEvent

	// Raw parts for verification.
	payload     []byte // Envelope.payload, what the creator signed
	signature   []byte // Envelope.signature
	chdr        []byte // Payload.header.channel_header
	shdr        []byte // Payload.header.signature_header
	creator     signer // SignatureHeader.creator, decoded
	nonce       []byte // SignatureHeader.nonce
	data        []byte // Payload.data (a ConfigEnvelope for CONFIG)
	actHeader   []byte // TransactionAction.header
	propPayload []byte // ChaincodeActionPayload.chaincode_proposal_payload
	prp         []byte // ChaincodeEndorsedAction.proposal_response_payload
	propHash    []byte // ProposalResponsePayload.proposal_hash
}

// Identity is a signer as the block names it: an MSP ID and a certificate.
// Cert is nil when it did not parse. Nothing about an Identity is validated
// until VerifyTransaction (or VerifyBlock, for orderers) has accepted it.
// Cert may be shared with other blocks verified under the same config:
// treat it as read-only (writing to it changes no verification result).
type Identity struct {
	MSPID string
	Cert  *x509.Certificate
}

// Endorsement is one endorsement of a transaction.
type Endorsement struct {
	Endorser  Identity
	Signature []byte
	endorser  signer // the endorser's SerializedIdentity as signed, decoded
}

// ChaincodeID names a chaincode (protos.ChaincodeID).
type ChaincodeID struct {
	Name, Version, Path string
}

// Response is a chaincode's response to the proposal (protos.Response).
type Response struct {
	Status  int32
	Message string
	Payload []byte
}

// ChaincodeEvent is the event a chaincode set (protos.ChaincodeEvent).
type ChaincodeEvent struct {
	ChaincodeID string
	TxID        string
	Name        string
	Payload     []byte
}

// NsRWSet is the public read-write set of one namespace (a chaincode name,
// or _lifecycle). Only the writes are kept; reads and range queries are
// what the peers' MVCC check uses, and this package cannot redo that check.
type NsRWSet struct {
	Namespace string
	Writes    []Write
	// otherWrites: the namespace also has key-metadata writes or private
	// (collection) writes, which make it a written namespace to a peer.
	otherWrites bool
}

// Write is one key written (or deleted) by a transaction.
type Write struct {
	Key      string
	Value    []byte
	IsDelete bool
}

// Event returns the chaincode event of an endorser transaction and whether
// there is one. It is part of what the endorsers signed.
func (t *Tx) Event() (ChaincodeEvent, bool) {
	if t.event == nil {
		return ChaincodeEvent{}, false
	}
	return *t.event, true
}

// Write returns the value the transaction writes to key in namespace. ok is
// false when the key is not written, is deleted, or is written more than
// once (which Fabric's peers never produce).
func (t *Tx) Write(namespace, key string) (value []byte, ok bool) {
	n := 0
	for _, ns := range t.RWSet {
		if ns.Namespace != namespace {
			continue
		}
		for _, w := range ns.Writes {
			if w.Key == key {
				n++
				value, ok = w.Value, !w.IsDelete
			}
		}
	}
	if n != 1 {
		return nil, false
	}
	return value, ok
}

// HasWrite reports whether the transaction writes exactly value to key in
// namespace. Use it on a Tx that VerifyTransaction returned: for the records
// chaincode, HasWrite("records", "outbox/record/"+id, digest) proves that
// the endorsers agreed to commit the record's digest.
func (t *Tx) HasWrite(namespace, key string, value []byte) bool {
	v, ok := t.Write(namespace, key)
	return ok && bytes.Equal(v, value)
}

// TxType is the type of a transaction (common.HeaderType).
type TxType int32

// Transaction types that appear in blocks.
const (
	TxMessage      TxType = 0
	TxConfig       TxType = 1
	TxConfigUpdate TxType = 2
	TxEndorser     TxType = 3
)

func (t TxType) String() string {
	if n, ok := cb.HeaderType_name[int32(t)]; ok {
		return n
	}
	return "TYPE_" + strconv.Itoa(int(t))
}

// ValidationCode is a peer's verdict on a transaction
// (protos.TxValidationCode). It is NOT signed.
type ValidationCode uint8

// Some validation codes; String names all of Fabric's.
const (
	TxValid                    ValidationCode = 0
	TxEndorsementPolicyFailure ValidationCode = 10
	TxMVCCReadConflict         ValidationCode = 11
	TxPhantomReadConflict      ValidationCode = 12
	// TxNotValidated is also what a Tx gets when the block carries no flags.
	TxNotValidated ValidationCode = 254
)

var validationNames = map[ValidationCode]string{
	0: "VALID", 1: "NIL_ENVELOPE", 2: "BAD_PAYLOAD", 3: "BAD_COMMON_HEADER", 4: "BAD_CREATOR_SIGNATURE",
	5: "INVALID_ENDORSER_TRANSACTION", 6: "INVALID_CONFIG_TRANSACTION", 7: "UNSUPPORTED_TX_PAYLOAD",
	8: "BAD_PROPOSAL_TXID", 9: "DUPLICATE_TXID", 10: "ENDORSEMENT_POLICY_FAILURE", 11: "MVCC_READ_CONFLICT",
	12: "PHANTOM_READ_CONFLICT", 13: "UNKNOWN_TX_TYPE", 14: "TARGET_CHAIN_NOT_FOUND", 15: "MARSHAL_TX_ERROR",
	16: "NIL_TXACTION", 17: "EXPIRED_CHAINCODE", 18: "CHAINCODE_VERSION_CONFLICT", 19: "BAD_HEADER_EXTENSION",
	20: "BAD_CHANNEL_HEADER", 21: "BAD_RESPONSE_PAYLOAD", 22: "BAD_RWSET", 23: "ILLEGAL_WRITESET",
	24: "INVALID_WRITESET", 25: "INVALID_CHAINCODE", 254: "NOT_VALIDATED", 255: "INVALID_OTHER_REASON",
}

func (c ValidationCode) String() string {
	if n, ok := validationNames[c]; ok {
		return n
	}
	return "CODE_" + strconv.Itoa(int(c))
}

// envelopeParts is an envelope decoded as far as its channel header; the
// byte slices alias the envelope.
type envelopeParts struct {
	payload, signature []byte
	pl                 wirePayload
	ch                 cb.ChannelHeader
	err                string // the first part that did not decode, and why
}

// decodeEnvelope decodes an envelope, its payload and its channel header.
func decodeEnvelope(raw []byte) *envelopeParts {
	p := &envelopeParts{}
	var err error
	if p.payload, p.signature, err = decodeWireEnvelope(raw); err != nil {
		p.err = fmt.Sprintf("envelope: %v", err)
	} else if p.pl, err = decodeWirePayload(p.payload); err != nil {
		p.err = fmt.Sprintf("payload: %v", err)
	} else if !p.pl.header {
		p.err = "payload has no header"
	} else if err := proto.Unmarshal(p.pl.channelHeader, &p.ch); err != nil {
		p.err = fmt.Sprintf("channel header: %v", err)
	}
	return p
}

// parseTx decodes envelope i of a block whose orderer signatures verified
// under tc; pre is the envelope already decoded by decodeEnvelope, or nil.
// A failure inside the transaction is recorded in DecodeError; only a
// channel header that names another channel is returned as an error,
// because it disqualifies the whole block.
func parseTx(i int, raw []byte, pre *envelopeParts, flag ValidationCode, tc *TrustedConfig) (Tx, error) {
	channel := tc.ChannelID()
	t := Tx{Index: i, Validation: flag}
	fail := func(format string, args ...any) (Tx, error) {
		t.DecodeError = reason(ErrDecode, format, args...)
		return t, nil
	}
	if pre == nil {
		pre = decodeEnvelope(raw)
	}
	if pre.err != "" {
		return fail("%s", pre.err)
	}
	ch := &pre.ch
	t.payload, t.signature = pre.payload, pre.signature
	t.chdr, t.shdr, t.data = pre.pl.channelHeader, pre.pl.signatureHeader, pre.pl.data
	t.ID, t.Type, t.Channel = ch.TxId, TxType(ch.Type), ch.ChannelId
	if ch.ChannelId != channel {
		return t, reason(ErrWrongChannel, "transaction %d is for channel %q, not %q", i, ch.ChannelId, channel)
	}
	if ts := ch.Timestamp; ts != nil && ts.IsValid() {
		t.Timestamp = ts.AsTime()
	}
	var sh cb.SignatureHeader
	if err := proto.Unmarshal(t.shdr, &sh); err != nil {
		return fail("signature header: %v", err)
	}
	t.nonce = sh.Nonce
	t.creator = tc.signerOf(sh.Creator)
	t.Creator = Identity{MSPID: t.creator.msp, Cert: t.creator.cert}
	if t.Type != TxEndorser && t.Type != TxConfig {
		return t, nil
	}
	// The header rules every peer applies before anything else, to
	// endorser and CONFIG transactions alike
	// (validation.ValidateTransaction): a peer flags the transaction
	// BAD_COMMON_HEADER otherwise, and does not apply such a config.
	if ch.Epoch != 0 {
		return fail("channel header epoch %d; peers require 0", ch.Epoch)
	}
	if len(sh.Nonce) == 0 {
		return fail("signature header has no nonce")
	}
	if len(sh.Creator) == 0 {
		return fail("signature header has no creator")
	}
	if t.Type != TxEndorser {
		return t, nil
	}
	if err := t.parseEndorserTx(tc); err != nil {
		return fail("%v", err)
	}
	// The chaincode the header names must be the one the endorsers ran
	// (the validation dispatcher: INVALID_CHAINCODE otherwise).
	if name, err := headerChaincode(ch.Extension); err != nil || name != t.Chaincode.Name {
		if err != nil {
			return fail("channel header extension: %v", err)
		}
		return fail("the channel header names chaincode %q, the endorsed action %q", name, t.Chaincode.Name)
	}
	return t, nil
}

// headerChaincode returns the chaincode name of a ChaincodeHeaderExtension
// (field 2, chaincode_id; its field 2, name).
func headerChaincode(ext []byte) (string, error) {
	var ccid []byte
	found := false
	err := walkFields("ChaincodeHeaderExtension", ext, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
		if num == 2 && typ == protowire.BytesType {
			ccid, found = val, true
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if !found {
		return "", errors.New("no chaincode ID")
	}
	id, err := decodeChaincodeID(ccid)
	if err != nil {
		return "", err
	}
	return id.Name, nil
}

// parseEndorserTx decodes the Transaction in the payload data.
func (t *Tx) parseEndorserTx(tc *TrustedConfig) error {
	acts, err := decodeTransaction(t.data)
	if err != nil {
		return err
	}
	if len(acts) != 1 {
		// Fabric supports exactly one action per transaction.
		return fmt.Errorf("transaction has %d actions, want 1", len(acts))
	}
	a := acts[0]
	t.actHeader, t.propPayload, t.prp = a.header, a.proposalPayload, a.prp
	if len(a.proposalPayload) == 0 {
		return errors.New("the action carries no chaincode proposal payload")
	}
	for _, e := range a.endorsements {
		en := Endorsement{Signature: e.signature, endorser: tc.signerOf(e.endorser)}
		en.Endorser = Identity{MSPID: en.endorser.msp, Cert: en.endorser.cert}
		t.Endorsements = append(t.Endorsements, en)
	}
	hash, ext, err := decodeProposalResponsePayload(a.prp)
	if err != nil {
		return err
	}
	if len(ext) == 0 {
		return errors.New("the proposal response payload has no chaincode action")
	}
	t.propHash = hash
	ca, err := decodeChaincodeAction(ext)
	if err != nil {
		return err
	}
	t.Chaincode, t.Response = ca.cc, ca.response
	if ca.cc.Name == "" || ca.cc.Version == "" {
		// The validation dispatcher: INVALID_CHAINCODE.
		return fmt.Errorf("the chaincode action names chaincode %q version %q; peers require both", ca.cc.Name, ca.cc.Version)
	}
	if len(ca.events) > 0 {
		ev, err := decodeChaincodeEvent(ca.events)
		if err != nil {
			return err
		}
		if ev.ChaincodeID != ca.cc.Name {
			return fmt.Errorf("the chaincode event is of chaincode %q, the invoked one is %q", ev.ChaincodeID, ca.cc.Name)
		}
		t.event = &ev
	}
	var rws rwset.TxReadWriteSet
	if err := proto.Unmarshal(ca.results, &rws); err != nil {
		return fmt.Errorf("read-write set: %v", err)
	}
	if rws.DataModel != rwset.TxReadWriteSet_KV {
		return fmt.Errorf("read-write set data model %v", rws.DataModel)
	}
	seenNS := map[string]bool{}
	for _, ns := range rws.NsRwset {
		if seenNS[ns.Namespace] {
			return fmt.Errorf("read-write set names namespace %q twice", ns.Namespace)
		}
		seenNS[ns.Namespace] = true
		var kv kvrwset.KVRWSet
		if err := proto.Unmarshal(ns.Rwset, &kv); err != nil {
			return fmt.Errorf("read-write set of %q: %v", ns.Namespace, err)
		}
		n := NsRWSet{Namespace: ns.Namespace, otherWrites: len(kv.MetadataWrites) > 0}
		for _, c := range ns.CollectionHashedRwset {
			var h kvrwset.HashedRWSet
			if err := proto.Unmarshal(c.HashedRwset, &h); err != nil {
				// TxRwSet.FromProtoBytes fails: BAD_RWSET.
				return fmt.Errorf("hashed read-write set of collection %q of %q: %v", c.CollectionName, ns.Namespace, err)
			}
			n.otherWrites = n.otherWrites || len(h.HashedWrites) > 0 || len(h.MetadataWrites) > 0
		}
		for _, w := range kv.Writes {
			// The ledger commits a write of an empty value as a delete.
			n.Writes = append(n.Writes, Write{Key: w.Key, Value: w.Value, IsDelete: w.IsDelete || len(w.Value) == 0})
		}
		t.RWSet = append(t.RWSet, n)
	}
	return nil
}
