package fabric

import (
	"fmt"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
)

// This file decodes the few messages of Fabric's peer and orderer protos
// that the verifier reads. Their Go packages (fabric-protos-go-apiv2/peer
// and /orderer) also hold gRPC services, which a pure verifier must not
// link, so the messages are read field by field with protowire.
//
// The decoder is stricter than protobuf: a known field with the wrong wire
// type, a singular field that occurs twice, or a string that is not UTF-8
// is an error. Protobuf would merge or ignore these, so accepting them
// could make this package read other content than Fabric's peers did;
// honest clients and peers never produce them. Unknown fields are skipped,
// as protobuf does.
//
// Messages and the fields read (numbers from fabric-protos):
//
//	protos.Transaction              1 actions (repeated TransactionAction)
//	protos.TransactionAction        1 header (bytes, a common.SignatureHeader), 2 payload (bytes, a ChaincodeActionPayload)
//	protos.ChaincodeActionPayload   1 chaincode_proposal_payload (bytes), 2 action (ChaincodeEndorsedAction)
//	protos.ChaincodeEndorsedAction  1 proposal_response_payload (bytes), 2 endorsements (repeated Endorsement)
//	protos.Endorsement              1 endorser (bytes, a msp.SerializedIdentity), 2 signature (bytes)
//	protos.ProposalResponsePayload  1 proposal_hash (bytes), 2 extension (bytes, a ChaincodeAction)
//	protos.ChaincodeAction          1 results (bytes, a rwset.TxReadWriteSet), 2 events (bytes, a ChaincodeEvent),
//	                                3 response (Response), 4 chaincode_id (ChaincodeID)
//	protos.Response                 1 status (int32), 2 message (string), 3 payload (bytes)
//	protos.ChaincodeID              1 path, 2 name, 3 version (strings)
//	protos.ChaincodeEvent           1 chaincode_id, 2 tx_id, 3 event_name (strings), 4 payload (bytes)
//	orderer.ConsensusType           1 type (string); 2 metadata and 3 state are not read
//
// The common messages that carry a block's bulk bytes are read here too,
// with the same strictness, so that envelopes and payloads are slices of
// one copy of the block rather than copied by protobuf at every level:
//
//	common.Block                    1 header (BlockHeader), 2 data (BlockData), 3 metadata (BlockMetadata)
//	common.BlockHeader              1 number (uint64), 2 previous_hash (bytes), 3 data_hash (bytes)
//	common.BlockData                1 data (repeated bytes, the envelopes)
//	common.BlockMetadata            1 metadata (repeated bytes)
//	common.Envelope                 1 payload (bytes), 2 signature (bytes)
//	common.Payload                  1 header (Header), 2 data (bytes)
//	common.Header                   1 channel_header (bytes), 2 signature_header (bytes)

// fieldFunc receives one field: val is the payload of a length-delimited
// field, v the value of a varint field.
type fieldFunc func(num protowire.Number, typ protowire.Type, val []byte, v uint64) error

// walkFields calls fn for every varint and length-delimited field of the
// message b and skips fields of other wire types.
func walkFields(msg string, b []byte, fn fieldFunc) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("%s: %w", msg, protowire.ParseError(n))
		}
		b = b[n:]
		switch typ {
		case protowire.BytesType:
			val, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return fmt.Errorf("%s: field %d: %w", msg, num, protowire.ParseError(m))
			}
			if err := fn(num, typ, val, 0); err != nil {
				return err
			}
			b = b[m:]
		case protowire.VarintType:
			v, m := protowire.ConsumeVarint(b)
			if m < 0 {
				return fmt.Errorf("%s: field %d: %w", msg, num, protowire.ParseError(m))
			}
			if err := fn(num, typ, nil, v); err != nil {
				return err
			}
			b = b[m:]
		default:
			m := protowire.ConsumeFieldValue(num, typ, b)
			if m < 0 {
				return fmt.Errorf("%s: field %d: %w", msg, num, protowire.ParseError(m))
			}
			b = b[m:]
		}
	}
	return nil
}

// fieldSet tracks the singular fields (numbers below 64) already seen.
type fieldSet uint64

// once reports an error if field num of msg was seen before or has the wrong
// wire type, and records it.
func (s *fieldSet) once(msg string, num protowire.Number, typ, want protowire.Type) error {
	if typ != want {
		return fmt.Errorf("%s: field %d has wire type %d, want %d", msg, num, typ, want)
	}
	if num < 64 {
		bit := fieldSet(1) << uint(num)
		if *s&bit != 0 {
			return fmt.Errorf("%s: field %d occurs twice", msg, num)
		}
		*s |= bit
	}
	return nil
}

func wantBytes(msg string, num protowire.Number, typ protowire.Type) error {
	if typ != protowire.BytesType {
		return fmt.Errorf("%s: field %d has wire type %d, want bytes", msg, num, typ)
	}
	return nil
}

func utf8String(msg string, num protowire.Number, b []byte) (string, error) {
	if !utf8.Valid(b) {
		return "", fmt.Errorf("%s: field %d is not UTF-8", msg, num)
	}
	return string(b), nil
}

