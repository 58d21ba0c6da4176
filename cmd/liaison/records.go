package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/sqlitestore"
)

// storeFlags locate the record store: the config file's store, or a
// database path given directly.
type storeFlags struct {
	config string
	db     string
}

func (f *storeFlags) add(c *cobra.Command) {
	c.Flags().StringVarP(&f.config, "config", "c", "liaison.yaml", "configuration file (its store section locates the database)")
	c.Flags().StringVar(&f.db, "db", "", "SQLite database path (instead of --config)")
}

func (f *storeFlags) open() (relayer.Store, error) {
	path, sync := f.db, ""
	if path == "" {
		cfg, err := config.Load(f.config)
		if err != nil {
			return nil, err
		}
		path, sync = cfg.Store.Path, cfg.Store.Synchronous
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("record store %s: %w (has liaison run with this config?)", path, err)
	}
	return sqlitestore.Open(path, sqlitestore.Options{Synchronous: sync})
}

func newRecordsCmd() *cobra.Command {
	c := &cobra.Command{Use: "records", Short: "Inspect records and act on stuck ones"}
	c.AddCommand(newRecordsListCmd(), newRecordsShowCmd(), newRecordsRetryCmd(), newRecordsSkipCmd(), newRecordsAuditCmd())
	return c
}

func newRecordsListCmd() *cobra.Command {
	var (
		sf     storeFlags
		route  string
		states []string
		limit  int
		asJSON bool
	)
	c := &cobra.Command{
		Use:   "list",
		Short: "List records, newest first",
		Args:  cobra.NoArgs,
		RunE: sf.withStore(func(cmd *cobra.Command, args []string, s relayer.Store) error {
			f := relayer.Filter{Route: route, Limit: limit}
			for _, st := range states {
				if !relayer.State(st).Valid() {
					return &exitError{2, fmt.Errorf("unknown state %q", st)}
				}
				f.States = append(f.States, relayer.State(st))
			}
			es, err := s.List(cmd.Context(), f)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), summaries(es))
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "RECORD\tROUTE\tSEQ\tSTATE\tATTEMPTS\tSOURCE TX\tDEST TX\tLAST ERROR")
			for _, e := range es {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%d\t%s\t%s\t%s\n", e.Record.ID, e.Record.Route, e.Record.Source.Sequence, e.State,
					e.Attempts, e.Record.Source.TxID, e.DestTx, oneLine(e.LastError, 80))
			}
			return tw.Flush()
		}),
	}
	sf.add(c)
	c.Flags().StringVar(&route, "route", "", "only this route")
	c.Flags().StringSliceVar(&states, "state", nil, "only these states (observed, verified, submitting, submitted, confirmed, dead, skipped)")
	c.Flags().IntVar(&limit, "limit", 50, "at most this many records")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

