//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestCosmosSmoke brings up the liaison-simd devnet of e2e/cosmos (building
// liaison-simd into the Liaison cache on first use, about 4 min cold),
// creates a solomachine gateway client, publishes a record and proves it
// (cosmos/smoke.sh), then checks that `down` stops the node.
func TestCosmosSmoke(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	dir := t.TempDir()
	base := cosmosBasePort(t)

	run := func(name string, args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, filepath.Join("cosmos", name), args...)
		cmd.Env = append(os.Environ(), "COSMOS_BASE_PORT="+strconv.Itoa(base))
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
		}
		t.Logf("%s %s: %s\n%s", name, args[0], time.Since(start).Round(time.Millisecond), strings.TrimSpace(stderr.String()))
		return strings.TrimSpace(stdout.String())
	}
	t.Cleanup(func() {
		// Not under ctx, which is cancelled by the time cleanups run.
		down := exec.Command(filepath.Join("cosmos", "devnet.sh"), "down", dir)
		if out, err := down.CombinedOutput(); err != nil {
			t.Errorf("devnet.sh down: %v\n%s", err, out)
		}
	})

	run("devnet.sh", "up", dir)
	b, err := os.ReadFile(filepath.Join(dir, "node.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatalf("node.pid: %v", err)
	}

	id := run("smoke.sh", dir)
	if len(id) != 64 {
		t.Fatalf("smoke.sh printed %q, want a record ID", id)
	}

	run("devnet.sh", "down", dir)
	if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err == nil {
		t.Errorf("node (pid %d) still runs after down", pid)
	}
}

// cosmosBasePort returns COSMOS_BASE_PORT, or a base port whose 4 ports are
// free now.
func cosmosBasePort(t testing.TB) int {
	t.Helper()
	if s := os.Getenv("COSMOS_BASE_PORT"); s != "" {
		p, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("COSMOS_BASE_PORT=%q: %v", s, err)
		}
		return p
	}
	start := 30000 + int(time.Now().UnixNano()/1000%200)*10
	for base := start; base < 60000; base += 10 {
		if portsFree(base, 4) {
			return base
		}
	}
	t.Fatal("no free range of 4 ports")
	return 0
}
