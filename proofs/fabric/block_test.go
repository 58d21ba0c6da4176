package fabric_test

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/json"
	"slices"
	"testing"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// TestRealBlocks verifies every captured block and checks what it decodes
// against the manifest, including the record commitment the Fabric adapter
// relies on: outbox/record/<id> = digest, recomputed from the record.
func TestRealBlocks(t *testing.T) {
	for _, v := range txVectors(t) {
		t.Run(v.File, func(t *testing.T) {
			tc := trusted(t, v.net())
			raw := readVector(t, v.File)
			b := mustVerifyBlock(t, tc, nil, raw)
			hash, _ := fabrictest.BlockHash(raw)
			if b.Number != v.Block || !bytes.Equal(b.Hash, hash) || b.LastConfig != 0 || len(b.Txs) != 1 {
				t.Fatalf("block %d hash %x last config %d, %d txs", b.Number, b.Hash, b.LastConfig, len(b.Txs))
			}
			wantSigners := 1
			if v.net() == "bft" {
				wantSigners = 3
			}
			if len(b.Signers) != wantSigners {
				t.Fatalf("%d signers", len(b.Signers))
			}
			for _, s := range b.Signers {
				if s.MSPID != "OrdererMSP" || s.Cert == nil || (v.net() == "bft") != (s.ConsenterID > 0) {
					t.Fatalf("signer %+v", s)
				}
			}
			tx := &b.Txs[0]
			if tx.ID != v.TxID || tx.Type != fabric.TxEndorser || tx.Channel != "records" || tx.Validation.String() != v.Validation || tx.DecodeError != nil {
				t.Fatalf("tx %s type %v channel %q flag %v err %v", tx.ID, tx.Type, tx.Channel, tx.Validation, tx.DecodeError)
			}
			if tx.Creator.MSPID != "Org1MSP" || tx.Creator.Cert.Subject.CommonName != "User1@org1.liaison.test" || tx.Timestamp.IsZero() {
				t.Fatalf("creator %s %v at %v", tx.Creator.MSPID, tx.Creator.Cert.Subject, tx.Timestamp)
			}
			if tx.Chaincode.Name != v.Chaincode || tx.Response.Status != 200 {
				t.Fatalf("chaincode %+v response %d", tx.Chaincode, tx.Response.Status)
			}
			var msps []string
			for _, e := range tx.Endorsements {
				msps = append(msps, e.Endorser.MSPID)
			}
			slices.Sort(msps)
			if !slices.Equal(msps, v.EndorsedBy) {
				t.Fatalf("endorsed by %v, want %v", msps, v.EndorsedBy)
			}

			r := v.Record
			id := recordID(r.SourceChain, unhex(t, r.Emitter), r.Sequence)
			digest := recordDigest(id, r.Sequence, r.Destination, r.Receiver, r.ContentType, r.Payload)
			if !bytes.Equal(id, unhex(t, r.ID)) || !bytes.Equal(digest, unhex(t, v.Digest)) {
				t.Fatalf("record id %x digest %x disagree with the manifest", id, digest)
			}
			if !tx.HasWrite(v.Chaincode, v.StateKey, digest) {
				t.Fatalf("no write %s = %x in %+v", v.StateKey, digest, tx.RWSet)
			}
			if seq, ok := tx.Write(v.Chaincode, "outbox/seq"); !ok || len(seq) != 8 || seq[7] != byte(r.Sequence) {
				t.Fatalf("outbox/seq = %x", seq)
			}
			if tx.HasWrite(v.Chaincode, v.StateKey, digest[1:]) || tx.HasWrite("other", v.StateKey, digest) || tx.HasWrite(v.Chaincode, v.StateKey+"0", digest) {
				t.Fatal("HasWrite accepts another write")
			}
			ev, ok := tx.Event()
			if !ok || ev.Name != "RecordPublished" || ev.TxID != v.TxID || ev.ChaincodeID != v.Chaincode {
				t.Fatalf("event %+v", ev)
			}
			var rec struct {
				ID       string `json:"id"`
				Sequence uint64 `json:"sequence"`
			}
			if err := json.Unmarshal(ev.Payload, &rec); err != nil || rec.ID != r.ID || rec.Sequence != r.Sequence {
				t.Fatalf("event payload %s", ev.Payload)
			}
		})
	}
}

