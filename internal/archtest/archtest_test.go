// Package archtest enforces the import direction of the module:
//
//   - proofs/... links no chain client, transport or network stack;
//   - relayer/... (the core) imports no adapter and no proof;
//   - config imports no adapter, proof or core package;
//   - an adapter never imports another adapter;
//   - nothing imports cmd/.
//
// It runs `go list` on the whole module, so a new package is checked
// without being listed here.
package archtest

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/liaison-gw/liaison"

type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-json", module+"/...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var ps []pkg
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	if len(ps) < 5 {
		t.Fatalf("go list found only %d packages", len(ps))
	}
	return ps
}

// networkClients are packages a pure verifier must not link, even
// transitively.
var networkClients = []string{
	"net/http",
	"google.golang.org/grpc",
	"github.com/ethereum/go-ethereum/ethclient",
	"github.com/ethereum/go-ethereum/rpc",
	"github.com/ethereum/go-ethereum/node",
	"github.com/ethereum/go-ethereum/p2p",
	"github.com/hyperledger/fabric-gateway",
	"github.com/cometbft/cometbft/rpc",
}

func rel(path string) string { return strings.TrimPrefix(strings.TrimPrefix(path, module), "/") }

func under(path, dir string) bool {
	r := rel(path)
	return r == dir || strings.HasPrefix(r, dir+"/")
}

// adapterOf returns the adapter a package belongs to ("evm" for
// adapters/evm/contracts), or "".
func adapterOf(path string) string {
	if !strings.HasPrefix(path, module+"/adapters/") {
		return ""
	}
	return strings.SplitN(rel(path), "/", 3)[1]
}

func TestImportDirection(t *testing.T) {
	for _, p := range listPackages(t) {
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, module+"/cmd") {
				t.Errorf("%s imports %s: nothing may import cmd/", rel(p.ImportPath), rel(imp))
			}
			if under(p.ImportPath, "relayer") && (under(imp, "adapters") || under(imp, "proofs")) {
				t.Errorf("%s imports %s: the core knows no concrete chain", rel(p.ImportPath), rel(imp))
			}
			if under(p.ImportPath, "config") && (under(imp, "adapters") || under(imp, "proofs") || under(imp, "relayer")) {
				t.Errorf("%s imports %s: config is plain data", rel(p.ImportPath), rel(imp))
			}
			if under(p.ImportPath, "proofs") && (under(imp, "adapters") || under(imp, "relayer") || under(imp, "config")) {
				t.Errorf("%s imports %s: proofs are pure verifiers", rel(p.ImportPath), rel(imp))
			}
			if a, b := adapterOf(p.ImportPath), adapterOf(imp); a != "" && b != "" && a != b {
				t.Errorf("%s imports %s: adapters never import each other", rel(p.ImportPath), rel(imp))
			}
		}
	}
}

func TestProofsLinkNoNetworkClient(t *testing.T) {
	for _, p := range listPackages(t) {
		if !under(p.ImportPath, "proofs") || strings.HasSuffix(p.ImportPath, "test") {
			continue
		}
		deps := goListDeps(t, p.ImportPath)
		for _, d := range deps {
			for _, bad := range networkClients {
				if d == bad || strings.HasPrefix(d, bad+"/") {
					t.Errorf("%s links %s: a verifier must be pure", rel(p.ImportPath), d)
				}
			}
		}
	}
}

func goListDeps(t *testing.T, path string) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-deps", path)
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", path, err)
	}
	return strings.Fields(string(out))
}

// TestProductionBuildHasNoDemo: `make build` (-tags nodemo) links no
// in-process chain; the default build keeps `liaison demo`.
func TestProductionBuildHasNoDemo(t *testing.T) {
	demoOnly := []string{module + "/adapters/evm/devchain", "github.com/ethereum/go-ethereum/ethclient/simulated"}
	cmd := exec.Command("go", "list", "-e", "-deps", "-tags", "nodemo", "./cmd/liaison")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps -tags nodemo: %v", err)
	}
	prod := strings.Fields(string(out))
	for _, bad := range demoOnly {
		if slices.Contains(prod, bad) {
			t.Errorf("the production build links %s", bad)
		}
	}
	if dev := goListDeps(t, "./cmd/liaison"); !slices.Contains(dev, demoOnly[0]) {
		t.Errorf("the default build lost the demo (%s)", demoOnly[0])
	}
}
