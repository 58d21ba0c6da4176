package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/liaison-gw/liaison/internal/httpapi"
	"github.com/liaison-gw/liaison/relayer"
)

func newStatsCmd() *cobra.Command {
	var (
		sf     storeFlags
		route  string
		since  string
		asJSON bool
	)
	c := &cobra.Command{
		Use:   "stats",
		Short: "Throughput and stage latencies of the records confirmed recently",
		Long: `Stats reads the timelines of the records confirmed in a window (the last hour by
default) and prints, per route, how many there are, the records per second from the
first observation to the last confirmation, and the p50, p95, p99 and maximum time of
each leg:

  source-finality     committed on the source → observed by liaison
  proof-fetch         observed → proven (waiting for a worker, fetching the proofs, retries)
  verification        proven → verified
  submission          verified → accepted by the destination (on an ordered route,
                      waiting for the record's turn too)
  destination-commit  submitted → final on the destination
  end-to-end          committed on the source (or observed, when the source does not
                      tell the time) → confirmed

N is the number of records whose timeline has both ends of a leg. The source time is
the ledger's own clock (EVM block timestamp, in whole seconds; Fabric proposal time;
Cosmos block time); the other times are liaison's. Records whose source time is after
liaison observed them (the ledger's clock runs ahead) are left out of source-finality
and end-to-end, and counted in a clock-skew line.

--since takes a duration back from now (30m, 24h), a time (RFC 3339, or a date),
or "all".`,
		Args: cobra.NoArgs,
		RunE: sf.withStore(func(cmd *cobra.Command, args []string, s relayer.Store) error {
			now := time.Now()
			from, err := parseSince(since, now)
			if err != nil {
				return &exitError{2, err}
			}
			ctx := cmd.Context()
			known, err := s.Stats(ctx)
			if err != nil {
				return err
			}
			var routes []string
			for _, st := range known {
				routes = append(routes, st.Route)
			}
			if route != "" {
				if !slices.Contains(routes, route) {
					return failed(fmt.Errorf("route %q has not run on this store (routes: %s)", route, strings.Join(routes, ", ")))
				}
				routes = []string{route}
			}
			var out []relayer.RouteLatency
			for _, r := range routes {
				ts, err := s.StageTimes(ctx, relayer.StageQuery{Route: r, Since: from})
				if err != nil {
					return err
				}
				out = append(out, relayer.SummarizeStages(r, ts))
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), httpapi.NewStats(from, now, out))
			}
			w := cmd.OutOrStdout()
			if from.IsZero() {
				fmt.Fprintf(w, "records confirmed up to %s\n\n", now.UTC().Format(time.RFC3339))
			} else {
				fmt.Fprintf(w, "records confirmed since %s (%s)\n\n", from.UTC().Format(time.RFC3339), now.Sub(from).Round(time.Second))
			}
			tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ROUTE\tRECORDS\tRECORDS/S\tSTAGE\tN\tP50\tP95\tP99\tMAX")
			for _, rl := range out {
				for i, st := range rl.Stages {
					name, count, rate := "", "", ""
					if i == 0 {
						name, count, rate = rl.Route, fmt.Sprint(rl.Records), fmt.Sprintf("%.1f", rl.PerSecond)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", name, count, rate, st.Stage, st.N,
						latency(st, st.P50), latency(st, st.P95), latency(st, st.P99), latency(st, st.Max))
				}
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			writeSkew(w, out)
			return nil
		}),
	}
	sf.add(c)
	c.Flags().StringVar(&route, "route", "", "only this route")
	c.Flags().StringVar(&since, "since", "1h", `records confirmed since: a duration back from now, a time, or "all"`)
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON (durations in milliseconds)")
	return c
}

// writeSkew flags, per route, the records whose source time is after
// their observation, instead of printing negative durations.
func writeSkew(w io.Writer, rls []relayer.RouteLatency) {
	for _, rl := range rls {
		if rl.Skew.Records > 0 {
			fmt.Fprintf(w, "\nclock skew on %s: %d of %d records carry a source time after liaison observed them, by up to %s: "+
				"the source ledger's clock runs ahead of this machine's; source-finality and end-to-end leave them out\n",
				rl.Route, rl.Skew.Records, rl.Records, elapsed(rl.Skew.Max))
		}
	}
}

// parseSince reads --since (httpapi.ParseSince: the API reads the same).
func parseSince(s string, now time.Time) (time.Time, error) {
	t, err := httpapi.ParseSince(s, now)
	if err != nil {
		return time.Time{}, fmt.Errorf("--since %w", err)
	}
	return t, nil
}

// latency prints one percentile of a leg, or "-" when no record has it.
func latency(p relayer.Percentiles, d time.Duration) string {
	if p.N == 0 {
		return "-"
	}
	if d < 0 {
		return "-" + elapsed(-d)
	}
	return elapsed(d)
}
