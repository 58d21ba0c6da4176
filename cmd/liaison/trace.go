package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/liaison-gw/liaison/relayer"
)

func newTraceCmd() *cobra.Command {
	var (
		sf     storeFlags
		route  string
		asJSON bool
	)
	c := &cobra.Command{
		Use:   "trace ID",
		Short: "Show a record's timeline across both ledgers",
		Long: `Trace prints every stage of a record on each route that carries it: when it was
observed on the source (with the source transaction), proven, verified against which
trust anchor, prepared, submitted and confirmed on the destination (with the
destination transaction), every retry with its error, and operator actions. The trace
id links to the spans exported over OTLP or written to the trace file.`,
		Args: cobra.ExactArgs(1),
		RunE: sf.withStore(func(cmd *cobra.Command, args []string, s relayer.Store) error {
			id, err := relayer.ParseRecordID(args[0])
			if err != nil {
				return &exitError{2, err}
			}
			es, err := s.Get(cmd.Context(), id)
			if err != nil {
				return failed(err)
			}
			type routeTrace struct {
				summary
				Timeline []relayer.Event `json:"timeline"`
			}
			var out []routeTrace
			for _, e := range es {
				if route != "" && e.Record.Route != route {
					continue
				}
				tl, err := s.Timeline(cmd.Context(), e.Key())
				if err != nil {
					return err
				}
				out = append(out, routeTrace{summary: summarize(e), Timeline: tl})
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), out)
			}
			w := cmd.OutOrStdout()
			for i, rt := range out {
				if i > 0 {
					fmt.Fprintln(w)
				}
				committed := ""
				if !rt.Source.Time.IsZero() {
					committed = ", committed " + rt.Source.Time.UTC().Format("2006-01-02T15:04:05.000Z")
				}
				fmt.Fprintf(w, "record   %s\nroute    %s: %s → %s (receiver %q)\nsource   height %d, sequence %d, tx %s%s\nstate    %s after %d failed attempt(s)\n",
					rt.ID, rt.Route, rt.Source.Chain, rt.Destination, rt.Receiver, rt.Source.Height, rt.Source.Sequence, rt.Source.TxID, committed, rt.State, rt.Attempts)
				if rt.DestTx != "" {
					fmt.Fprintf(w, "dest tx  %s\n", rt.DestTx)
				}
				if rt.TraceID != "" {
					fmt.Fprintf(w, "trace    %s\n", rt.TraceID)
				}
				if rt.LastError != "" {
					fmt.Fprintf(w, "error    %s\n", rt.LastError)
				}
				fmt.Fprintln(w)
				tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "  TIME (UTC)\t+ELAPSED\tSTAGE\tCHAIN\tTX\tDETAIL")
				var start time.Time
				for _, ev := range rt.Timeline {
					if start.IsZero() {
						start = ev.At
					}
					detail := ev.Detail
					if ev.Error != "" {
						if detail != "" {
							detail += ": "
						}
						detail += "error: " + oneLine(ev.Error, 160)
					}
					fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", ev.At.UTC().Format("2006-01-02T15:04:05.000Z"),
						elapsed(ev.At.Sub(start)), ev.Stage, ev.Chain, ev.TxID, detail)
				}
				tw.Flush()
			}
			return nil
		}),
	}
	sf.add(c)
	c.Flags().StringVar(&route, "route", "", "only this route")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func elapsed(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
	default:
		return d.Round(time.Millisecond).String()
	}
}
