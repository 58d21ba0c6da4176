package ics23_test

import (
	"bytes"
	"errors"
	"testing"

	ics23proto "github.com/cosmos/ics23/go"

	"github.com/liaison-gw/liaison/proofs/ics23"
)

func TestVector(t *testing.T) {
	v := loadVector(t)
	if got := ics23.CommitPacket(v.Packet); !bytes.Equal(got, v.Value) {
		t.Fatalf("CommitPacket %x, vector %x", got, v.Value)
	}
	if got := ics23.PacketCommitmentKey(v.Packet.SourceClient, v.Packet.Sequence); !bytes.Equal(got, v.Key) {
		t.Fatalf("key %x, vector %x", got, v.Key)
	}
	if got := ics23.PacketCommitmentKey(v.Packet.SourceClient, v.Packet.Sequence+1); !bytes.Equal(got, v.AbsentKey) {
		t.Fatalf("absent key %x, vector %x", got, v.AbsentKey)
	}
	if err := ics23.VerifyPacketCommitment(v.AppHash, v.Proof, v.Key, v.Value); err != nil {
		t.Fatal(err)
	}
	if err := ics23.VerifyPacketAbsence(v.AppHash, v.AbsenceProof, v.AbsentKey); err != nil {
		t.Fatal(err)
	}
	// The generic functions, with the store named.
	if err := ics23.VerifyMembership(v.AppHash, v.Proof, ics23.StoreKey, v.Key, v.Value); err != nil {
		t.Fatal(err)
	}
	if err := ics23.VerifyNonMembership(v.AppHash, v.AbsenceProof, ics23.StoreKey, v.AbsentKey); err != nil {
		t.Fatal(err)
	}
}

// TestPacketKeys pins the key layout: client ID, one prefix byte, the
// sequence big-endian. (proofs/cosmoslive compares keys and
// commitments with ibc-go's functions.)
func TestPacketKeys(t *testing.T) {
	for _, c := range []struct {
		got  []byte
		want string
	}{
		{ics23.PacketCommitmentKey("07-tendermint-0", 1), "07-tendermint-0\x01\x00\x00\x00\x00\x00\x00\x00\x01"},
		{ics23.PacketReceiptKey("c", 0x0102), "c\x02\x00\x00\x00\x00\x00\x00\x01\x02"},
		{ics23.PacketAcknowledgementKey("", 1<<63), "\x03\x80\x00\x00\x00\x00\x00\x00\x00"},
	} {
		if string(c.got) != c.want {
			t.Errorf("key %q, want %q", c.got, c.want)
		}
	}
}

func wantErr(t *testing.T, err, sentinel error, level ics23.Level) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("got %v, want %v", err, sentinel)
	}
	var pe *ics23.ProofError
	if !errors.As(err, &pe) || pe.Level != level {
		t.Fatalf("ProofError level: %+v, want %v", pe, level)
	}
}