// summary is the JSON form of an entry.
type summary struct {
	ID          relayer.RecordID  `json:"id"`
	Route       string            `json:"route"`
	State       relayer.State     `json:"state"`
	Attempts    int               `json:"attempts"`
	Source      relayer.SourceRef `json:"source"`
	Destination relayer.ChainID   `json:"destination"`
	Receiver    string            `json:"receiver"`
	ContentType string            `json:"content_type"`
	PayloadHash relayer.HexHash   `json:"payload_hash"`
	DestTx      string            `json:"dest_tx,omitempty"`
	LastError   string            `json:"last_error,omitempty"`
	NextAt      *time.Time        `json:"next_attempt_at,omitempty"`
	ObservedAt  time.Time         `json:"observed_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
	TraceID     string            `json:"trace_id,omitempty"`
}

func summarize(e relayer.Entry) summary {
	s := summary{ID: e.Record.ID, Route: e.Record.Route, State: e.State, Attempts: e.Attempts, Source: e.Record.Source,
		Destination: e.Record.Destination, Receiver: e.Record.Receiver, ContentType: e.Record.ContentType,
		PayloadHash: e.Record.PayloadHash, DestTx: e.DestTx, LastError: e.LastError, ObservedAt: e.ObservedAt,
		UpdatedAt: e.UpdatedAt, TraceID: traceIDOf(e.TraceParent)}
	if !e.NextAt.IsZero() {
		t := e.NextAt
		s.NextAt = &t
	}
	return s
}

func summaries(es []relayer.Entry) []summary {
	out := make([]summary, len(es))
	for i, e := range es {
		out[i] = summarize(e)
	}
	return out
}

func traceIDOf(tp string) string {
	if len(tp) >= 35 {
		return tp[3:35]
	}
	return ""
}

func newRecordsShowCmd() *cobra.Command {
	var sf storeFlags
	c := &cobra.Command{
		Use:   "show ID",
		Short: "Show a record on every route that carries it",
		Args:  cobra.ExactArgs(1),
		RunE: sf.withStore(func(cmd *cobra.Command, args []string, s relayer.Store) error {
			id, err := relayer.ParseRecordID(args[0])
			if err != nil {
				return &exitError{2, err}
			}
			es, err := s.Get(cmd.Context(), id)
			if err != nil {
				return failed(err)
			}
			type shown struct {
				summary
				Payload string `json:"payload"`
			}
			out := make([]shown, len(es))
			for i, e := range es {
				out[i] = shown{summary: summarize(e), Payload: string(e.Record.Payload)}
			}
			return writeJSON(cmd.OutOrStdout(), out)
		}),
	}
	sf.add(c)
	return c
}

// operatorFlags are shared by retry and skip.
type operatorFlags struct {
	storeFlags
	route  string
	reason string
	actor  string
}

func (f *operatorFlags) add(c *cobra.Command, reasonRequired bool) {
	f.storeFlags.add(c)
	c.Flags().StringVar(&f.route, "route", "", "the route, when the record travels on several")
	c.Flags().StringVar(&f.reason, "reason", "", "why (written to the audit table)")
	c.Flags().StringVar(&f.actor, "actor", defaultActor(), "who is acting (default: $LIAISON_ACTOR or user@host)")
	if reasonRequired {
		c.MarkFlagRequired("reason")
	}
}

func defaultActor() string {
	if a := os.Getenv("LIAISON_ACTOR"); a != "" {
		return a
	}
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, _ := os.Hostname()
	return name + "@" + host
}

// resolve finds the record's key, asking for --route when it is ambiguous.
func (f *operatorFlags) resolve(ctx context.Context, s relayer.Store, arg string) (relayer.Key, error) {
	id, err := relayer.ParseRecordID(arg)
	if err != nil {
		return relayer.Key{}, &exitError{2, err}
	}
	if f.route != "" {
		return relayer.Key{Route: f.route, ID: id}, nil
	}
	es, err := s.Get(ctx, id)
	if err != nil {
		return relayer.Key{}, failed(err)
	}
	if len(es) > 1 {
		var routes []string
		for _, e := range es {
			routes = append(routes, e.Record.Route)
		}
		return relayer.Key{}, &exitError{2, fmt.Errorf("record %s travels on routes %s: choose one with --route", id, strings.Join(routes, ", "))}
	}
	return es[0].Key(), nil
}

func newRecordsRetryCmd() *cobra.Command {
	var f operatorFlags
	c := &cobra.Command{
		Use:   "retry ID",
		Short: "Give a dead (or stuck) record fresh attempts; audited",
		Long: `Retry moves a record back into its pipeline with fresh attempts. A record that may
already have reached its destination goes back to "submitting", so liaison asks the
destination before it submits anything again. A running liaison picks it up within
its poll interval. The action, actor and reason are written to the audit table.`,
		Args: cobra.ExactArgs(1),
		RunE: f.withStore(func(cmd *cobra.Command, args []string, s relayer.Store) error {
			key, err := f.resolve(cmd.Context(), s, args[0])
			if err != nil {
				return err
			}
			reason := f.reason
			if reason == "" {
				reason = "(no reason given)"
			}
			from, to, err := s.Retry(cmd.Context(), relayer.OperatorAction{Key: key, Actor: f.actor, Action: "retry", Reason: reason, At: time.Now()})
			if err != nil {
				return failed(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "record %s on route %s: %s → %s (retry by %s)\n", key.ID, key.Route, from, to, f.actor)
			return nil
		}),
	}
	f.add(c, false)
	return c
}

func newRecordsSkipCmd() *cobra.Command {
	var f operatorFlags
	c := &cobra.Command{
		Use:   "skip ID --reason TEXT",
		Short: "Give up on a record; audited",
		Long: `Skip marks a record as not to be delivered. On an ordered route this lets the records
behind it proceed. If the record was already submitted, its transaction may still land:
check the destination. The action, actor and reason are written to the audit table.`,
		Args: cobra.ExactArgs(1),
		RunE: f.withStore(func(cmd *cobra.Command, args []string, s relayer.Store) error {
			key, err := f.resolve(cmd.Context(), s, args[0])
			if err != nil {
				return err
			}
			from, err := s.Skip(cmd.Context(), relayer.OperatorAction{Key: key, Actor: f.actor, Action: "skip", Reason: f.reason, At: time.Now()})
			if err != nil {
				return failed(err)
			}
			if from == relayer.StateSubmitting || from == relayer.StateSubmitted {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: the record was %s; its transaction may still land on the destination\n", from)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "record %s on route %s: %s → skipped (by %s: %s)\n", key.ID, key.Route, from, f.actor, f.reason)
			return nil
		}),
	}
	f.add(c, true)
	return c
}

func newRecordsAuditCmd() *cobra.Command {
	var (
		sf    storeFlags
		limit int
	)
	c := &cobra.Command{
		Use:   "audit",
		Short: "List operator actions (retry, skip), oldest first",
		Args:  cobra.NoArgs,
		RunE: sf.withStore(func(cmd *cobra.Command, args []string, s relayer.Store) error {
			as, err := s.Audit(cmd.Context(), limit)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "TIME (UTC)\tACTOR\tACTION\tROUTE\tRECORD\tFROM\tTO\tREASON")
			for _, a := range as {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.At.UTC().Format(time.RFC3339), a.Actor, a.Action, a.Key.Route, a.Key.ID, a.From, a.To, a.Reason)
			}
			return tw.Flush()
		}),
	}
	sf.add(c)
	c.Flags().IntVar(&limit, "limit", 100, "at most this many actions")
	return c
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func oneLine(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > n {
		return s[:n-1] + "…"
	}
	return s
}

// withStore wraps a command body with the record store opened before it
// and closed after it.
func (f *storeFlags) withStore(fn func(cmd *cobra.Command, args []string, s relayer.Store) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		s, err := f.open()
		if err != nil {
			return err
		}
		defer s.Close()
		return fn(cmd, args, s)
	}
}
