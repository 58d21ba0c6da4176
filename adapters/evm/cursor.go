package evm

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/liaison-gw/liaison/relayer"
)

// cursorPrefix tags the cursor format, so that a cursor of another format
// (or another adapter) is refused rather than misread.
const cursorPrefix = "evm1"

// cursor is a position in the Outbox's log stream:
//
//	evm1:<next>:<skip>:<hash>
//
// next is the first block not fully read; skip says that the logs of block
// next with an index below it were already returned (a batch that stopped at
// its limit in the middle of a block); hash is the hash of block next-1 as
// it was when it was read, or "-" when no block was read yet. The next poll
// checks that block next-1 still has that hash, which detects a
// reorganisation below the height the source treated as final.
type cursor struct {
	next uint64
	skip uint64
	hash common.Hash // zero: not known
}

func (c cursor) encode() relayer.Cursor {
	h := "-"
	if c.hash != (common.Hash{}) {
		h = c.hash.Hex()
	}
	return relayer.Cursor(fmt.Sprintf("%s:%d:%d:%s", cursorPrefix, c.next, c.skip, h))
}

// parseCursor reads a cursor; the empty cursor starts at start.
func parseCursor(s relayer.Cursor, start uint64) (cursor, error) {
	if s == "" {
		return cursor{next: start}, nil
	}
	parts := strings.Split(string(s), ":")
	if len(parts) != 4 || parts[0] != cursorPrefix {
		return cursor{}, fmt.Errorf("%w: cursor %q is not an EVM source cursor (%s:next:skip:hash)", relayer.ErrPermanent, s, cursorPrefix)
	}
	var c cursor
	var err error
	if c.next, err = strconv.ParseUint(parts[1], 10, 64); err != nil {
		return cursor{}, fmt.Errorf("%w: cursor %q: block: %v", relayer.ErrPermanent, s, err)
	}
	if c.skip, err = strconv.ParseUint(parts[2], 10, 64); err != nil {
		return cursor{}, fmt.Errorf("%w: cursor %q: log index: %v", relayer.ErrPermanent, s, err)
	}
	if parts[3] != "-" {
		b := common.FromHex(parts[3])
		if len(b) != common.HashLength || !strings.HasPrefix(parts[3], "0x") {
			return cursor{}, fmt.Errorf("%w: cursor %q: hash is not 0x and 64 hex digits", relayer.ErrPermanent, s)
		}
		c.hash = common.BytesToHash(b)
	}
	return c, nil
}