// TestRealChain links the five consecutive raft blocks 9-13.
func TestRealChain(t *testing.T) {
	tc := trusted(t, "raft")
	files := []string{"publish-1", "publish-2-binary", "publish-3-org1-only-invalid", "publish-3", "any-org1-only"}
	var raws [][]byte
	for _, f := range files {
		raws = append(raws, readVector(t, "raft/"+f+".block"))
	}
	next, blocks, err := fabric.VerifyChain(tc, raws)
	if err != nil {
		t.Fatal(err)
	}
	if next != tc || len(blocks) != 5 {
		t.Fatalf("config %p (want %p), %d blocks", next, tc, len(blocks))
	}
	for i := 1; i < len(blocks); i++ {
		if !bytes.Equal(blocks[i].PreviousHash, blocks[i-1].Hash) || blocks[i].Number != blocks[i-1].Number+1 {
			t.Fatalf("block %d does not follow %d", blocks[i].Number, blocks[i-1].Number)
		}
	}
	// VerifyBlock with the previous hash, and with a wrong one.
	mustVerifyBlock(t, tc, blocks[0].Hash, raws[1])
	_, err = fabric.VerifyBlock(tc, blocks[0].Hash, raws[2])
	wantErr(t, err, fabric.ErrBrokenLink)
	// Out of order, and with a gap.
	_, _, err = fabric.VerifyChain(tc, [][]byte{raws[1], raws[0]})
	wantErr(t, err, fabric.ErrBrokenLink)
	_, _, err = fabric.VerifyChain(tc, [][]byte{raws[0], raws[2]})
	wantErr(t, err, fabric.ErrBrokenLink)
}

