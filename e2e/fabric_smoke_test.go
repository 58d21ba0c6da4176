//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestFabricSmoke brings up the two-org Fabric network of e2e/fabric
// (building Fabric 2.5.0 into the Liaison cache on first use), publishes a
// record with both orgs' endorsement and reads it back (fabric/smoke.sh),
// then checks that `down` stops every process.
func TestFabricSmoke(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	dir := t.TempDir()
	base := fabricBasePort(t)

	script := func(name string, args ...string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, filepath.Join("fabric", name), args...)
		cmd.Env = append(os.Environ(), "FABRIC_BASE_PORT="+strconv.Itoa(base))
		return cmd
	}
	run := func(name string, args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		cmd := script(name, args...)
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
		down := exec.Command(filepath.Join("fabric", "network.sh"), "down", dir)
		if out, err := down.CombinedOutput(); err != nil {
			t.Errorf("network.sh down: %v\n%s", err, out)
		}
	})
	run("network.sh", "up", dir)
	pids := readPIDs(t, dir)
	if len(pids) != 4 {
		t.Fatalf("%d processes recorded in %s/pids, want 4 (orderer, 2 peers, chaincode)", len(pids), dir)
	}

	id := run("smoke.sh", dir)
	if len(id) != 64 {
		t.Fatalf("smoke.sh printed %q, want a record ID", id)
	}

	run("network.sh", "down", dir)
	for name, pid := range pids {
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err == nil {
			t.Errorf("%s (pid %d) still runs after down", name, pid)
		}
	}
}

// readPIDs returns the PIDs network.sh recorded, by process name.
func readPIDs(t testing.TB, dir string) map[string]int {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "pids", "*.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pids := map[string]int{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		pids[strings.TrimSuffix(filepath.Base(f), ".pid")] = pid
	}
	return pids
}

// fabricBasePort returns FABRIC_BASE_PORT, or a base port whose 61 ports
// are free now, so that this network does not collide with another one on
// the machine.
func fabricBasePort(t testing.TB) int {
	t.Helper()
	if s := os.Getenv("FABRIC_BASE_PORT"); s != "" {
		p, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("FABRIC_BASE_PORT=%q: %v", s, err)
		}
		return p
	}
	start := 20000 + int(time.Now().UnixNano()/1000%200)*100
	for base := start; base < 60000; base += 100 {
		if portsFree(base, 61) {
			return base
		}
	}
	t.Fatal("no free range of 61 ports")
	return 0
}

func portsFree(base, n int) bool {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for p := base; p < base+n; p++ {
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err != nil {
			return false
		}
		ls = append(ls, l)
	}
	return true
}
