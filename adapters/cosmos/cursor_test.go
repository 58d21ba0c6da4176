package cosmos

import (
	"bytes"
	"errors"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/liaison-gw/liaison/relayer"
)

func TestCursor(t *testing.T) {
	c, err := parseCursor("", 0)
	if err != nil || c.next != 1 || c.height != 0 || c.hash != nil {
		t.Fatalf("empty cursor: %+v %v", c, err)
	}
	c, _ = parseCursor("", 7)
	if c.next != 7 {
		t.Fatalf("start sequence: %+v", c)
	}
	in := cursor{next: 12, height: 345, hash: bytes.Repeat([]byte{0xab}, 32)}
	out, err := parseCursor(in.encode(), 1)
	if err != nil || out.next != 12 || out.height != 345 || !bytes.Equal(out.hash, in.hash) {
		t.Fatalf("round trip %q: %+v %v", in.encode(), out, err)
	}
	if got := (cursor{next: 1}).encode(); got != "cosmos1:1:0:-" {
		t.Fatalf("encode %q", got)
	}
	for _, bad := range []relayer.Cursor{"evm1:1:0:-", "cosmos1:0:0:-", "cosmos1:x:0:-", "cosmos1:1:0:abcd", "cosmos1:1:0", "cosmos1:1:-1:-"} {
		if _, err := parseCursor(bad, 1); !errors.Is(err, relayer.ErrPermanent) {
			t.Errorf("%q: %v, want ErrPermanent", bad, err)
		}
	}
}

func appendBytes(b []byte, n protowire.Number, v []byte) []byte {
	return protowire.AppendBytes(protowire.AppendTag(b, n, protowire.BytesType), v)
}

func appendVarint(b []byte, n protowire.Number, v uint64) []byte {
	return protowire.AppendVarint(protowire.AppendTag(b, n, protowire.VarintType), v)
}
