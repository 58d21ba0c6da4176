// Command liaison is the cross-ledger gateway: it relays records between
// Fabric, EVM and Cosmos ledgers with evidence that the receiving side, and
// anyone later, can check.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// exitError carries a process exit code: 1 for "checked and failed" (an
// invalid config, rejected evidence), 2 for usage errors.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func failed(err error) error { return &exitError{code: 1, err: err} }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the CLI and returns the exit code. LIAISON_CPUPROFILE names
// a file to write a CPU profile of the whole command to (for `go tool
// pprof`; "%p" in it becomes the process id), a developer's aid for
// finding where a load run spends its time.
func run(args []string, stdout, stderr io.Writer) int {
	if path := os.Getenv("LIAISON_CPUPROFILE"); path != "" {
		stop, err := cpuProfile(strings.ReplaceAll(path, "%p", strconv.Itoa(os.Getpid())))
		if err != nil {
			fmt.Fprintln(stderr, "liaison: LIAISON_CPUPROFILE:", err)
			return 1
		}
		defer stop()
	}
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "liaison:", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

// cpuProfile starts a CPU profile into path; stop ends and writes it.
func cpuProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "liaison",
		Short: "Relay records between ledgers with evidence anyone can re-check",
		Long: `Liaison relays records (licences, certificates, payments, audit entries) between
Hyperledger Fabric, EVM (geth, Besu, GoQuorum) and Cosmos ledgers. For each record it
fetches inclusion and consensus proofs, verifies them against a trusted state it keeps
per chain, delivers the record exactly once, and keeps the evidence for re-checking.

Start with:  liaison demo`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(
		newStartCmd(),
		newDemoCmd(),
		newConfigCmd(),
		newRecordsCmd(),
		newTraceCmd(),
		newStatsCmd(),
		newEvidenceCmd(),
		newVerifyCmd(),
		newCosmosCmd(),
		newVersionCmd(),
	)
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, args []string) {
			fmt.Fprintf(cmd.OutOrStdout(), "liaison %s\n", buildVersion())
		},
	}
}

func buildVersion() string {
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok {
		v += " " + bi.GoVersion
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " " + s.Value[:12]
			}
		}
	}
	return v
}
