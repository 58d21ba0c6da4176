package fabrictest

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// OrdererSig is one orderer that signs a block. With Consenter > 0 it signs
// the BFT way, naming itself by an IdentifierHeader; otherwise it puts its
// identity in a SignatureHeader.
type OrdererSig struct {
	ID        *Identity
	Consenter uint32
}

// Signers returns the orderers that sign by default: the first orderer
// (Raft), or the first Quorum consenters (BFT, consenter IDs from 1).
func (n *Network) Signers() []OrdererSig {
	if !n.BFT {
		return []OrdererSig{{ID: n.OrdererOrg.Orderers[0]}}
	}
	var s []OrdererSig
	for i, o := range n.OrdererOrg.Orderers[:n.Quorum()] {
		s = append(s, OrdererSig{ID: o, Consenter: uint32(i + 1)})
	}
	return s
}

// BlockSpec describes a block for Network.Block.
type BlockSpec struct {
	Number     uint64
	PrevHash   []byte
	Envelopes  [][]byte
	Flags      []byte // one validation code per envelope; nil means all VALID
	LastConfig uint64 // the config block it is cut under
	Signers    []OrdererSig
	NoSigners  bool // sign with nobody (Signers nil means Network.Signers)
}

// Block assembles and signs a block.
func (n *Network) Block(s BlockSpec) ([]byte, error) {
	signers := s.Signers
	if signers == nil && !s.NoSigners {
		signers = n.Signers()
	}
	flags := s.Flags
	if flags == nil {
		flags = make([]byte, len(s.Envelopes))
	}
	return assemble(s.Number, s.PrevHash, s.Envelopes, flags, s.LastConfig, signers)
}

func assemble(number uint64, prev []byte, envs [][]byte, flags []byte, lastConfig uint64, signers []OrdererSig) ([]byte, error) {
	dh := sha256.Sum256(bytes.Join(envs, nil))
	hdr := &cb.BlockHeader{Number: number, PreviousHash: prev, DataHash: dh[:]}
	der, err := HeaderBytes(number, prev, dh[:])
	if err != nil {
		return nil, err
	}
	md := &cb.Metadata{Value: mustMarshal(&cb.OrdererBlockMetadata{LastConfig: &cb.LastConfig{Index: lastConfig}, ConsenterMetadata: []byte{1}})}
	for _, s := range signers {
		ms := &cb.MetadataSignature{}
		var hdrBytes []byte
		if s.Consenter > 0 {
			ms.IdentifierHeader = mustMarshal(&cb.IdentifierHeader{Identifier: s.Consenter, Nonce: nonce()})
			hdrBytes = ms.IdentifierHeader
		} else {
			ms.SignatureHeader = mustMarshal(&cb.SignatureHeader{Creator: s.ID.Serialized(), Nonce: nonce()})
			hdrBytes = ms.SignatureHeader
		}
		ms.Signature = s.ID.Sign(md.Value, hdrBytes, der)
		md.Signatures = append(md.Signatures, ms)
	}
	b := &cb.Block{
		Header:   hdr,
		Data:     &cb.BlockData{Data: envs},
		Metadata: &cb.BlockMetadata{Metadata: [][]byte{mustMarshal(md), {}, flags, {}, {}}},
	}
	return proto.Marshal(b)
}

// HeaderBytes is the DER header Fabric hashes and orderers sign, made with
// encoding/asn1 as Fabric does.
func HeaderBytes(number uint64, prev, dataHash []byte) ([]byte, error) {
	return asn1.Marshal(struct {
		Number       *big.Int
		PreviousHash []byte
		DataHash     []byte
	}{new(big.Int).SetUint64(number), prev, dataHash})
}

// BlockHash returns the hash of a marshalled block's header.
func BlockHash(block []byte) ([]byte, error) {
	var b cb.Block
	if err := proto.Unmarshal(block, &b); err != nil {
		return nil, err
	}
	der, err := HeaderBytes(b.Header.GetNumber(), b.Header.GetPreviousHash(), b.Header.GetDataHash())
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(der)
	return sum[:], nil
}

// Write is one key a transaction writes.
type Write struct {
	Namespace string
	Key       string
	Value     []byte
	Delete    bool
}

// TxSpec describes an endorser transaction for Network.EndorserTx.
type TxSpec struct {
	Creator   *Identity
	Chaincode string
	Writes    []Write
	Event     string // chaincode event name ("" for none)
	EventBody []byte
	Endorsers []*Identity
	Channel   string // default: the network's channel
	TxID      string // default: hex(SHA-256(nonce ‖ creator)), as Fabric requires
}