// wireAction is a TransactionAction with its ChaincodeActionPayload.
type wireAction struct {
	header          []byte // SignatureHeader bytes
	proposalPayload []byte // ChaincodeProposalPayload bytes
	prp             []byte // ProposalResponsePayload bytes
	endorsements    []wireEndorsement
}

type wireEndorsement struct {
	endorser  []byte // SerializedIdentity bytes
	signature []byte
}

// decodeTransaction reads a protos.Transaction and returns its actions.
func decodeTransaction(b []byte) ([]wireAction, error) {
	var acts []wireAction
	err := walkFields("Transaction", b, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
		if num != 1 {
			return nil
		}
		if err := wantBytes("Transaction", num, typ); err != nil {
			return err
		}
		a, err := decodeTransactionAction(val)
		if err != nil {
			return err
		}
		acts = append(acts, a)
		return nil
	})
	return acts, err
}

func decodeTransactionAction(b []byte) (wireAction, error) {
	const msg = "TransactionAction"
	var a wireAction
	var seen fieldSet
	var payload []byte
	err := walkFields(msg, b, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
		switch num {
		case 1:
			a.header = val
		case 2:
			payload = val
		default:
			return nil
		}
		return seen.once(msg, num, typ, protowire.BytesType)
	})
	if err != nil {
		return a, err
	}
	err = decodeChaincodeActionPayload(payload, &a)
	return a, err
}

func decodeChaincodeActionPayload(b []byte, a *wireAction) error {
	const msg = "ChaincodeActionPayload"
	var seen fieldSet
	var action []byte
	haveAction := false
	err := walkFields(msg, b, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
		switch num {
		case 1:
			a.proposalPayload = val
		case 2:
			action, haveAction = val, true
		default:
			return nil
		}
		return seen.once(msg, num, typ, protowire.BytesType)
	})
	if err != nil {
		return err
	}
	if !haveAction {
		return fmt.Errorf("%s: no endorsed action", msg)
	}
	return decodeEndorsedAction(action, a)
}

func decodeEndorsedAction(b []byte, a *wireAction) error {
	const msg = "ChaincodeEndorsedAction"
	var seen fieldSet
	return walkFields(msg, b, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
		switch num {
		case 1:
			a.prp = val
			return seen.once(msg, num, typ, protowire.BytesType)
		case 2:
			if err := wantBytes(msg, num, typ); err != nil {
				return err
			}
			e, err := decodeEndorsement(val)
			if err != nil {
				return err
			}
			a.endorsements = append(a.endorsements, e)
		}
		return nil
	})
}

func decodeEndorsement(b []byte) (wireEndorsement, error) {
	const msg = "Endorsement"
	var e wireEndorsement
	var seen fieldSet
	err := walkFields(msg, b, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
		switch num {
		case 1:
			e.endorser = val
		case 2:
			e.signature = val
		default:
			return nil
		}
		return seen.once(msg, num, typ, protowire.BytesType)
	})
	return e, err
}

// decodeProposalResponsePayload returns proposal_hash and extension.
func decodeProposalResponsePayload(b []byte) (hash, ext []byte, err error) {
	const msg = "ProposalResponsePayload"
	var seen fieldSet
	err = walkFields(msg, b, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
		switch num {
		case 1:
			hash = val
		case 2:
			ext = val
		default:
			return nil
		}
		return seen.once(msg, num, typ, protowire.BytesType)
	})
	return hash, ext, err
}

// wireChaincodeAction is a decoded protos.ChaincodeAction.
type wireChaincodeAction struct {
	results  []byte
	events   []byte
	response Response
	cc       ChaincodeID
}

func decodeChaincodeAction(b []byte) (wireChaincodeAction, error) {
	const msg = "ChaincodeAction"
	var c wireChaincodeAction
	var seen fieldSet
	err := walkFields(msg, b, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
		var err error
		switch num {
		case 1:
			c.results = val
		case 2:
			c.events = val
		case 3:
			c.response, err = decodeResponse(val)
		case 4:
			c.cc, err = decodeChaincodeID(val)
		default:
			return nil
		}
		if err != nil {
			return err
		}
		return seen.once(msg, num, typ, protowire.BytesType)
	})
	return c, err
}

func decodeResponse(b []byte) (Response, error) {
	const msg = "Response"
	var r Response
	var seen fieldSet
	err := walkFields(msg, b, func(num protowire.Number, typ protowire.Type, val []byte, v uint64) error {
		var err error
		switch num {
		case 1:
			if err := seen.once(msg, num, typ, protowire.VarintType); err != nil {
				return err
			}
			r.Status = int32(v) // int32 is encoded as a sign-extended varint
			return nil
		case 2:
			r.Message, err = utf8String(msg, num, val)
		case 3:
			r.Payload = val
		default:
			return nil
		}
		if err != nil {
			return err
		}
		return seen.once(msg, num, typ, protowire.BytesType)
	})
	return r, err
}

