// Package config reads Liaison's YAML configuration. Decoding is strict (an
// unknown field is an error) and Validate reports every problem at once,
// each with its path: `routes[1].destination.chain: unknown chain "finance"`.
// Secrets are references to files or environment variables and are never
// printed. Defaults live in applyDefaults and nowhere else.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Config is the whole configuration file.
type Config struct {
	Store     Store     `yaml:"store"`
	Telemetry Telemetry `yaml:"telemetry"`
	API       API       `yaml:"api"`
	Chains    []Chain   `yaml:"chains"`
	Routes    []Route   `yaml:"routes"`

	// Dir is the directory of the file the config was read from; relative
	// paths in it are relative to Dir.
	Dir string `yaml:"-"`
}

// Store selects the record store.
type Store struct {
	// Driver is "sqlite" (default, embedded). "postgres" is reserved.
	Driver string `yaml:"driver"`
	// Path is the SQLite file; default "liaison.db" beside the config.
	Path string `yaml:"path"`
	// Synchronous is "full" (default) or "normal"; see sqlitestore.
	Synchronous string `yaml:"synchronous"`
}

// Telemetry configures logs, metrics and traces.
type Telemetry struct {
	// Listen is the address of /metrics, /healthz and /readyz; empty
	// disables the server.
	Listen      string `yaml:"listen"`
	ServiceName string `yaml:"service_name"`
	Log         struct {
		Level  string `yaml:"level"`  // debug, info (default), warn, error
		Format string `yaml:"format"` // json (default) or text
	} `yaml:"log"`
	Traces struct {
		// File receives one JSON span per line; empty disables it.
		File string `yaml:"file"`
		// OTLP exports spans over gRPC when Endpoint is set.
		OTLP struct {
			Endpoint string `yaml:"endpoint"`
			Insecure bool   `yaml:"insecure"`
		} `yaml:"otlp"`
	} `yaml:"traces"`
}

// Kind is a ledger type.
type Kind string

// Ledger kinds.
const (
	KindEVM    Kind = "evm"
	KindFabric Kind = "fabric"
	KindCosmos Kind = "cosmos"
)

// Kinds are the ledger kinds a configuration may name; each has an
// adapter in the binary (a test in cmd/liaison pins that).
var Kinds = []Kind{KindEVM, KindFabric, KindCosmos}

// supportedKinds are the kinds this build can run.
var supportedKinds = Kinds

// Chain is one ledger Liaison connects to. Exactly the section named by
// Kind is set.
type Chain struct {
	Name   string  `yaml:"name"`
	Kind   Kind    `yaml:"kind"`
	EVM    *EVM    `yaml:"evm"`
	Fabric *Fabric `yaml:"fabric"`
	Cosmos *Cosmos `yaml:"cosmos"`
}

// Route is one flow of records.
type Route struct {
	Name   string `yaml:"name"`
	Source struct {
		Chain    string   `yaml:"chain"`
		Selector Selector `yaml:"selector"`
	} `yaml:"source"`
	Destination struct {
		Chain    string `yaml:"chain"`
		Receiver string `yaml:"receiver"`
	} `yaml:"destination"`
	// Ordering is "unordered" (default) or "ordered".
	Ordering    string `yaml:"ordering"`
	Parallelism int    `yaml:"parallelism"`
	BatchSize   int    `yaml:"batch_size"`
	Proof       struct {
		// Accept lists the trust models the route accepts; empty accepts
		// the source chain's own.
		Accept []string `yaml:"accept"`
	} `yaml:"proof"`
	Retry struct {
		MaxAttempts    int           `yaml:"max_attempts"`
		InitialBackoff time.Duration `yaml:"initial_backoff"`
		MaxBackoff     time.Duration `yaml:"max_backoff"`
	} `yaml:"retry"`
	RateLimit struct {
		PerSecond float64 `yaml:"per_second"`
		Burst     int     `yaml:"burst"`
	} `yaml:"rate_limit"`
	PollInterval    time.Duration `yaml:"poll_interval"`
	ConfirmInterval time.Duration `yaml:"confirm_interval"`
	// Batch delivers several records per destination transaction when
	// max_records is above 1 (EVM and Fabric destinations).
	Batch struct {
		MaxRecords  int           `yaml:"max_records"`
		MaxWait     time.Duration `yaml:"max_wait"`
		Concurrency int           `yaml:"concurrency"`
	} `yaml:"batch"`
}