// EndorserTx returns a signed ENDORSER_TRANSACTION envelope and its tx ID.
func (n *Network) EndorserTx(s TxSpec) ([]byte, string, error) {
	if s.Creator == nil {
		return nil, "", errors.New("fabrictest: transaction without a creator")
	}
	channel := s.Channel
	if channel == "" {
		channel = n.Channel
	}
	creator := s.Creator.Serialized()
	nc := nonce()
	txID := s.TxID
	if txID == "" {
		sum := sha256.Sum256(append(append([]byte{}, nc...), creator...))
		txID = hex.EncodeToString(sum[:])
	}
	// ChaincodeHeaderExtension{chaincode_id: ChaincodeID{name}}, as every
	// endorser transaction carries it.
	ext := protowire.AppendBytes(protowire.AppendTag(nil, 2, protowire.BytesType),
		protowire.AppendBytes(protowire.AppendTag(nil, 2, protowire.BytesType), []byte(s.Chaincode)))
	chdr := mustMarshal(&cb.ChannelHeader{
		Type:      int32(cb.HeaderType_ENDORSER_TRANSACTION),
		ChannelId: channel,
		TxId:      txID,
		Timestamp: timestamppb.New(time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)),
		Extension: ext,
	})
	shdr := mustMarshal(&cb.SignatureHeader{Creator: creator, Nonce: nc})
	// ChaincodeProposalPayload{input: 1}: any bytes will do for the verifier.
	ccpp := protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), []byte("input of "+s.Chaincode))
	ph := sha256.New()
	ph.Write(chdr)
	ph.Write(shdr)
	ph.Write(ccpp)

	rws := &rwset.TxReadWriteSet{DataModel: rwset.TxReadWriteSet_KV}
	byNS := map[string]*kvrwset.KVRWSet{}
	var order []string
	for _, w := range s.Writes {
		kv := byNS[w.Namespace]
		if kv == nil {
			kv = &kvrwset.KVRWSet{}
			byNS[w.Namespace] = kv
			order = append(order, w.Namespace)
		}
		kv.Writes = append(kv.Writes, &kvrwset.KVWrite{Key: w.Key, Value: w.Value, IsDelete: w.Delete})
	}
	for _, ns := range order {
		rws.NsRwset = append(rws.NsRwset, &rwset.NsReadWriteSet{Namespace: ns, Rwset: mustMarshal(byNS[ns])})
	}
	var action []byte // protos.ChaincodeAction
	action = appendBytes(action, 1, mustMarshal(rws))
	if s.Event != "" {
		var ev []byte // protos.ChaincodeEvent
		ev = appendBytes(ev, 1, []byte(s.Chaincode))
		ev = appendBytes(ev, 2, []byte(txID))
		ev = appendBytes(ev, 3, []byte(s.Event))
		ev = appendBytes(ev, 4, s.EventBody)
		action = appendBytes(action, 2, ev)
	}
	resp := protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), 200) // protos.Response{status}
	action = appendBytes(action, 3, resp)
	action = appendBytes(action, 4, appendBytes(appendBytes(nil, 2, []byte(s.Chaincode)), 3, []byte("1.0"))) // ChaincodeID{name, version}
	var prp []byte                                                                                           // protos.ProposalResponsePayload
	prp = appendBytes(prp, 1, ph.Sum(nil))
	prp = appendBytes(prp, 2, action)

	var cea []byte // protos.ChaincodeEndorsedAction
	cea = appendBytes(cea, 1, prp)
	for _, e := range s.Endorsers {
		endorser := e.Serialized()
		var en []byte // protos.Endorsement
		en = appendBytes(en, 1, endorser)
		en = appendBytes(en, 2, e.Sign(prp, endorser))
		cea = appendBytes(cea, 2, en)
	}
	cap := appendBytes(appendBytes(nil, 1, ccpp), 2, cea) // protos.ChaincodeActionPayload
	ta := appendBytes(appendBytes(nil, 1, shdr), 2, cap)  // protos.TransactionAction
	tx := appendBytes(nil, 1, ta)                         // protos.Transaction
	payload := mustMarshal(&cb.Payload{Header: &cb.Header{ChannelHeader: chdr, SignatureHeader: shdr}, Data: tx})
	env := mustMarshal(&cb.Envelope{Payload: payload, Signature: s.Creator.Sign(payload)})
	return env, txID, nil
}

// EndorsementEdit changes one endorsement of EditEndorsements: it gets the
// endorsement's index, endorser and signature and returns the new ones, or
// keep=false to drop it.
type EndorsementEdit func(i int, endorser, signature []byte) (newEndorser, newSignature []byte, keep bool)

