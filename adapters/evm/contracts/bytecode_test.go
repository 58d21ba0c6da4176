package contracts_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/vm"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
)

// afterIstanbul lists the opcodes that forks after istanbul introduced. The
// contracts must not use them: GoQuorum and Besu networks often run an
// istanbul..shanghai EVM.
var afterIstanbul = map[vm.OpCode]string{
	vm.BASEFEE:     "london",
	vm.PUSH0:       "shanghai",
	vm.TLOAD:       "cancun",
	vm.TSTORE:      "cancun",
	vm.MCOPY:       "cancun",
	vm.BLOBHASH:    "cancun",
	vm.BLOBBASEFEE: "cancun",
	vm.CLZ:         "osaka",
}

// buildArtifact is the part of build/<Contract>.json that the tests read.
type buildArtifact struct {
	ContractName     string `json:"contractName"`
	Compiler         string `json:"compiler"`
	EVMVersion       string `json:"evmVersion"`
	Bytecode         string `json:"bytecode"`
	DeployedBytecode string `json:"deployedBytecode"`
}

func TestBuildArtifactsMatchBindings(t *testing.T) {
	for name, meta := range map[string]*bind.MetaData{
		"Outbox": &contracts.OutboxMetaData,
		"Inbox":  &contracts.InboxMetaData,
	} {
		t.Run(name, func(t *testing.T) {
			a := readArtifact(t, name)
			if a.ContractName != name || a.EVMVersion != "istanbul" || !strings.HasPrefix(a.Compiler, "solc-js 0.8.37+") {
				t.Fatalf("artifact header = %+v, want %s built by solc-js 0.8.37 for istanbul", a, name)
			}
			if a.Bytecode != meta.Bin {
				t.Fatal("build JSON bytecode differs from the binding's: run make contracts")
			}
		})
	}
}

func TestBytecodeRunsOnIstanbul(t *testing.T) {
	for _, name := range []string{"Outbox", "Inbox"} {
		a := readArtifact(t, name)
		for kind, hex := range map[string]string{"creation": a.Bytecode, "runtime": a.DeployedBytecode} {
			seen := map[vm.OpCode]bool{}
			for _, op := range opcodes(t, stripMetadata(t, common.FromHex(hex))) {
				if fork, bad := afterIstanbul[op]; bad && !seen[op] {
					seen[op] = true
					t.Errorf("%s %s code uses %s, which needs %s", name, kind, op, fork)
				}
			}
		}
	}
}

func readArtifact(t *testing.T, name string) buildArtifact {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("build", name+".json"))
	if err != nil {
		t.Fatalf("read build artifact: %v", err)
	}
	var a buildArtifact
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("parse build/%s.json: %v", name, err)
	}
	return a
}

// stripMetadata removes the CBOR metadata that solc appends to the code; its
// last two bytes give its length.
func stripMetadata(t *testing.T, code []byte) []byte {
	t.Helper()
	if len(code) < 2 {
		t.Fatal("code too short")
	}
	n := int(code[len(code)-2])<<8 | int(code[len(code)-1])
	if n+2 > len(code) {
		t.Fatalf("metadata length %d exceeds code length %d", n, len(code))
	}
	return code[:len(code)-n-2]
}

// opcodes returns the instructions of code in order, skipping push data.
func opcodes(t *testing.T, code []byte) []vm.OpCode {
	t.Helper()
	var ops []vm.OpCode
	for pc := 0; pc < len(code); pc++ {
		op := vm.OpCode(code[pc])
		ops = append(ops, op)
		if op >= vm.PUSH1 && op <= vm.PUSH32 {
			pc += int(op-vm.PUSH1) + 1
		}
	}
	return ops
}