// Selector picks the source records a route carries. Empty fields match
// anything, except Destination, which defaults to the route's destination
// chain.
type Selector struct {
	Destination string `yaml:"destination"`
	Receiver    string `yaml:"receiver"`
	ContentType string `yaml:"content_type"`
}

// Secret refers to a secret without holding it: exactly one of File and Env
// is set. It prints as its reference, never its value.
type Secret struct {
	File string `yaml:"file"`
	Env  string `yaml:"env"`
}

// String names the secret's source.
func (s Secret) String() string {
	switch {
	case s.File != "":
		return "file " + s.File
	case s.Env != "":
		return "env $" + s.Env
	}
	return "no secret"
}

// IsZero reports whether no source is set.
func (s Secret) IsZero() bool { return s.File == "" && s.Env == "" }

// Resolve reads the secret. A file must not be readable by group or
// others. Errors name the source, never the content.
func (s Secret) Resolve() ([]byte, error) {
	switch {
	case s.File != "" && s.Env != "":
		return nil, errors.New("set either file or env, not both")
	case s.File != "":
		if err := CheckPrivateFile(s.File); err != nil {
			return nil, err
		}
		b, err := os.ReadFile(s.File)
		if err != nil {
			return nil, fmt.Errorf("read secret: %w", err)
		}
		return bytes.TrimSpace(b), nil
	case s.Env != "":
		v, ok := os.LookupEnv(s.Env)
		if !ok || strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("environment variable %s is not set", s.Env)
		}
		return []byte(strings.TrimSpace(v)), nil
	}
	return nil, errors.New("no secret configured: set file or env")
}

// CheckPrivateFile refuses a key file that group or others may read.
func CheckPrivateFile(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("key file %s is readable by group or others (mode %04o): run chmod 600 %s", path, st.Mode().Perm(), path)
	}
	return nil
}

// LoadOptions change what Load checks.
type LoadOptions struct {
	// SkipFiles validates without opening the files the config names
	// (keys, certificates, config blocks): for a template whose files
	// live on the machine it is meant for.
	SkipFiles bool
}

// Load reads, decodes, defaults and validates the file at path.
func Load(path string) (*Config, error) { return LoadWith(path, LoadOptions{}) }

// LoadWith is Load with options.
func LoadWith(path string, o LoadOptions) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return parseWith(f, filepath.Dir(abs), o)
}

// Parse decodes, defaults and validates a configuration. dir is the
// directory relative paths are resolved against.
func Parse(r io.Reader, dir string) (*Config, error) { return parseWith(r, dir, LoadOptions{}) }

func parseWith(r io.Reader, dir string, o LoadOptions) (*Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("config: %w", err) // a syntax error, by line
	}
	if len(doc.Content) == 0 {
		return nil, errors.New("config: the file is empty")
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c Config
	// The decoder carries on past type errors and unknown fields; they
	// are reported by path with every other problem.
	var typed Problems
	if err := dec.Decode(&c); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, fmt.Errorf("config: %w", err)
		}
		typed = typeProblems(&doc, te.Errors)
	}
	c.Dir = dir
	c.applyDefaults()
	err = c.validate(o.SkipFiles)
	if len(typed) == 0 {
		if err != nil {
			return nil, err
		}
		return &c, nil
	}
	// A setting that did not decode stays zero, and validation may
	// complain of that too: keep only its decoding problem.
	var rest Problems
	errors.As(err, &rest)
	for _, p := range rest {
		if !slices.ContainsFunc(typed, func(t Problem) bool {
			return t.Path != "" && (p.Path == t.Path || strings.HasPrefix(p.Path, t.Path+"."))
		}) {
			typed = append(typed, p)
		}
	}
	return nil, typed
}

// Defaults.
const (
	DefaultStorePath   = "liaison.db"
	DefaultServiceName = "liaison"
)

