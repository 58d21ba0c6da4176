package mpt

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"
)

// Account is an EVM account as the state trie stores it.
type Account struct {
	Nonce       uint64
	Balance     *big.Int    // in wei; never nil in a returned Account
	StorageRoot common.Hash // types.EmptyRootHash when the account has no storage
	CodeHash    common.Hash // keccak256 of the code; types.EmptyCodeHash when none
}

// VerifyAccount proves the account at addr under stateRoot with proof (the
// accountProof of eth_getProof, root node first or in any order).
//
// It returns the account and nil when the proof shows it. Otherwise it
// returns the zero Account and a *ProofError (Step StepAccount) wrapping:
//
//   - ErrAccountAbsent: the proof is valid and shows no account at addr;
//   - ErrProofInvalid: the proof proves nothing (see the package doc for the
//     checks and their order);
//   - ErrBadLeaf: the leaf is not a four-field account with a 32-byte code
//     hash.
func VerifyAccount(stateRoot common.Hash, addr common.Address, proof [][]byte) (Account, error) {
	fail := func(node int, reason error) (Account, error) {
		return Account{}, &ProofError{Step: StepAccount, Root: stateRoot, Key: addr.Bytes(), Node: node, Reason: reason}
	}
	leaf, node, err := prove(stateRoot, addr[:], proof)
	if err != nil {
		return fail(node, err)
	}
	if leaf == nil {
		return fail(-1, ErrAccountAbsent)
	}
	var sa types.StateAccount
	if err := rlp.DecodeBytes(leaf, &sa); err != nil {
		return fail(-1, fmt.Errorf("%w: %w", ErrBadLeaf, err))
	}
	if len(sa.CodeHash) != common.HashLength {
		return fail(-1, fmt.Errorf("%w: code hash of %d bytes", ErrBadLeaf, len(sa.CodeHash)))
	}
	acc := Account{
		Nonce:       sa.Nonce,
		Balance:     new(big.Int),
		StorageRoot: sa.Root,
		CodeHash:    common.BytesToHash(sa.CodeHash),
	}
	if sa.Balance != nil {
		acc.Balance = sa.Balance.ToBig()
	}
	return acc, nil
}
