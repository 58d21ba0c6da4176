package mpt

import (
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/trie"
)

const (
	// MaxProofNodes bounds the number of nodes in one proof. A secure-trie
	// key has 64 nibbles, so a path has at most 64 branch nodes and a leaf.
	MaxProofNodes = 65
	// MaxNodeSize bounds the size of one node. The largest node of an
	// account or storage trie is a branch of 16 hashes, 532 bytes; the bound
	// leaves room and still rejects junk before it is hashed.
	MaxNodeSize = 1024
)

// emptyNode is the RLP of the empty string, the one node of an empty trie:
// keccak256(0x80) is types.EmptyRootHash.
const emptyNode = 0x80

// checkShape is check 1: node count and sizes, without hashing.
func checkShape(proof [][]byte) (node int, err error) {
	if len(proof) > MaxProofNodes {
		return -1, fmt.Errorf("%w: %d nodes, more than %d", ErrProofInvalid, len(proof), MaxProofNodes)
	}
	for i, n := range proof {
		if len(n) == 0 || len(n) > MaxNodeSize {
			return i, fmt.Errorf("%w: node of %d bytes, want 1 to %d", ErrProofInvalid, len(n), MaxNodeSize)
		}
	}
	return -1, nil
}

// errNodeMissing is what proofSet.Get returns for an unknown hash;
// trie.VerifyProof turns it into its own "missing" message.
var errNodeMissing = errors.New("mpt: node not in proof")

// proofSet is the node store trie.VerifyProof reads from. It records which
// nodes the walk used, so that unused nodes can be rejected.
type proofSet struct {
	nodes  [][]byte
	byHash map[common.Hash]int
	used   []bool
}

func (p *proofSet) Has(key []byte) (bool, error) {
	_, ok := p.byHash[common.BytesToHash(key)]
	return ok, nil
}

func (p *proofSet) Get(key []byte) ([]byte, error) {
	i, ok := p.byHash[common.BytesToHash(key)]
	if !ok {
		return nil, errNodeMissing
	}
	p.used[i] = true
	return p.nodes[i], nil
}

// prove runs checks 1 to 3 for key under root. It returns the leaf value,
// nil for a valid proof of absence, and the index of the node at fault (or
// -1) with the error.
func prove(root common.Hash, key []byte, proof [][]byte) (value []byte, node int, err error) {
	if node, err := checkShape(proof); err != nil {
		return nil, node, err
	}
	if root == types.EmptyRootHash {
		// An empty trie: nothing to walk. eth_getProof returns no nodes for
		// it; the single node 0x80 (which hashes to the root) is accepted too.
		switch {
		case len(proof) == 0:
			return nil, -1, nil
		case len(proof) == 1 && len(proof[0]) == 1 && proof[0][0] == emptyNode:
			return nil, -1, nil
		default:
			return nil, -1, fmt.Errorf("%w: %d nodes for the empty trie, want none", ErrProofInvalid, len(proof))
		}
	}
	if len(proof) == 0 {
		return nil, -1, fmt.Errorf("%w: no nodes", ErrProofInvalid)
	}
	set := &proofSet{nodes: proof, byHash: make(map[common.Hash]int, len(proof)), used: make([]bool, len(proof))}
	for i, n := range proof {
		h := crypto.Keccak256Hash(n)
		if j, dup := set.byHash[h]; dup {
			return nil, i, fmt.Errorf("%w: node repeats node %d", ErrProofInvalid, j)
		}
		set.byHash[h] = i
	}
	if _, ok := set.byHash[root]; !ok {
		return nil, -1, fmt.Errorf("%w: no node hashes to the root", ErrProofInvalid)
	}
	value, err = trie.VerifyProof(root, crypto.Keccak256(key), set)
	if err != nil {
		return nil, -1, fmt.Errorf("%w: %w", ErrProofInvalid, err)
	}
	for i, u := range set.used {
		if !u {
			return nil, i, fmt.Errorf("%w: node is not on the path of the key", ErrProofInvalid)
		}
	}
	return value, -1, nil
}