func (c *Config) applyDefaults() {
	if c.Store.Driver == "" {
		c.Store.Driver = "sqlite"
	}
	if c.Store.Path == "" {
		c.Store.Path = DefaultStorePath
	}
	c.Store.Path = c.Abs(c.Store.Path)
	if c.Telemetry.Traces.File != "" {
		c.Telemetry.Traces.File = c.Abs(c.Telemetry.Traces.File)
	}
	for i := range c.API.Tokens {
		if f := c.API.Tokens[i].File; f != "" {
			c.API.Tokens[i].File = c.Abs(f)
		}
	}
	for _, f := range []*string{&c.API.TLS.Cert, &c.API.TLS.Key.File, &c.API.TLS.ClientCA} {
		if *f != "" {
			*f = c.Abs(*f)
		}
	}
	if c.Telemetry.ServiceName == "" {
		c.Telemetry.ServiceName = DefaultServiceName
	}
	if c.Telemetry.Log.Level == "" {
		c.Telemetry.Log.Level = "info"
	}
	if c.Telemetry.Log.Format == "" {
		c.Telemetry.Log.Format = "json"
	}
	for i := range c.Chains {
		if c.Chains[i].EVM != nil {
			c.Chains[i].EVM.applyDefaults(c)
		}
		if c.Chains[i].Fabric != nil {
			c.Chains[i].Fabric.applyDefaults(c)
		}
		if c.Chains[i].Cosmos != nil {
			c.Chains[i].Cosmos.applyDefaults(c)
		}
	}
	for i := range c.Routes {
		r := &c.Routes[i]
		if r.Ordering == "" {
			r.Ordering = "unordered"
		}
		if r.Source.Selector.Destination == "" {
			r.Source.Selector.Destination = r.Destination.Chain
		}
	}
}

// Abs resolves p against the config's directory.
func (c *Config) Abs(p string) string {
	if p == "" || filepath.IsAbs(p) || c.Dir == "" {
		return p
	}
	return filepath.Join(c.Dir, p)
}

// Chain returns the chain with the given name.
func (c *Config) Chain(name string) (*Chain, bool) {
	for i := range c.Chains {
		if c.Chains[i].Name == name {
			return &c.Chains[i], true
		}
	}
	return nil, false
}

// Problems is every validation problem of a config, one per line.
type Problems []Problem

// Problem is one invalid setting.
type Problem struct {
	Path string
	Msg  string
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Msg
	}
	return p.Path + ": " + p.Msg
}

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// problems collects validation problems under a path prefix. With
// noFiles, the files a config names are not opened (a template whose files
// live on another machine).
type problems struct {
	list    *Problems
	base    string
	noFiles bool
}

// privateFile reports a key file that cannot be read or that group or
// others may read.
func (p problems) privateFile(path string) {
	if p.noFiles {
		return
	}
	if err := CheckPrivateFile(path); err != nil {
		p.add("%v", err)
	}
}

// readable reports a file that cannot be opened.
func (p problems) readable(path string) {
	if p.noFiles {
		return
	}
	f, err := os.Open(path)
	if err != nil {
		p.add("%v", err)
		return
	}
	f.Close()
}

func (p problems) at(path string) problems {
	if p.base == "" {
		return problems{p.list, path, p.noFiles}
	}
	if strings.HasPrefix(path, "[") {
		return problems{p.list, p.base + path, p.noFiles}
	}
	return problems{p.list, p.base + "." + path, p.noFiles}
}

func (p problems) add(format string, args ...any) {
	*p.list = append(*p.list, Problem{Path: p.base, Msg: fmt.Sprintf(format, args...)})
}

// Validate checks the whole config and returns Problems listing every
// issue, or nil.
func (c *Config) Validate() error { return c.validate(false) }

