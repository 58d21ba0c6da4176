package fabric

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

// TestWireDecodersMatchProto flips every bit of every few bytes (stride)
// of real blocks and of their first envelope: whenever the strict
// protowire decoders of wire.go accept the result, protobuf must accept it
// too and read the same content.
func TestWireDecodersMatchProto(t *testing.T) {
	for _, c := range []struct {
		name   string
		stride int
	}{{"raft/publish-1.block", 2}, {"bft/publish-1.block", 3}, {"raft/config.block", 11}} {
		name := c.name
		raw, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		w, err := decodeWireBlock(raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		env := w.envelopes[0]
		stride := c.stride
		if testing.Short() {
			stride *= 5
		}
		accepted := 0
		for i := 0; i < len(raw); i += stride {
			for bit := range 8 {
				b := bytes.Clone(raw)
				b[i] ^= 1 << bit
				if sameBlock(t, b) {
					accepted++
				}
			}
		}
		for i := 0; i < len(env); i += stride {
			for bit := range 8 {
				e := bytes.Clone(env)
				e[i] ^= 1 << bit
				sameEnvelope(t, e)
			}
		}
		t.Logf("%s: %d flipped blocks decoded", name, accepted)
	}
}

func sameBlock(t *testing.T, b []byte) bool {
	t.Helper()
	w, err := decodeWireBlock(b)
	if err != nil {
		return false
	}
	var pb cb.Block
	if err := proto.Unmarshal(b, &pb); err != nil {
		t.Fatalf("wire decoder accepts a block protobuf refuses: %v", err)
	}
	h := pb.GetHeader()
	if w.header != (h != nil) || w.number != h.GetNumber() || !bytes.Equal(w.previousHash, h.GetPreviousHash()) ||
		!bytes.Equal(w.dataHash, h.GetDataHash()) ||
		!slices.EqualFunc(w.envelopes, pb.GetData().GetData(), bytes.Equal) ||
		!slices.EqualFunc(w.metadata, pb.GetMetadata().GetMetadata(), bytes.Equal) {
		t.Fatal("wire decoder reads another block than protobuf")
	}
	return true
}

func sameEnvelope(t *testing.T, e []byte) {
	t.Helper()
	payload, sig, err := decodeWireEnvelope(e)
	if err != nil {
		return
	}
	var env cb.Envelope
	if err := proto.Unmarshal(e, &env); err != nil {
		t.Fatalf("wire decoder accepts an envelope protobuf refuses: %v", err)
	}
	if !bytes.Equal(payload, env.Payload) || !bytes.Equal(sig, env.Signature) {
		t.Fatal("wire decoder reads another envelope than protobuf")
	}
	p, err := decodeWirePayload(payload)
	if err != nil {
		return
	}
	var pl cb.Payload
	if err := proto.Unmarshal(payload, &pl); err != nil {
		t.Fatalf("wire decoder accepts a payload protobuf refuses: %v", err)
	}
	if p.header != (pl.Header != nil) || !bytes.Equal(p.channelHeader, pl.GetHeader().GetChannelHeader()) ||
		!bytes.Equal(p.signatureHeader, pl.GetHeader().GetSignatureHeader()) || !bytes.Equal(p.data, pl.Data) {
		t.Fatal("wire decoder reads another payload than protobuf")
	}
}