func decodeChaincodeID(b []byte) (ChaincodeID, error) {
	const msg = "ChaincodeID"
	var c ChaincodeID
	var seen fieldSet
	err := walkFields(msg, b, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
		var err error
		switch num {
		case 1:
			c.Path, err = utf8String(msg, num, val)
		case 2:
			c.Name, err = utf8String(msg, num, val)
		case 3:
			c.Version, err = utf8String(msg, num, val)
		default:
			return nil
		}
		if err != nil {
			return err
		}
		return seen.once(msg, num, typ, protowire.BytesType)
	})
	return c, err
}

func decodeChaincodeEvent(b []byte) (ChaincodeEvent, error) {
	const msg = "ChaincodeEvent"
	var e ChaincodeEvent
	var seen fieldSet
	err := walkFields(msg, b, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
		var err error
		switch num {
		case 1:
			e.ChaincodeID, err = utf8String(msg, num, val)
		case 2:
			e.TxID, err = utf8String(msg, num, val)
		case 3:
			e.Name, err = utf8String(msg, num, val)
		case 4:
			e.Payload = val
		default:
			return nil
		}
		if err != nil {
			return err
		}
		return seen.once(msg, num, typ, protowire.BytesType)
	})
	return e, err
}

// decodeConsensusType returns the type field of an orderer.ConsensusType.
func decodeConsensusType(b []byte) (string, error) {
	const msg = "ConsensusType"
	var t string
	var seen fieldSet
	err := walkFields(msg, b, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
		if num != 1 {
			return nil
		}
		if err := seen.once(msg, num, typ, protowire.BytesType); err != nil {
			return err
		}
		var err error
		t, err = utf8String(msg, num, val)
		return err
	})
	return t, err
}

// wireBlock is a common.Block; its byte slices alias the decoded buffer.
type wireBlock struct {
	header                 bool // the header field is present
	number                 uint64
	previousHash, dataHash []byte
	envelopes, metadata    [][]byte
}

// decodeWireBlock reads a common.Block.
func decodeWireBlock(b []byte) (*wireBlock, error) {
	const msg = "Block"
	w := &wireBlock{}
	var seen fieldSet
	err := walkFields(msg, b, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
		switch num {
		case 1:
			w.header = true
			if err := seen.once(msg, num, typ, protowire.BytesType); err != nil {
				return err
			}
			return w.decodeHeader(val)
		case 2:
			if err := seen.once(msg, num, typ, protowire.BytesType); err != nil {
				return err
			}
			return repeatedBytes("BlockData", val, &w.envelopes)
		case 3:
			if err := seen.once(msg, num, typ, protowire.BytesType); err != nil {
				return err
			}
			return repeatedBytes("BlockMetadata", val, &w.metadata)
		}
		return nil
	})
	return w, err
}

func (w *wireBlock) decodeHeader(b []byte) error {
	const msg = "BlockHeader"
	var seen fieldSet
	return walkFields(msg, b, func(num protowire.Number, typ protowire.Type, val []byte, v uint64) error {
		switch num {
		case 1:
			w.number = v
			return seen.once(msg, num, typ, protowire.VarintType)
		case 2:
			w.previousHash = val
		case 3:
			w.dataHash = val
		default:
			return nil
		}
		return seen.once(msg, num, typ, protowire.BytesType)
	})
}

// repeatedBytes appends every field 1 (repeated bytes) of msg to out.
func repeatedBytes(msg string, b []byte, out *[][]byte) error {
	return walkFields(msg, b, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
		if num != 1 {
			return nil
		}
		if err := wantBytes(msg, num, typ); err != nil {
			return err
		}
		*out = append(*out, val)
		return nil
	})
}

// decodeWireEnvelope reads a common.Envelope.
func decodeWireEnvelope(b []byte) (payload, signature []byte, err error) {
	const msg = "Envelope"
	var seen fieldSet
	err = walkFields(msg, b, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
		switch num {
		case 1:
			payload = val
		case 2:
			signature = val
		default:
			return nil
		}
		return seen.once(msg, num, typ, protowire.BytesType)
	})
	return payload, signature, err
}

// wirePayload is a common.Payload with its Header.
type wirePayload struct {
	header                         bool // the header field is present
	channelHeader, signatureHeader []byte
	data                           []byte
}

// decodeWirePayload reads a common.Payload and its common.Header.
func decodeWirePayload(b []byte) (wirePayload, error) {
	const msg = "Payload"
	var p wirePayload
	var seen fieldSet
	err := walkFields(msg, b, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
		switch num {
		case 1:
			p.header = true
			if err := seen.once(msg, num, typ, protowire.BytesType); err != nil {
				return err
			}
			const hmsg = "Header"
			var hseen fieldSet
			return walkFields(hmsg, val, func(num protowire.Number, typ protowire.Type, val []byte, _ uint64) error {
				switch num {
				case 1:
					p.channelHeader = val
				case 2:
					p.signatureHeader = val
				default:
					return nil
				}
				return hseen.once(hmsg, num, typ, protowire.BytesType)
			})
		case 2:
			p.data = val
			return seen.once(msg, num, typ, protowire.BytesType)
		}
		return nil
	})
	return p, err
}