func (c *Config) validate(noFiles bool) error {
	var list Problems
	root := problems{list: &list, noFiles: noFiles}
	c.validateStore(root.at("store"))
	c.validateTelemetry(root.at("telemetry"))
	c.validateAPI(root.at("api"))
	names := map[string]bool{}
	for i := range c.Chains {
		ch := &c.Chains[i]
		p := root.at(fmt.Sprintf("chains[%d]", i))
		switch {
		case ch.Name == "":
			p.at("name").add("is required")
		case names[ch.Name]:
			p.at("name").add("chain %q is defined twice", ch.Name)
		case !validName(ch.Name):
			p.at("name").add("%q: use letters, digits, '-', '_' and '.' only", ch.Name)
		}
		names[ch.Name] = true
		switch {
		case ch.Kind == "":
			p.at("kind").add("is required (one of %s)", kindList(supportedKinds))
		case !slices.Contains(Kinds, ch.Kind):
			p.at("kind").add("unknown kind %q (one of %s)", ch.Kind, kindList(Kinds))
		case !slices.Contains(supportedKinds, ch.Kind):
			p.at("kind").add("%s chains are not supported by this build yet (supported: %s)", ch.Kind, kindList(supportedKinds))
		}
		if ch.Kind == KindEVM {
			if ch.EVM == nil {
				p.at("evm").add("is required for kind evm")
			} else {
				ch.EVM.validate(p.at("evm"))
			}
		} else if ch.EVM != nil {
			p.at("evm").add("is set but the chain's kind is %q", ch.Kind)
		}
		if ch.Kind == KindFabric {
			if ch.Fabric == nil {
				p.at("fabric").add("is required for kind fabric")
			} else {
				ch.Fabric.validate(p.at("fabric"))
			}
		} else if ch.Fabric != nil {
			p.at("fabric").add("is set but the chain's kind is %q", ch.Kind)
		}
		if ch.Kind == KindCosmos {
			if ch.Cosmos == nil {
				p.at("cosmos").add("is required for kind cosmos")
			} else {
				ch.Cosmos.validate(p.at("cosmos"))
			}
		} else if ch.Cosmos != nil {
			p.at("cosmos").add("is set but the chain's kind is %q", ch.Kind)
		}
	}
	if len(c.Routes) == 0 {
		root.at("routes").add("at least one route is required")
	}
	routeNames := map[string]bool{}
	for i := range c.Routes {
		c.validateRoute(root.at(fmt.Sprintf("routes[%d]", i)), &c.Routes[i], routeNames)
	}
	if len(list) == 0 {
		return nil
	}
	return list
}

func (c *Config) validateStore(p problems) {
	switch c.Store.Driver {
	case "sqlite":
	case "postgres":
		p.at("driver").add("postgres is not available in this build yet; use sqlite")
	default:
		p.at("driver").add("unknown driver %q (sqlite)", c.Store.Driver)
	}
	if s := strings.ToLower(c.Store.Synchronous); s != "" && s != "full" && s != "normal" {
		p.at("synchronous").add("%q: use full or normal", c.Store.Synchronous)
	}
}

func (c *Config) validateTelemetry(p problems) {
	switch c.Telemetry.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		p.at("log.level").add("%q: use debug, info, warn or error", c.Telemetry.Log.Level)
	}
	switch c.Telemetry.Log.Format {
	case "json", "text":
	default:
		p.at("log.format").add("%q: use json or text", c.Telemetry.Log.Format)
	}
	if l := c.Telemetry.Listen; l != "" && !strings.Contains(l, ":") {
		p.at("listen").add("%q: want host:port, e.g. 127.0.0.1:9464", l)
	}
}