// EditEndorsements re-encodes an endorser transaction envelope with its
// endorsements passed through edit, and signs it again as creator (nil
// keeps the old signature, which then no longer verifies). It works on any
// envelope, a real one too; only the envelope's bytes change.
func EditEndorsements(env []byte, edit EndorsementEdit, creator *Identity) ([]byte, error) {
	return editPayload(env, creator, func(p *cb.Payload) error {
		var err error
		// Transaction.actions[0].payload.action.endorsements
		p.Data, err = rewriteField(p.Data, 1, func(ta []byte) ([]byte, error) {
			return rewriteField(ta, 2, func(cap []byte) ([]byte, error) {
				return rewriteField(cap, 2, func(cea []byte) ([]byte, error) {
					return editRepeated(cea, 2, func(i int, en []byte) ([]byte, bool, error) {
						var endorser, sig []byte
						if err := walk(en, func(num protowire.Number, v []byte) {
							switch num {
							case 1:
								endorser = v
							case 2:
								sig = v
							}
						}); err != nil {
							return nil, false, err
						}
						e, s, keep := edit(i, endorser, sig)
						return appendBytes(appendBytes(nil, 1, e), 2, s), keep, nil
					})
				})
			})
		})
		return err
	})
}

// DropEndorsements removes the endorsements at the given indexes (see
// EditEndorsements).
func DropEndorsements(env []byte, creator *Identity, drop ...int) ([]byte, error) {
	return EditEndorsements(env, func(i int, e, s []byte) ([]byte, []byte, bool) {
		for _, d := range drop {
			if d == i {
				return nil, nil, false
			}
		}
		return e, s, true
	}, creator)
}

// Reissue re-encodes an endorser transaction envelope as a new
// transaction of creator: a fresh nonce, the matching tx ID, the new
// signature header in the envelope and the action, signed by creator. The
// endorsements are kept, so they now endorse another proposal.
func Reissue(env []byte, creator *Identity) ([]byte, string, error) {
	nc := nonce()
	cr := creator.Serialized()
	sum := sha256.Sum256(append(append([]byte{}, nc...), cr...))
	txID := hex.EncodeToString(sum[:])
	shdr := mustMarshal(&cb.SignatureHeader{Creator: cr, Nonce: nc})
	out, err := editPayload(env, creator, func(p *cb.Payload) error {
		var ch cb.ChannelHeader
		if err := proto.Unmarshal(p.Header.ChannelHeader, &ch); err != nil {
			return err
		}
		ch.TxId = txID
		p.Header.ChannelHeader = mustMarshal(&ch)
		p.Header.SignatureHeader = shdr
		var err error
		p.Data, err = rewriteField(p.Data, 1, func(ta []byte) ([]byte, error) {
			return rewriteField(ta, 1, func([]byte) ([]byte, error) { return shdr, nil })
		})
		return err
	})
	return out, txID, err
}

func editPayload(env []byte, creator *Identity, edit func(*cb.Payload) error) ([]byte, error) {
	var e cb.Envelope
	if err := proto.Unmarshal(env, &e); err != nil {
		return nil, err
	}
	var p cb.Payload
	if err := proto.Unmarshal(e.Payload, &p); err != nil {
		return nil, err
	}
	if p.Header == nil {
		return nil, errors.New("fabrictest: payload without header")
	}
	if err := edit(&p); err != nil {
		return nil, err
	}
	e.Payload = mustMarshal(&p)
	if creator != nil {
		e.Signature = creator.Sign(e.Payload)
	}
	return mustMarshal(&e), nil
}

// walk calls f with every length-delimited field of msg.
func walk(msg []byte, f func(num protowire.Number, v []byte)) error {
	for len(msg) > 0 {
		n, typ, l := protowire.ConsumeTag(msg)
		if l < 0 {
			return protowire.ParseError(l)
		}
		m := protowire.ConsumeFieldValue(n, typ, msg[l:])
		if m < 0 {
			return protowire.ParseError(m)
		}
		if typ == protowire.BytesType {
			v, _ := protowire.ConsumeBytes(msg[l:])
			f(n, v)
		}
		msg = msg[l+m:]
	}
	return nil
}

// rewriteField replaces the value of the first length-delimited field num.
func rewriteField(msg []byte, num protowire.Number, f func([]byte) ([]byte, error)) ([]byte, error) {
	var out []byte
	done := false
	for len(msg) > 0 {
		n, typ, l := protowire.ConsumeTag(msg)
		if l < 0 {
			return nil, protowire.ParseError(l)
		}
		m := protowire.ConsumeFieldValue(n, typ, msg[l:])
		if m < 0 {
			return nil, protowire.ParseError(m)
		}
		if n == num && typ == protowire.BytesType && !done {
			v, _ := protowire.ConsumeBytes(msg[l:])
			nv, err := f(v)
			if err != nil {
				return nil, err
			}
			out = appendBytes(out, num, nv)
			done = true
		} else {
			out = append(out, msg[:l+m]...)
		}
		msg = msg[l+m:]
	}
	if !done {
		return nil, fmt.Errorf("fabrictest: field %d not found", num)
	}
	return out, nil
}

