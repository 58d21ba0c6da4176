package fabric

import (
	"crypto/sha256"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// This file reads what the source and the prover need from a block: each
// transaction's ID, the peers' validation flag and its chaincode event, and
// the block's last config index. It checks nothing: the verifier (through
// proofs/fabric) does that on the bytes of the evidence.

// blockTx is one transaction of a block, as the source reads it.
type blockTx struct {
	index int
	txID  string
	// code is the peers' validation flag (metadata TRANSACTIONS_FILTER);
	// it is not signed.
	code peer.TxValidationCode
	// event is the chaincode event of the transaction's action, or nil.
	event *peer.ChaincodeEvent
	// time is the channel header's timestamp: when the submitting client
	// made the proposal, by its clock (Fabric blocks carry no time of
	// their own). Zero when the header has none.
	time time.Time
}

// endorserTransaction is common.HeaderType_ENDORSER_TRANSACTION.
const endorserTransaction = int32(common.HeaderType_ENDORSER_TRANSACTION)

// blockTxs returns the endorser transactions of b. Envelopes of other
// types (config) are skipped; an envelope that does not decode is an
// error, since a committed block holds none.
func blockTxs(b *common.Block) ([]blockTx, error) {
	n := b.GetHeader().GetNumber()
	flags := validationFlags(b)
	var out []blockTx
	for i, raw := range b.GetData().GetData() {
		tx, err := decodeTx(raw)
		if err != nil {
			return nil, fmt.Errorf("block %d, transaction %d: %w", n, i, err)
		}
		if tx == nil {
			continue
		}
		tx.index = i
		tx.code = peer.TxValidationCode_NOT_VALIDATED
		if i < len(flags) {
			tx.code = peer.TxValidationCode(flags[i])
		}
		out = append(out, *tx)
	}
	return out, nil
}

// validationFlags returns the peers' per-transaction validation codes.
func validationFlags(b *common.Block) []byte {
	md := b.GetMetadata().GetMetadata()
	if len(md) <= int(common.BlockMetadataIndex_TRANSACTIONS_FILTER) {
		return nil
	}
	return md[common.BlockMetadataIndex_TRANSACTIONS_FILTER]
}

// decodeTx reads the ID and the chaincode event of an endorser
// transaction envelope; it returns nil for other envelope types.
func decodeTx(raw []byte) (*blockTx, error) {
	var env common.Envelope
	if err := proto.Unmarshal(raw, &env); err != nil {
		return nil, fmt.Errorf("envelope: %w", err)
	}
	var pl common.Payload
	if err := proto.Unmarshal(env.GetPayload(), &pl); err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	var ch common.ChannelHeader
	if err := proto.Unmarshal(pl.GetHeader().GetChannelHeader(), &ch); err != nil {
		return nil, fmt.Errorf("channel header: %w", err)
	}
	if ch.GetType() != endorserTransaction {
		return nil, nil
	}
	tx := &blockTx{txID: ch.GetTxId()}
	if ts := ch.GetTimestamp(); ts.GetSeconds() != 0 || ts.GetNanos() != 0 {
		tx.time = ts.AsTime().UTC()
	}
	var t peer.Transaction
	if err := proto.Unmarshal(pl.GetData(), &t); err != nil {
		return nil, fmt.Errorf("transaction %s: %w", tx.txID, err)
	}
	for _, a := range t.GetActions() {
		var cap peer.ChaincodeActionPayload
		if err := proto.Unmarshal(a.GetPayload(), &cap); err != nil {
			return nil, fmt.Errorf("transaction %s: action payload: %w", tx.txID, err)
		}
		var prp peer.ProposalResponsePayload
		if err := proto.Unmarshal(cap.GetAction().GetProposalResponsePayload(), &prp); err != nil {
			return nil, fmt.Errorf("transaction %s: proposal response payload: %w", tx.txID, err)
		}
		var ca peer.ChaincodeAction
		if err := proto.Unmarshal(prp.GetExtension(), &ca); err != nil {
			return nil, fmt.Errorf("transaction %s: chaincode action: %w", tx.txID, err)
		}
		if len(ca.GetEvents()) == 0 {
			continue
		}
		var ev peer.ChaincodeEvent
		if err := proto.Unmarshal(ca.GetEvents(), &ev); err != nil {
			return nil, fmt.Errorf("transaction %s: chaincode event: %w", tx.txID, err)
		}
		if tx.event == nil {
			tx.event = &ev
		}
	}
	return tx, nil
}

// lastConfig returns the number of the config block b was cut under, from
// the orderers' signed metadata (Fabric 2.x), or from the LAST_CONFIG
// metadata of older blocks.
func lastConfig(b *common.Block) (uint64, error) {
	md := b.GetMetadata().GetMetadata()
	if len(md) > int(common.BlockMetadataIndex_SIGNATURES) {
		var m common.Metadata
		if err := proto.Unmarshal(md[common.BlockMetadataIndex_SIGNATURES], &m); err == nil && len(m.GetValue()) > 0 {
			var obm common.OrdererBlockMetadata
			if err := proto.Unmarshal(m.GetValue(), &obm); err == nil && obm.GetLastConfig() != nil {
				return obm.GetLastConfig().GetIndex(), nil
			}
		}
	}
	if len(md) > int(common.BlockMetadataIndex_LAST_CONFIG) {
		var m common.Metadata
		if err := proto.Unmarshal(md[common.BlockMetadataIndex_LAST_CONFIG], &m); err == nil {
			var lc common.LastConfig
			if err := proto.Unmarshal(m.GetValue(), &lc); err == nil {
				return lc.GetIndex(), nil
			}
		}
	}
	return 0, fmt.Errorf("block %d carries no last config index", b.GetHeader().GetNumber())
}

// headerHash is Fabric's block hash: SHA-256 of the ASN.1 DER sequence
// (number, previous hash, data hash) of the header.
func headerHash(h *common.BlockHeader) ([]byte, error) {
	if h == nil {
		return nil, errors.New("block has no header")
	}
	der, err := asn1.Marshal(struct {
		Number       *big.Int
		PreviousHash []byte
		DataHash     []byte
	}{new(big.Int).SetUint64(h.GetNumber()), h.GetPreviousHash(), h.GetDataHash()})
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(der)
	return sum[:], nil
}

// findTx returns the index of the envelope with transaction ID txID in b.
func findTx(b *common.Block, txID string) (int, peer.TxValidationCode, error) {
	txs, err := blockTxs(b)
	if err != nil {
		return 0, 0, err
	}
	for _, tx := range txs {
		if tx.txID == txID {
			return tx.index, tx.code, nil
		}
	}
	return 0, 0, fmt.Errorf("block %d holds no transaction %s", b.GetHeader().GetNumber(), txID)
}
