package fabric_test

import (
	"testing"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// resignData replaces the payload data (the protos.Transaction) of an
// envelope and signs it again as creator.
func resignData(t *testing.T, env []byte, creator *fabrictest.Identity, edit func(tx []byte) []byte) []byte {
	t.Helper()
	var e cb.Envelope
	var p cb.Payload
	if err := proto.Unmarshal(env, &e); err != nil {
		t.Fatal(err)
	}
	if err := proto.Unmarshal(e.Payload, &p); err != nil {
		t.Fatal(err)
	}
	p.Data = edit(p.Data)
	e.Payload, _ = proto.Marshal(&p)
	e.Signature = creator.Sign(e.Payload)
	out, _ := proto.Marshal(&e)
	return out
}

// TestStrictDecoding: encodings that protobuf would merge, and Fabric's
// one-action rule, are refused as undecodable transactions.
func TestStrictDecoding(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	env, _ := s.publishTx(t, s.peers()...)
	client := s.net.AppOrgs[0].Client
	action := func(tx []byte) []byte { // Transaction.actions[0]
		v, n := protowire.ConsumeBytes(tx[1:])
		if n < 0 {
			t.Fatal("bad transaction")
		}
		return v
	}
	for name, edit := range map[string]func(tx []byte) []byte{
		"two actions": func(tx []byte) []byte { return append(tx, tx...) },
		"action payload twice": func(tx []byte) []byte {
			a := action(tx)
			a = append(a, a...) // header and payload both repeat
			return protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), a)
		},
		"no actions": func([]byte) []byte { return nil },
		"garbage":    func([]byte) []byte { return []byte{0xff, 0xff} },
	} {
		t.Run(name, func(t *testing.T) {
			bad := resignData(t, env, client, edit)
			b := mustVerifyBlock(t, s.tc, nil, s.block(t, 1, nil, bad))
			if b.Txs[0].DecodeError == nil {
				t.Fatal("decoded")
			}
			_, err := fabric.VerifyTransaction(s.tc, b, 0, fabric.AnyOrg())
			wantErr(t, err, fabric.ErrDecode)
		})
	}
}

// TestMissingFlags: a block without TRANSACTIONS_FILTER (as an orderer
// delivers it, before validation) verifies, but its transactions are
// NOT_VALIDATED and VerifyTransaction refuses them.
func TestMissingFlags(t *testing.T) {
	tc := trusted(t, "raft")
	var pb cb.Block
	if err := proto.Unmarshal(readVector(t, "raft/publish-1.block"), &pb); err != nil {
		t.Fatal(err)
	}
	pb.Metadata.Metadata[2] = nil
	raw, _ := proto.Marshal(&pb)
	b := mustVerifyBlock(t, tc, nil, raw)
	if b.Txs[0].Validation != fabric.TxNotValidated {
		t.Fatalf("flag %v", b.Txs[0].Validation)
	}
	_, err := fabric.VerifyTransaction(tc, b, 0, fabric.AnyOrg())
	wantErr(t, err, fabric.ErrTxInvalid)
}
