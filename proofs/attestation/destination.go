package attestation

import (
	"crypto/sha256"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
)

// Destination identifiers bind an attestation to one deployment, so that
// the same batch signed for one Inbox or chaincode is refused by every
// other:
//
//	EVM:    sha256(abi.encode("liaison/evm/v1", uint256 chainId, address inbox))
//	Fabric: sha256(abi.encode("liaison/fabric/v1", string channel, string chaincode, string chainName))
//
// The EVM Inbox computes its own from block.chainid and its address; the
// chaincode from the channel it runs on, its own name and its configured
// chain name. Fabric has no chain ID: the chain name, agreed across the
// departments, is what tells two Fabric networks apart, and the chaincode
// name two deployments on one channel (a "records" and a "records-v2").

var (
	stringT, _  = abi.NewType("string", "", nil)
	uint256T, _ = abi.NewType("uint256", "", nil)
	addressT, _ = abi.NewType("address", "", nil)
	evmDest     = abi.Arguments{{Type: stringT}, {Type: uint256T}, {Type: addressT}}
	fabricDest  = abi.Arguments{{Type: stringT}, {Type: stringT}, {Type: stringT}, {Type: stringT}}
	maxUint256  = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
)

// EVMDestination is the destination identifier of the Inbox at inbox on
// the chain with chainID, which must be a uint256 (the ABI encoder would
// otherwise reduce it modulo 2^256, aliasing another chain).
func EVMDestination(chainID *big.Int, inbox common.Address) ([32]byte, error) {
	if chainID == nil || chainID.Sign() < 0 || chainID.Cmp(maxUint256) > 0 {
		return [32]byte{}, fmt.Errorf("attestation: chain ID %v is not a uint256", chainID)
	}
	b, err := evmDest.Pack("liaison/evm/v1", chainID, inbox)
	if err != nil {
		return [32]byte{}, fmt.Errorf("attestation: %w", err)
	}
	return sha256.Sum256(b), nil
}

// FabricDestination is the destination identifier of the records
// chaincode deployed as chaincode on channel, whose chain name is
// chainName.
func FabricDestination(channel, chaincode, chainName string) [32]byte {
	b, err := fabricDest.Pack("liaison/fabric/v1", channel, chaincode, chainName)
	if err != nil {
		panic(err) // strings always pack
	}
	return sha256.Sum256(b)
}