func (c *Config) validateRoute(p problems, r *Route, seen map[string]bool) {
	switch {
	case r.Name == "":
		p.at("name").add("is required")
	case seen[r.Name]:
		p.at("name").add("route %q is defined twice", r.Name)
	case !validName(r.Name):
		p.at("name").add("%q: use letters, digits, '-', '_' and '.' only", r.Name)
	}
	seen[r.Name] = true
	src, okSrc := c.checkChainRef(p.at("source.chain"), r.Source.Chain)
	dst, okDst := c.checkChainRef(p.at("destination.chain"), r.Destination.Chain)
	if okSrc && okDst && src.Name == dst.Name {
		p.at("destination.chain").add("is the route's source chain %q; a route must cross ledgers", src.Name)
	}
	if okDst && dst.EVM != nil && dst.EVM.Signer.Key.IsZero() {
		p.at("destination.chain").add("chain %q has no signer: set chains[%d].evm.signer.key to deliver to it", dst.Name, c.chainIndex(dst.Name))
	}
	if okSrc && src.EVM != nil && src.EVM.Outbox == "" {
		p.at("source.chain").add("chain %q has no outbox: set chains[%d].evm.outbox to read from it", src.Name, c.chainIndex(src.Name))
	}
	if okDst && dst.EVM != nil && dst.EVM.Inbox == "" {
		p.at("destination.chain").add("chain %q has no inbox: set chains[%d].evm.inbox to deliver to it", dst.Name, c.chainIndex(dst.Name))
	}
	if okDst && dst.Cosmos != nil && dst.Cosmos.Account.Key.IsZero() {
		p.at("destination.chain").add("chain %q has no account: set chains[%d].cosmos.account.key to deliver to it", dst.Name, c.chainIndex(dst.Name))
	}
	if okDst && dst.Cosmos != nil && dst.Cosmos.Gateway.ClientID == "" {
		p.at("destination.chain").add("chain %q has no gateway client: run `liaison cosmos setup-client` and set chains[%d].cosmos.gateway.client_id", dst.Name, c.chainIndex(dst.Name))
	}
	switch r.Ordering {
	case "ordered", "unordered":
	default:
		p.at("ordering").add("%q: use ordered or unordered", r.Ordering)
	}
	nonNegative(p.at("batch.max_records"), r.Batch.MaxRecords)
	nonNegative(p.at("batch.concurrency"), r.Batch.Concurrency)
	if r.Batch.MaxWait < 0 {
		p.at("batch.max_wait").add("must not be negative")
	}
	if r.Batch.MaxRecords > 1 && okDst && dst.Kind != KindEVM && dst.Kind != KindFabric {
		p.at("batch.max_records").add("chain %q (%s) cannot take batches yet: only EVM and Fabric destinations can; remove batch or set max_records to 1", dst.Name, dst.Kind)
	}
	nonNegative(p.at("parallelism"), r.Parallelism)
	nonNegative(p.at("batch_size"), r.BatchSize)
	nonNegative(p.at("retry.max_attempts"), r.Retry.MaxAttempts)
	nonNegative(p.at("rate_limit.burst"), r.RateLimit.Burst)
	if r.RateLimit.PerSecond < 0 {
		p.at("rate_limit.per_second").add("must not be negative")
	}
	if r.Retry.InitialBackoff < 0 || r.Retry.MaxBackoff < 0 || r.PollInterval < 0 || r.ConfirmInterval < 0 {
		p.add("durations must not be negative")
	}
	if r.Retry.MaxBackoff > 0 && r.Retry.MaxBackoff < r.Retry.InitialBackoff {
		p.at("retry.max_backoff").add("%s is below initial_backoff %s", r.Retry.MaxBackoff, r.Retry.InitialBackoff)
	}
	for j, m := range r.Proof.Accept {
		if !slices.Contains(TrustModels, m) {
			p.at(fmt.Sprintf("proof.accept[%d]", j)).add("unknown trust model %q (one of %s)", m, strings.Join(TrustModels, ", "))
		}
	}
}

// TrustModels are the trust models evidence can declare: the names the
// adapters' verifiers export (a test in cmd/liaison pins the two lists).
var TrustModels = []string{"qbft", "ibft2", "rpc-finality", "fabric-orderer+endorsement", "tendermint"}

func (c *Config) checkChainRef(p problems, name string) (*Chain, bool) {
	if name == "" {
		p.add("is required")
		return nil, false
	}
	ch, ok := c.Chain(name)
	if !ok {
		p.add("unknown chain %q (defined: %s)", name, c.chainNames())
		return nil, false
	}
	return ch, true
}

func (c *Config) chainIndex(name string) int {
	for i := range c.Chains {
		if c.Chains[i].Name == name {
			return i
		}
	}
	return -1
}

func (c *Config) chainNames() string {
	var names []string
	for _, ch := range c.Chains {
		if ch.Name != "" {
			names = append(names, ch.Name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func nonNegative(p problems, v int) {
	if v < 0 {
		p.add("must not be negative")
	}
}

func validName(s string) bool {
	for _, r := range s {
		if !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return s != ""
}

func kindList(ks []Kind) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}
