package fabric_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/liaison-gw/liaison/proofs/fabric"
)

// span is a byte range [from, to) of a marshalled block.
type span struct{ from, to int }

func (s span) has(i int) bool { return i >= s.from && i < s.to }

// unsignedMetadata returns the byte ranges of block metadata entries 1 to
// 4 (LAST_CONFIG, TRANSACTIONS_FILTER, ORDERER, COMMIT_HASH), tag and
// length prefix included: the parts of a block nobody signs. Entry 0
// (SIGNATURES) is signed, except for the signatures themselves.
func unsignedMetadata(t *testing.T, raw []byte) []span {
	t.Helper()
	var out []span
	fields(t, raw, 0, func(num protowire.Number, start, valStart int, val []byte) {
		if num != 3 { // Block.metadata
			return
		}
		i := 0
		fields(t, val, valStart, func(num protowire.Number, start, _ int, v []byte) {
			if num == 1 { // BlockMetadata.metadata
				if i > 0 {
					out = append(out, span{start, valStart + len(val)})
				}
				i++
			}
		})
	})
	// Each span runs to the end of the metadata; trim it to its entry.
	for i := range out {
		if i+1 < len(out) {
			out[i].to = out[i+1].from
		}
	}
	return out
}

// fields calls f for each length-delimited field of msg, with the offsets
// (relative to the whole block, base being msg's offset) of its tag and
// value.
func fields(t *testing.T, msg []byte, base int, f func(num protowire.Number, start, valStart int, val []byte)) {
	t.Helper()
	off := 0
	for off < len(msg) {
		num, typ, n := protowire.ConsumeTag(msg[off:])
		if n < 0 {
			t.Fatal(protowire.ParseError(n))
		}
		m := protowire.ConsumeFieldValue(num, typ, msg[off+n:])
		if m < 0 {
			t.Fatal(protowire.ParseError(m))
		}
		if typ == protowire.BytesType {
			v, l := protowire.ConsumeBytes(msg[off+n:])
			f(num, base+off, base+off+n+(l-len(v)), v)
		}
		off += n + m
	}
}

// TestByteFlipSweep flips bits of real blocks, one position at a time. A
// flipped block must be rejected, or verify as the very same block: same
// header hash, same data hash (so the same envelopes), same transactions
// and endorsements. The only flips that verify are inside the unsigned
// metadata entries, which VerifyBlock does not check by design: the
// validation flags (copied into Tx.Validation, which VerifyTransaction then
// refuses unless VALID), LAST_CONFIG (deprecated; the signed last-config
// index is in SIGNATURES), ORDERER and COMMIT_HASH (a peer's local hash).
func TestByteFlipSweep(t *testing.T) {
	cases := []struct {
		file   string
		stride int
		masks  []byte
	}{
		{"raft/publish-1.block", 1, []byte{0x01, 0x80}},
		{"bft/publish-1.block", 1, []byte{0x01, 0x80}},
		{"raft/publish-2-binary.block", 7, []byte{0x20}},
		{"raft/publish-3-org1-only-invalid.block", 7, []byte{0x04}},
		{"raft/any-org1-only.block", 5, []byte{0xff}},
	}
	if testing.Short() {
		cases = cases[:1]
		cases[0].stride, cases[0].masks = 3, cases[0].masks[:1]
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			net := "raft"
			if c.file[:3] == "bft" {
				net = "bft"
			}
			tc := trusted(t, net)
			raw := readVector(t, c.file)
			orig := mustVerifyBlock(t, tc, nil, raw)
			origTx, origErr := fabric.VerifyTransaction(tc, orig, 0, fabric.MajorityOrgs())
			unsigned := unsignedMetadata(t, raw)
			if len(unsigned) != 4 {
				t.Fatalf("%d unsigned metadata entries", len(unsigned))
			}
			rejected, harmless := map[string]int{}, 0
			buf := make([]byte, len(raw))
			for i := 0; i < len(raw); i += c.stride {
				for _, mask := range c.masks {
					copy(buf, raw)
					buf[i] ^= mask
					b, err := fabric.VerifyBlock(tc, nil, buf)
					if err != nil {
						var ve *fabric.VerifyError
						if !errors.As(err, &ve) {
							t.Fatalf("offset %d: %T %v", i, err, err)
						}
						rejected[sentinelOf(err)]++
						continue
					}
					in := false
					for _, s := range unsigned {
						in = in || s.has(i)
					}
					if !in {
						t.Errorf("offset %d mask %#x: a flip outside the unsigned metadata verified", i, mask)
					}
					sameBlock(t, i, orig, b)
					harmless++
					tx, err := fabric.VerifyTransaction(tc, b, 0, fabric.MajorityOrgs())
					switch {
					case err == nil && origErr != nil:
						t.Errorf("offset %d: transaction verifies after the flip, not before (%v)", i, origErr)
					case err == nil && !reflect.DeepEqual(tx.RWSet, origTx.RWSet):
						t.Errorf("offset %d: transaction content changed", i)
					case err != nil && !errors.Is(err, fabric.ErrTxInvalid) && (origErr == nil || err.Error() != origErr.Error()):
						t.Errorf("offset %d: %v", i, err)
					}
				}
			}
			t.Logf("%d bytes, stride %d, masks %x: rejected %v; %d harmless flips in unsigned metadata", len(raw), c.stride, c.masks, rejected, harmless)
		})
	}
}

// sameBlock checks that b is orig, up to the unsigned validation flags.
func sameBlock(t *testing.T, off int, orig, b *fabric.Block) {
	t.Helper()
	if !bytes.Equal(b.Hash, orig.Hash) || !bytes.Equal(b.DataHash, orig.DataHash) || b.Number != orig.Number ||
		b.LastConfig != orig.LastConfig || len(b.Signers) != len(orig.Signers) || len(b.Txs) != len(orig.Txs) {
		t.Fatalf("offset %d: another block verified", off)
	}
	for i := range b.Txs {
		x, y := b.Txs[i], orig.Txs[i]
		x.Validation = y.Validation
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("offset %d: transaction %d differs", off, i)
		}
	}
}

var sentinels = []error{
	fabric.ErrDecode, fabric.ErrBrokenLink, fabric.ErrStaleConfig, fabric.ErrDataHash, fabric.ErrOrdererSignature,
	fabric.ErrNotOrderer, fabric.ErrBlockPolicy, fabric.ErrWrongChannel, fabric.ErrConfigUpdate, fabric.ErrUnknownMSP,
	fabric.ErrCertChain,
}

func sentinelOf(err error) string {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return s.Error()[len("fabric: "):]
		}
	}
	return fmt.Sprintf("other: %v", err)
}
