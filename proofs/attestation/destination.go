package attestation

import (
	"crypto/sha256"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
)

// Destination identifiers bind an attestation to one deployment, so that
// the same batch signed for one Inbox or chaincode is refused by every
// other:
//
//	EVM:    sha256(abi.encode("liaison/evm/v1", uint256 chainId, address inbox))
//	Fabric: sha256(abi.encode("liaison/fabric/v1", string channel, string chainName))
//
// The EVM Inbox computes its own from block.chainid and its address; the
// chaincode from the channel it runs on and its configured chain name.

var (
	stringT, _  = abi.NewType("string", "", nil)
	uint256T, _ = abi.NewType("uint256", "", nil)
	addressT, _ = abi.NewType("address", "", nil)
	evmDest     = abi.Arguments{{Type: stringT}, {Type: uint256T}, {Type: addressT}}
	fabricDest  = abi.Arguments{{Type: stringT}, {Type: stringT}, {Type: stringT}}
)

// EVMDestination is the destination identifier of the Inbox at inbox on
// the chain with chainID.
func EVMDestination(chainID *big.Int, inbox common.Address) [32]byte {
	b, err := evmDest.Pack("liaison/evm/v1", chainID, inbox)
	if err != nil {
		panic(err) // the types are fixed: cannot fail
	}
	return sha256.Sum256(b)
}

// FabricDestination is the destination identifier of the records
// chaincode called chainName on channel.
func FabricDestination(channel, chainName string) [32]byte {
	b, err := fabricDest.Pack("liaison/fabric/v1", channel, chainName)
	if err != nil {
		panic(err)
	}
	return sha256.Sum256(b)
}
