package ethheader

import (
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
)

var (
	// ErrDecode means the input is not a header: bad RLP, trailing bytes,
	// JSON that is not an object, a missing required field, or a null block
	// (the endpoint does not know the height). Retrying the same bytes cannot
	// help; a null block may appear later.
	ErrDecode = errors.New("ethheader: cannot decode header")

	// ErrHashMismatch means the header does not hash to the trusted hash: it
	// was altered, belongs to another block, or the chain uses a different
	// hash rule (QBFT, IBFT 2.0). Do not use any of its fields.
	ErrHashMismatch = errors.New("ethheader: header hash mismatch")
)

// MismatchError reports a header whose hash is not the wanted one. It wraps
// ErrHashMismatch.
type MismatchError struct {
	Height uint64      // the header's number
	Got    common.Hash // keccak256(RLP(header))
	Want   common.Hash // the trusted hash
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("ethheader: header %d hashes to %s, want %s: %v", e.Height, e.Got.Hex(), e.Want.Hex(), ErrHashMismatch)
}

// Unwrap returns ErrHashMismatch.
func (e *MismatchError) Unwrap() error { return ErrHashMismatch }
