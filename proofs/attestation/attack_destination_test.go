package attestation

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// acceptedAt runs the checks the package comment assigns to a destination
// whose own identifier is own: Decode, compare the destination, Verify
// against its attestor set and threshold.
func acceptedAt(t *testing.T, own [32]byte, data []byte, sigs [][]byte, attestors []common.Address, threshold int) bool {
	t.Helper()
	a, err := Decode(data)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if a.Destination != own {
		return false
	}
	_, err = Verify(data, sigs, attestors, threshold)
	return err == nil
}

// TestAttackFabricDestinationIgnoresChaincode: the Fabric identifier is
// built from the channel and the configured chain name only, not from the
// chaincode (the records contract's Emitter, the name it was invoked under
// at Init). Two records chaincodes on one channel that were initialized with
// the same chain name -- a blue/green or "records" -> "records-v2"
// migration, a staging copy next to production -- get the same identifier,
// so a batch the committee signed for one is delivered by the other. The
// EVM identifier, by contrast, binds the Inbox's address, and destination.go
// promises "the same batch signed for one Inbox or chaincode is refused by
// every other".
func TestAttackFabricDestinationIgnoresChaincode(t *testing.T) {
	v := loadVector(t)
	type deployment struct{ channel, chaincode, chainName string }
	oldDep := deployment{"registry", "records", "business-registry"}
	newDep := deployment{"registry", "records-v2", "business-registry"}
	id := func(d deployment) [32]byte { return FabricDestination(d.channel, d.chaincode, d.chainName) }

	// The committee signs a batch for the old chaincode.
	a := v.attestation()
	a.Destination = id(oldDep)
	data := a.Encode()
	var sigs [][]byte
	for _, k := range v.keys(t)[:2] {
		s, err := Sign(data, k)
		if err != nil {
			t.Fatal(err)
		}
		sigs = append(sigs, s)
	}
	if !acceptedAt(t, id(oldDep), data, sigs, v.addresses(), v.Threshold) {
		t.Fatal("setup: the batch is not accepted where it was signed for")
	}
	if acceptedAt(t, id(newDep), data, sigs, v.addresses(), v.Threshold) {
		t.Fatalf("a batch signed for chaincode %q on channel %q is accepted by chaincode %q on the same channel: "+
			"both have destination %x", oldDep.chaincode, oldDep.channel, newDep.chaincode, id(newDep))
	}
}

// TestAttackEVMDestinationChainIDAliases: go-ethereum's ABI packer reduces
// a *big.Int modulo 2^256 without an error, so a chain ID outside uint256
// would get the identifier of another chain (2^256 + 1 that of chain 1);
// and nil or a negative chain ID used to panic. EVMDestination refuses them.
func TestAttackEVMDestinationChainIDAliases(t *testing.T) {
	inbox := common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")
	wrapped := new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	for _, id := range []*big.Int{wrapped, big.NewInt(-1), nil} {
		if d, err := EVMDestination(id, inbox); err == nil {
			t.Fatalf("EVMDestination(%v) = %x, want an error", id, d)
		}
	}
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	if _, err := EVMDestination(max, inbox); err != nil {
		t.Fatalf("EVMDestination(2^256-1): %v", err)
	}
}
