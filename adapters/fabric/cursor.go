package fabric

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/liaison-gw/liaison/relayer"
)

// cursorPrefix tags the cursor format, so that a cursor of another format
// (or another adapter) is refused rather than misread.
const cursorPrefix = "fab1"

// cursor is a position in the channel's blocks:
//
//	fab1:<next>:<skip>:<hash>
//
// next is the first block not fully read; skip says that the transactions
// of block next with an index below it were already read (a batch that
// stopped at its limit in the middle of a block); hash is the hex header
// hash of block next-1 as it was read, or "-" before the first block. The
// next poll checks that block next still links to that hash, which catches
// a peer that serves another ledger than the one read before (a channel
// re-created under the same name, a wrong peer).
type cursor struct {
	next uint64
	skip int
	hash []byte // nil: not known
}

func (c cursor) encode() relayer.Cursor {
	h := "-"
	if len(c.hash) > 0 {
		h = hex.EncodeToString(c.hash)
	}
	return relayer.Cursor(fmt.Sprintf("%s:%d:%d:%s", cursorPrefix, c.next, c.skip, h))
}

func (c cursor) equal(o cursor) bool {
	return c.next == o.next && c.skip == o.skip && string(c.hash) == string(o.hash)
}

// parseCursor reads a cursor; the empty cursor starts at start.
func parseCursor(s relayer.Cursor, start uint64) (cursor, error) {
	if s == "" {
		return cursor{next: start}, nil
	}
	parts := strings.Split(string(s), ":")
	if len(parts) != 4 || parts[0] != cursorPrefix {
		return cursor{}, fmt.Errorf("%w: cursor %q is not a Fabric source cursor (%s:next:skip:hash)", relayer.ErrPermanent, s, cursorPrefix)
	}
	var c cursor
	var err error
	if c.next, err = strconv.ParseUint(parts[1], 10, 64); err != nil {
		return cursor{}, fmt.Errorf("%w: cursor %q: block: %v", relayer.ErrPermanent, s, err)
	}
	skip, err := strconv.ParseUint(parts[2], 10, 31)
	if err != nil {
		return cursor{}, fmt.Errorf("%w: cursor %q: transaction index: %v", relayer.ErrPermanent, s, err)
	}
	c.skip = int(skip)
	if parts[3] != "-" {
		if c.hash, err = hex.DecodeString(parts[3]); err != nil || len(c.hash) != 32 {
			return cursor{}, fmt.Errorf("%w: cursor %q: hash is not 64 hex digits", relayer.ErrPermanent, s)
		}
	}
	return c, nil
}