// editRepeated passes each occurrence of the length-delimited field num
// through f, which returns the new value or keep=false to drop it.
func editRepeated(msg []byte, num protowire.Number, f func(i int, v []byte) ([]byte, bool, error)) ([]byte, error) {
	var out []byte
	i := 0
	for len(msg) > 0 {
		n, typ, l := protowire.ConsumeTag(msg)
		if l < 0 {
			return nil, protowire.ParseError(l)
		}
		m := protowire.ConsumeFieldValue(n, typ, msg[l:])
		if m < 0 {
			return nil, protowire.ParseError(m)
		}
		if n == num && typ == protowire.BytesType {
			v, _ := protowire.ConsumeBytes(msg[l:])
			nv, keep, err := f(i, v)
			if err != nil {
				return nil, err
			}
			if keep {
				out = appendBytes(out, num, nv)
			}
			i++
		} else {
			out = append(out, msg[:l+m]...)
		}
		msg = msg[l+m:]
	}
	return out, nil
}

// ReplaceEnvelope returns a block with envelope i replaced, everything else
// (header, data hash, signatures, metadata) unchanged, so it no longer
// verifies unless the header is fixed too (see RehashBlock).
func ReplaceEnvelope(block []byte, i int, env []byte) ([]byte, error) {
	var b cb.Block
	if err := proto.Unmarshal(block, &b); err != nil {
		return nil, err
	}
	if i < 0 || i >= len(b.GetData().GetData()) {
		return nil, fmt.Errorf("fabrictest: no envelope %d", i)
	}
	b.Data.Data[i] = env
	return proto.Marshal(&b)
}

// RehashBlock sets a block's data hash to match its envelopes, leaving the
// orderer signatures as they are (so they no longer verify).
func RehashBlock(block []byte) ([]byte, error) {
	var b cb.Block
	if err := proto.Unmarshal(block, &b); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(bytes.Join(b.GetData().GetData(), nil))
	b.Header.DataHash = sum[:]
	return proto.Marshal(&b)
}

// SetFlag returns a block whose validation flag i is code (the flags are
// not signed, so the block still verifies).
func SetFlag(block []byte, i int, code byte) ([]byte, error) {
	var b cb.Block
	if err := proto.Unmarshal(block, &b); err != nil {
		return nil, err
	}
	md := b.GetMetadata().GetMetadata()
	if len(md) < 3 || i < 0 || i >= len(md[2]) {
		return nil, fmt.Errorf("fabrictest: block has no flag %d", i)
	}
	md[2] = bytes.Clone(md[2])
	md[2][i] = code
	return proto.Marshal(&b)
}

// EditSignatures returns a block whose metadata[SIGNATURES] entries went
// through edit, which may change, drop or reorder them.
func EditSignatures(block []byte, edit func([]*cb.MetadataSignature) []*cb.MetadataSignature) ([]byte, error) {
	var b cb.Block
	if err := proto.Unmarshal(block, &b); err != nil {
		return nil, err
	}
	var md cb.Metadata
	if err := proto.Unmarshal(b.Metadata.Metadata[0], &md); err != nil {
		return nil, err
	}
	md.Signatures = edit(md.Signatures)
	b.Metadata.Metadata[0] = mustMarshal(&md)
	return proto.Marshal(&b)
}

func channelHeader(t cb.HeaderType, channel, txID string) []byte {
	return mustMarshal(&cb.ChannelHeader{
		Type:      int32(t),
		ChannelId: channel,
		TxId:      txID,
		Timestamp: timestamppb.New(time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)),
	})
}

func envelope(t cb.HeaderType, channel, txID string, creator, nc, data []byte, signer *Identity) []byte {
	shdr := mustMarshal(&cb.SignatureHeader{Creator: creator, Nonce: nc})
	payload := mustMarshal(&cb.Payload{Header: &cb.Header{ChannelHeader: channelHeader(t, channel, txID), SignatureHeader: shdr}, Data: data})
	e := &cb.Envelope{Payload: payload}
	if signer != nil {
		e.Signature = signer.Sign(payload)
	}
	return mustMarshal(e)
}

func appendBytes(b []byte, num protowire.Number, v []byte) []byte {
	return protowire.AppendBytes(protowire.AppendTag(b, num, protowire.BytesType), v)
}

func nonce() []byte {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail
	}
	return b
}

func pemBytes(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}