// setHeader re-encodes a block with its header changed; the orderer
// signatures stay as they were.
func setHeader(t *testing.T, raw []byte, edit func(h *cb.BlockHeader)) []byte {
	t.Helper()
	var b cb.Block
	if err := proto.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	edit(b.Header)
	out, err := proto.Marshal(&b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func editSigs(t *testing.T, raw []byte, edit func([]*cb.MetadataSignature) []*cb.MetadataSignature) []byte {
	t.Helper()
	out, err := fabrictest.EditSignatures(raw, edit)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTamperRealBlocks corrupts the captured blocks one part at a time.
func TestTamperRealBlocks(t *testing.T) {
	for _, net := range []string{"raft", "bft"} {
		t.Run(net, func(t *testing.T) {
			tc := trusted(t, net)
			raw := readVector(t, net+"/publish-1.block")
			good := mustVerifyBlock(t, tc, nil, raw)
			env := envelopeOf(t, raw, 0)

			// One envelope byte flipped, in place: the data hash catches it.
			i := bytes.Index(raw, env) + len(env)/2
			flipped := bytes.Clone(raw)
			flipped[i] ^= 0x01
			_, err := fabric.VerifyBlock(tc, nil, flipped)
			wantErr(t, err, fabric.ErrDataHash)

			// The header's previous hash changed: no link, and the
			// orderers did not sign this header.
			broken := setHeader(t, raw, func(h *cb.BlockHeader) { h.PreviousHash[0] ^= 1 })
			_, err = fabric.VerifyBlock(tc, good.PreviousHash, broken)
			wantErr(t, err, fabric.ErrBrokenLink)
			_, err = fabric.VerifyBlock(tc, nil, broken)
			wantErr(t, err, fabric.ErrOrdererSignature)
			renumbered := setHeader(t, raw, func(h *cb.BlockHeader) { h.Number++ })
			_, err = fabric.VerifyBlock(tc, nil, renumbered)
			wantErr(t, err, fabric.ErrOrdererSignature)

			// An orderer signature byte altered.
			sigFlip := editSigs(t, raw, func(s []*cb.MetadataSignature) []*cb.MetadataSignature {
				s[0].Signature[len(s[0].Signature)-3] ^= 0x40
				return s
			})
			_, err = fabric.VerifyBlock(tc, nil, sigFlip)
			wantErr(t, err, fabric.ErrOrdererSignature)
			var se *fabric.SignatureError
			if !errorsAs(err, &se) || se.Kind != fabric.OrdererSig || se.Index != 0 || se.MSPID != "OrdererMSP" {
				t.Fatalf("signature error %+v", se)
			}

			// The same signature with S replaced by n-S: valid ECDSA, but
			// Fabric accepts only low S, so each signature has one form.
			highS := editSigs(t, raw, func(s []*cb.MetadataSignature) []*cb.MetadataSignature {
				var err error
				s[0].Signature, err = fabrictest.HighS(good.Signers[0].Cert.PublicKey.(*ecdsa.PublicKey).Curve, s[0].Signature)
				if err != nil {
					t.Fatal(err)
				}
				return s
			})
			_, err = fabric.VerifyBlock(tc, nil, highS)
			wantErr(t, err, fabric.ErrOrdererSignature)

			// No signatures at all.
			none := editSigs(t, raw, func([]*cb.MetadataSignature) []*cb.MetadataSignature { return nil })
			_, err = fabric.VerifyBlock(tc, nil, none)
			wantErr(t, err, fabric.ErrOrdererSignature)

			// The validation flag is not signed: flipping it changes
			// nothing VerifyBlock checks.
			reflagged, _ := fabrictest.SetFlag(raw, 0, 11)
			if b := mustVerifyBlock(t, tc, nil, reflagged); b.Txs[0].Validation != fabric.TxMVCCReadConflict {
				t.Fatalf("flag %v", b.Txs[0].Validation)
			}

			// The other network's config: same channel name, other orderers.
			other := "bft"
			if net == "bft" {
				other = "raft"
			}
			if _, err := fabric.VerifyBlock(trusted(t, other), nil, raw); err == nil {
				t.Fatal("verified against the other network's config")
			}

			// Junk.
			for _, junk := range [][]byte{nil, {0x0a}, raw[:len(raw)/2], []byte("garbage")} {
				_, err := fabric.VerifyBlock(tc, nil, junk)
				wantErr(t, err, fabric.ErrDecode)
			}
		})
	}
}

// TestTamperBFTSignatures removes and duplicates the BFT block's three
// signatures (quorum 3 of 4 consenters).
func TestTamperBFTSignatures(t *testing.T) {
	tc := trusted(t, "bft")
	raw := readVector(t, "bft/publish-1.block")
	for name, edit := range map[string]func([]*cb.MetadataSignature) []*cb.MetadataSignature{
		"one removed": func(s []*cb.MetadataSignature) []*cb.MetadataSignature { return s[:2] },
		"one duplicated": func(s []*cb.MetadataSignature) []*cb.MetadataSignature {
			return []*cb.MetadataSignature{s[0], s[1], s[0]}
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := fabric.VerifyBlock(tc, nil, editSigs(t, raw, edit))
			wantErr(t, err, fabric.ErrBlockPolicy)
		})
	}
	t.Run("unknown consenter id", func(t *testing.T) {
		b := editSigs(t, raw, func(s []*cb.MetadataSignature) []*cb.MetadataSignature {
			var ih cb.IdentifierHeader
			if err := proto.Unmarshal(s[2].IdentifierHeader, &ih); err != nil {
				t.Fatal(err)
			}
			ih.Identifier = 9
			s[2].IdentifierHeader, _ = proto.Marshal(&ih)
			return s
		})
		_, err := fabric.VerifyBlock(tc, nil, b)
		wantErr(t, err, fabric.ErrNotOrderer)
	})
	t.Run("another consenter's id", func(t *testing.T) {
		// Consenter 4 did not sign; claiming its id for a signature of
		// another consenter breaks that signature.
		b := editSigs(t, raw, func(s []*cb.MetadataSignature) []*cb.MetadataSignature {
			var ih cb.IdentifierHeader
			if err := proto.Unmarshal(s[2].IdentifierHeader, &ih); err != nil {
				t.Fatal(err)
			}
			ih.Identifier = 4
			s[2].IdentifierHeader, _ = proto.Marshal(&ih)
			return s
		})
		_, err := fabric.VerifyBlock(tc, nil, b)
		wantErr(t, err, fabric.ErrOrdererSignature)
	})
	t.Run("more signatures than consenters", func(t *testing.T) {
		b := editSigs(t, raw, func(s []*cb.MetadataSignature) []*cb.MetadataSignature { return append(s, s...) })
		_, err := fabric.VerifyBlock(tc, nil, b)
		wantErr(t, err, fabric.ErrBlockPolicy)
	})
}

// TestTrustedConfigMismatch verifies real blocks against configs that do
// not govern them.
func TestTrustedConfigMismatch(t *testing.T) {
	raw := readVector(t, "raft/publish-1.block")
	for name, c := range map[string]struct {
		edit func(map[string]any)
		want error
	}{
		"config after the block": {func(m map[string]any) { m["number"] = 9 }, fabric.ErrStaleConfig},
		"other config block":     {func(m map[string]any) { m["number"] = 5 }, fabric.ErrStaleConfig},
		"other channel":          {func(m map[string]any) { m["channel"] = "finance" }, fabric.ErrWrongChannel},
	} {
		t.Run(name, func(t *testing.T) {
			enc, err := editConfig(t, c.edit)
			if err != nil {
				t.Fatal(err)
			}
			var tc fabric.TrustedConfig
			if err := json.Unmarshal(enc, &tc); err != nil {
				t.Fatal(err)
			}
			_, err = fabric.VerifyBlock(&tc, nil, raw)
			wantErr(t, err, c.want)
		})
	}
	_, err := fabric.VerifyBlock(nil, nil, raw)
	wantErr(t, err, fabric.ErrBadConfig)
}

// envelopeOf returns envelope i of a marshalled block.
func envelopeOf(t testing.TB, raw []byte, i int) []byte {
	t.Helper()
	var b cb.Block
	if err := proto.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	return b.Data.Data[i]
}
