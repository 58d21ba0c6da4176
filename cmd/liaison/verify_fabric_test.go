package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

const fabricVectors = "../../proofs/fabric/testdata"

func fabricVector(name string) string { return filepath.Join(fabricVectors, name) }

// runFabric runs "liaison verify fabric-block ARGS..." in-process.
func runFabric(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(append([]string{"verify", "fabric-block"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

// rewriteBlock writes a changed copy of a captured block into dir.
func rewriteBlock(t *testing.T, dir, name string, edit func(b *cb.Block)) string {
	t.Helper()
	raw, err := os.ReadFile(fabricVector(name))
	if err != nil {
		t.Fatal(err)
	}
	var b cb.Block
	if err := proto.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	edit(&b)
	out, err := proto.Marshal(&b)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, strings.ReplaceAll(name, "/", "-"))
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestVerifyFabricBlocks(t *testing.T) {
	raftCfg := fabricVector("raft/config.block")
	chain := []string{
		fabricVector("raft/publish-1.block"),
		fabricVector("raft/publish-2-binary.block"),
		fabricVector("raft/publish-3-org1-only-invalid.block"),
		fabricVector("raft/publish-3.block"),
	}

	t.Run("good raft chain", func(t *testing.T) {
		code, out, errOut := runFabric(append([]string{"--config", raftCfg, "--policy", "majority"}, chain...)...)
		if code != 0 || !strings.Contains(out, "block 12 ") || !strings.Contains(out, "links to block 11") ||
			!strings.Contains(out, "not applied by the peers") || !strings.Contains(out, `3 endorser transaction(s) satisfy "majority"`) {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
	})
	t.Run("good without policy", func(t *testing.T) {
		code, out, errOut := runFabric(append([]string{"--config", raftCfg}, chain...)...)
		if code != 0 || !strings.Contains(out, "verified 4 block(s)") {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
	})
	t.Run("good bft", func(t *testing.T) {
		code, out, errOut := runFabric("--config", fabricVector("bft/config.block"), "--policy", "AND('Org1MSP.peer','Org2MSP.peer')", fabricVector("bft/publish-1.block"))
		if code != 0 || !strings.Contains(out, "(consenter 3)") {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
	})
	t.Run("records-any under its own policy", func(t *testing.T) {
		code, out, errOut := runFabric("--config", raftCfg, "--policy", "OR('Org1MSP.peer','Org2MSP.peer')", fabricVector("raft/any-org1-only.block"))
		if code != 0 {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
	})

	t.Run("real config updates", func(t *testing.T) {
		upd := func(name string) string { return fabricVector("raft-update/" + name) }
		code, out, errOut := runFabric("--config", upd("config.block"), upd("update-anchor-peers.block"), upd("update-policy.block"))
		if code != 0 || !strings.Contains(out, "config sequence 2 now in force") {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
		// The second update forged by the orderer with one admin's signature.
		code, out, errOut = runFabric("--config", upd("config.block"), upd("update-anchor-peers.block"), upd("forged-org1-only.block"))
		if code != 1 || !strings.Contains(errOut, "group /Channel/Application (mod_policy Admins = /Channel/Application/Admins)") ||
			!strings.Contains(errOut, "mod_policy not satisfied") {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
	})

	dir := t.TempDir()
	t.Run("flipped envelope byte", func(t *testing.T) {
		f := rewriteBlock(t, dir, "raft/publish-2-binary.block", func(b *cb.Block) { b.Data.Data[0][100] ^= 1 })
		code, out, errOut := runFabric("--config", raftCfg, chain[0], f)
		if code != 1 || !strings.Contains(errOut, "block 10") || !strings.Contains(errOut, "data hash") {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
	})
	t.Run("broken link", func(t *testing.T) {
		f := rewriteBlock(t, dir, "raft/publish-2-binary.block", func(b *cb.Block) { b.Header.PreviousHash[0] ^= 1 })
		code, out, errOut := runFabric("--config", raftCfg, chain[0], f)
		if code != 1 || !strings.Contains(errOut, "block 10") || !strings.Contains(errOut, "previous hash does not link") {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
	})
	t.Run("forged VALID flag", func(t *testing.T) {
		f := rewriteBlock(t, dir, "raft/publish-3-org1-only-invalid.block", func(b *cb.Block) { b.Metadata.Metadata[2][0] = 0 })
		code, out, errOut := runFabric("--config", raftCfg, "--policy", "majority", f)
		if code != 1 || !strings.Contains(errOut, "block 11 tx 459dbe28") || !strings.Contains(errOut, "endorsement policy not satisfied") {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
		// Without --policy nothing checks the endorsements: the block
		// itself is genuine.
		if code, out, errOut := runFabric("--config", raftCfg, f); code != 0 {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
	})
	t.Run("wrong network", func(t *testing.T) {
		code, out, errOut := runFabric("--config", fabricVector("bft/config.block"), chain[0])
		if code != 1 || !strings.Contains(errOut, "block 9") {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
	})
	t.Run("usage", func(t *testing.T) {
		if code, _, _ := runFabric(chain[0]); code != 2 {
			t.Fatalf("no --config: exit %d", code)
		}
		if code, _, _ := runFabric("--config", raftCfg, "--policy", "OutOf(0,'x.peer')", chain[0]); code != 2 {
			t.Fatalf("bad --policy: exit %d", code)
		}
		if code, _, _ := runFabric("--config", chain[0], chain[1]); code != 1 {
			t.Fatalf("config that is no config block: exit %d", code)
		}
	})
}
