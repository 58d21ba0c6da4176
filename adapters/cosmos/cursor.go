package cosmos

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/liaison-gw/liaison/relayer"
)

// cursorPrefix tags the cursor format, so that a cursor of another format
// (or another adapter) is refused rather than misread.
const cursorPrefix = "cosmos1"

// cursor is a position in the records module's sequence:
//
//	cosmos1:<next>:<height>:<hash>
//
// next is the first record sequence not read yet; height is the block
// whose state was read last (0 before the first read) and hash its block
// hash as it was then, or "-". Every poll first checks that the node still
// serves that hash at that height, which detects a node on another fork or
// chain.
type cursor struct {
	next   uint64
	height uint64
	hash   []byte
}

func (c cursor) encode() relayer.Cursor {
	h := "-"
	if len(c.hash) > 0 {
		h = strings.ToUpper(hex.EncodeToString(c.hash))
	}
	return relayer.Cursor(fmt.Sprintf("%s:%d:%d:%s", cursorPrefix, c.next, c.height, h))
}

// parseCursor reads a cursor; the empty cursor starts at sequence start.
func parseCursor(s relayer.Cursor, start uint64) (cursor, error) {
	if s == "" {
		return cursor{next: max(start, 1)}, nil
	}
	bad := func(format string, a ...any) (cursor, error) {
		return cursor{}, fmt.Errorf("%w: cursor %q: %s", relayer.ErrPermanent, s, fmt.Sprintf(format, a...))
	}
	parts := strings.Split(string(s), ":")
	if len(parts) != 4 || parts[0] != cursorPrefix {
		return bad("not a Cosmos source cursor (%s:next:height:hash)", cursorPrefix)
	}
	var c cursor
	var err error
	if c.next, err = strconv.ParseUint(parts[1], 10, 64); err != nil || c.next == 0 {
		return bad("sequence %q", parts[1])
	}
	if c.height, err = strconv.ParseUint(parts[2], 10, 63); err != nil {
		return bad("height %q", parts[2])
	}
	if parts[3] != "-" {
		if c.hash, err = hex.DecodeString(parts[3]); err != nil || len(c.hash) != 32 {
			return bad("hash is not 64 hex digits")
		}
	}
	return c, nil
}
