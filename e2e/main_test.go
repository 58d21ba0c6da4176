//go:build e2e

// Package e2e runs Liaison as a separate process, configured by YAML,
// against real node processes on loopback. Run it with `make e2e`, which
// builds and caches the node binaries first.
package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// liaisonBin is the liaison binary built for this run.
var liaisonBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "liaison-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	liaisonBin = filepath.Join(dir, "liaison")
	build := exec.Command("go", "build", "-o", liaisonBin, "../cmd/liaison")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build liaison:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