func TestRejections(t *testing.T) {
	v := loadVector(t)
	other := bytes.Clone(v.Value)
	other[0] ^= 1

	// Wrong claims.
	wantErr(t, ics23.VerifyPacketCommitment(v.AppHash, v.Proof, v.AbsentKey, v.Value), ics23.ErrMembership, ics23.LevelStore)
	wantErr(t, ics23.VerifyPacketCommitment(v.AppHash, v.Proof, v.Key, other), ics23.ErrMembership, ics23.LevelStore)
	wantErr(t, ics23.VerifyPacketCommitment(v.OtherAppHash, v.Proof, v.Key, v.Value), ics23.ErrRootMismatch, ics23.LevelNone)
	// Presence and absence are different proofs.
	wantErr(t, ics23.VerifyPacketCommitment(v.AppHash, v.AbsenceProof, v.AbsentKey, v.Value), ics23.ErrMembership, ics23.LevelStore)
	wantErr(t, ics23.VerifyPacketAbsence(v.AppHash, v.Proof, v.Key), ics23.ErrNonMembership, ics23.LevelStore)
	// The absence proof does not cover a present key, nor any other key.
	wantErr(t, ics23.VerifyPacketAbsence(v.AppHash, v.AbsenceProof, v.Key), ics23.ErrNonMembership, ics23.LevelStore)
	wantErr(t, ics23.VerifyPacketAbsence(v.OtherAppHash, v.AbsenceProof, v.AbsentKey), ics23.ErrRootMismatch, ics23.LevelNone)
	// Another store.
	wantErr(t, ics23.VerifyMembership(v.AppHash, v.Proof, "records", v.Key, v.Value), ics23.ErrMembership, ics23.LevelMultistore)
	wantErr(t, ics23.VerifyNonMembership(v.AppHash, v.AbsenceProof, "records", v.AbsentKey), ics23.ErrMembership, ics23.LevelMultistore)
	err := ics23.VerifyMembership(v.AppHash, v.Proof, "records", v.Key, v.Value)
	var pe *ics23.ProofError
	if !errors.As(err, &pe) || pe.Store != "records" || !bytes.Equal(pe.Key, v.Key) || !bytes.Equal(pe.AppHash, v.AppHash) {
		t.Fatalf("ProofError fields: %+v", pe)
	}
	// Arguments.
	wantErr(t, ics23.VerifyPacketCommitment(v.AppHash[:31], v.Proof, v.Key, v.Value), ics23.ErrInvalidArgument, ics23.LevelNone)
	wantErr(t, ics23.VerifyPacketCommitment(v.AppHash, v.Proof, nil, v.Value), ics23.ErrInvalidArgument, ics23.LevelNone)
	wantErr(t, ics23.VerifyPacketCommitment(v.AppHash, v.Proof, v.Key, nil), ics23.ErrInvalidArgument, ics23.LevelNone)
	wantErr(t, ics23.VerifyPacketAbsence(nil, v.AbsenceProof, v.AbsentKey), ics23.ErrInvalidArgument, ics23.LevelNone)
	wantErr(t, ics23.VerifyMembership(v.AppHash, v.Proof, "", v.Key, v.Value), ics23.ErrInvalidArgument, ics23.LevelNone)
	// Encoding.
	wantErr(t, ics23.VerifyPacketCommitment(v.AppHash, nil, v.Key, v.Value), ics23.ErrProofDecode, ics23.LevelNone)
	wantErr(t, ics23.VerifyPacketCommitment(v.AppHash, v.Proof[:len(v.Proof)-1], v.Key, v.Value), ics23.ErrProofDecode, ics23.LevelNone)
	wantErr(t, ics23.VerifyPacketCommitment(v.AppHash, append(bytes.Clone(v.Proof), 0x10, 0x01), v.Key, v.Value), ics23.ErrProofDecode, ics23.LevelNone)
	wantErr(t, ics23.VerifyPacketCommitment(v.AppHash, make([]byte, ics23.MaxProofSize+1), v.Key, v.Value), ics23.ErrProofDecode, ics23.LevelNone)

	proofs := splitProof(t, v.Proof)
	if len(proofs) != 2 {
		t.Fatalf("vector proof has %d parts", len(proofs))
	}
	if !bytes.Equal(joinProof(t, proofs...), v.Proof) {
		t.Fatal("joinProof does not round-trip")
	}
	// Shape: one or three proofs, the levels swapped.
	wantErr(t, ics23.VerifyPacketCommitment(v.AppHash, joinProof(t, proofs[0]), v.Key, v.Value), ics23.ErrProofDecode, ics23.LevelNone)
	wantErr(t, ics23.VerifyPacketCommitment(v.AppHash, joinProof(t, proofs[0], proofs[1], proofs[1]), v.Key, v.Value), ics23.ErrProofDecode, ics23.LevelNone)
	wantErr(t, ics23.VerifyPacketCommitment(v.AppHash, joinProof(t, proofs[1], proofs[0]), v.Key, v.Value), ics23.ErrMembership, ics23.LevelStore)
	// A batch proof is not accepted, even of the right content.
	batch := &ics23proto.CommitmentProof{Proof: &ics23proto.CommitmentProof_Batch{Batch: &ics23proto.BatchProof{
		Entries: []*ics23proto.BatchEntry{{Proof: &ics23proto.BatchEntry_Exist{Exist: proofs[0].GetExist()}}},
	}}}
	wantErr(t, ics23.VerifyPacketCommitment(v.AppHash, joinProof(t, batch, proofs[1]), v.Key, v.Value), ics23.ErrProofDecode, ics23.LevelNone)
	// The multistore level: the store root claimed under another name.
	renamed := splitProof(t, v.Proof)
	renamed[1].GetExist().Key = []byte("ibd")
	wantErr(t, ics23.VerifyPacketCommitment(v.AppHash, joinProof(t, renamed...), v.Key, v.Value), ics23.ErrMembership, ics23.LevelMultistore)
	// A non-existence proof must name the key it is about.
	absence := splitProof(t, v.AbsenceProof)
	absence[0].GetNonexist().Key = v.Key
	wantErr(t, ics23.VerifyPacketAbsence(v.AppHash, joinProof(t, absence...), v.AbsentKey), ics23.ErrNonMembership, ics23.LevelStore)
}

// TestCorruptOneByte flips every byte of the real proofs three ways. Every
// flip must be rejected with a *ProofError.
func TestCorruptOneByte(t *testing.T) {
	v := loadVector(t)
	for _, c := range []struct {
		name   string
		proof  []byte
		verify func(proof []byte) error
	}{
		{"membership", v.Proof, func(p []byte) error { return ics23.VerifyPacketCommitment(v.AppHash, p, v.Key, v.Value) }},
		{"absence", v.AbsenceProof, func(p []byte) error { return ics23.VerifyPacketAbsence(v.AppHash, p, v.AbsentKey) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			for i := range c.proof {
				for _, m := range []byte{0x01, 0x80, 0xff} {
					p := bytes.Clone(c.proof)
					p[i] ^= m
					err := c.verify(p)
					if err == nil {
						t.Fatalf("byte %d ^ %#x accepted", i, m)
					}
					var pe *ics23.ProofError
					if !errors.As(err, &pe) {
						t.Fatalf("byte %d: %T: %v", i, err, err)
					}
				}
			}
		})
	}
}
