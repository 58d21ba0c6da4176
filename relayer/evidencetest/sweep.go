package evidencetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/relayer"
)

// Field is a bundle field that no verifier authenticates.
type Field struct {
	Path string
	// Sample is a value the sweep adds when the bundle lacks the field.
	Sample any
	// Why says where the format documents that nothing checks it.
	Why string
}

// Unauthenticated are the only bundle fields the sweep does not require
// to be refused when changed. For them it requires the opposite: every
// change (and adding the field when it is absent) must leave the genuine
// bundle valid, so that leaving them out hides nothing.
var Unauthenticated = []Field{
	{Path: "record.source.time", Sample: "2001-02-03T04:05:06.000000007Z",
		Why: "relayer.SourceRef.Time: no ledger's commitment covers it, verifiers and SameRecord ignore it"},
	{Path: "proven_at", Sample: "2001-02-03T04:05:06Z",
		Why: "when the prover ran; a verifier takes the time from its caller (now), never from the bundle"},
	{Path: "notes", Sample: []any{"forged note"},
		Why: "relayer.Evidence.Notes: the prover's remarks, which nothing checks"},
}

// SameBundle is the reason Run gives for a variant that verified because
// it only omits a field that held its zero value: strict decoding yields
// the very bundle the genuine one decodes to.
const SameBundle = "omits a zero-valued field: decodes to the same bundle"

// Options configure Run.
type Options struct {
	// Verifier is the ledger's verifier, run through VerifyEvidence.
	Verifier relayer.Verifier
	// Now is the time every variant is verified at; zero means the
	// genuine bundle's proven_at.
	Now time.Time
	// Stride makes ByteFlip forge every Stride-th byte position of each
	// proof byte string only; 0 and 1 mean every position. See
	// ShortStride.
	Stride int
	// Gaps are known accepted forgeries, path to reason: a variant under
	// one of these paths that verifies is counted apart and reported, not
	// failed, and Report fails if a listed path has no accepted variant
	// any more (the gap was closed: shorten the list).
	Gaps map[string]string
	// Tolerate judges a variant that verified and is neither of an
	// unauthenticated field nor SameBundle, given its verdict and the
	// genuine bundle's. It returns why the change is provably harmless,
	// or "" for a forgery the verifier should have refused. nil tolerates
	// nothing. It is called from several goroutines at once.
	Tolerate func(f *Forgery, got, genuine *relayer.Verdict) string
}

// ShortStride is the Stride tests use: every position, or under
// testing.Short a deterministic sample of one in 16.
func ShortStride() int {
	if testing.Short() {
		return 16
	}
	return 1
}

// Result counts what a sweep generated and how the verifier judged it.
// Every variant is counted exactly once in Refused, Tolerated,
// Unauthenticated, Gaps, Findings or Problems.
type Result struct {
	Generated int
	ByKind    [numKinds]int
	// AnchorVariants counts the variants of the embedded anchor by what
	// happened to its digest; NoRecompute counts anchor changes whose
	// digest cannot be recomputed (the state was deleted), which are
	// forged with a stale digest only.
	AnchorVariants map[Digest]int
	NoRecompute    int
	Refused        int
	// RefusedAt counts refusals by the failed check: "decode" for
	// DecodeEvidence, else relayer.VerifyError.Check.
	RefusedAt map[string]int
	// Tolerated counts accepted variants by the reason they are harmless.
	Tolerated map[string]int
	// ToleratedChanges are those variants, each with its reason.
	ToleratedChanges []string
	// Unauthenticated counts variants of Unauthenticated fields, all of
	// which verified.
	Unauthenticated int
	// Gaps counts accepted variants under Options.Gaps paths.
	Gaps map[string]int
	// GapChanges are those variants.
	GapChanges []string
	// Findings are accepted forgeries: every one is a verifier bug.
	Findings []string
	// Problems are variants the sweep could not judge as required: an
	// unauthenticated change refused, an error that is not a
	// relayer.VerifyError, a panic.
	Problems []string

	gaps map[string]string
}

func newResult(gaps map[string]string) *Result {
	return &Result{AnchorVariants: map[Digest]int{}, RefusedAt: map[string]int{}, Tolerated: map[string]int{}, Gaps: map[string]int{}, gaps: gaps}
}

// Add adds o's counts to r.
func (r *Result) Add(o *Result) {
	if r.AnchorVariants == nil {
		*r = *newResult(nil)
	}
	r.Generated += o.Generated
	for k := range r.ByKind {
		r.ByKind[k] += o.ByKind[k]
	}
	for _, m := range []struct{ dst, src map[string]int }{{r.RefusedAt, o.RefusedAt}, {r.Tolerated, o.Tolerated}, {r.Gaps, o.Gaps}} {
		for k, n := range m.src {
			m.dst[k] += n
		}
	}
	for k, n := range o.AnchorVariants {
		r.AnchorVariants[k] += n
	}
	r.NoRecompute += o.NoRecompute
	r.Refused += o.Refused
	r.Unauthenticated += o.Unauthenticated
	r.ToleratedChanges = append(r.ToleratedChanges, o.ToleratedChanges...)
	r.GapChanges = append(r.GapChanges, o.GapChanges...)
	r.Findings = append(r.Findings, o.Findings...)
	r.Problems = append(r.Problems, o.Problems...)
}

// Summary is the one-paragraph account of r that Report logs.
func (r *Result) Summary() string {
	var b strings.Builder
	tolerated := 0
	for _, n := range r.Tolerated {
		tolerated += n
	}
	gaps := 0
	for _, n := range r.Gaps {
		gaps += n
	}
	fmt.Fprintf(&b, "%d variants: %d refused, %d tolerated, %d of unauthenticated fields verified (as they must), %d known gaps accepted, %d findings, %d problems",
		r.Generated, r.Refused, tolerated, r.Unauthenticated, gaps, len(r.Findings), len(r.Problems))
	var kinds []string
	for k, n := range r.ByKind {
		kinds = append(kinds, fmt.Sprintf("%s %d", Kind(k), n))
	}
	fmt.Fprintf(&b, "\n  generated: %s; anchor changes: %d with the digest stale, %d recomputed (%d not recomputable)",
		strings.Join(kinds, ", "), r.AnchorVariants[DigestStale], r.AnchorVariants[DigestRecomputed], r.NoRecompute)
	fmt.Fprintf(&b, "\n  refused at: %s", counts(r.RefusedAt))
	if tolerated > 0 {
		fmt.Fprintf(&b, "\n  tolerated: %s", counts(r.Tolerated))
	}
	if gaps > 0 {
		fmt.Fprintf(&b, "\n  known gaps (ACCEPTED forgeries): %s", counts(r.Gaps))
	}
	return b.String()
}

func counts(m map[string]int) string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(out, "; ")
}

// maxListed bounds the variants Report lists one by one.
const maxListed = 20

// Report logs r's summary and the known gaps' changes, and fails t for
// every finding and problem, and for every gap of Options.Gaps that no
// variant reproduced.
func (r *Result) Report(t testing.TB) {
	t.Helper()
	t.Log(r.Summary())
	for _, list := range []struct {
		what  string
		items []string
	}{{"tolerated", r.ToleratedChanges}, {"ACCEPTED (known gap)", r.GapChanges}} {
		for i, s := range list.items {
			if i == maxListed {
				t.Logf("... and %d more", len(list.items)-maxListed)
				break
			}
			t.Logf("%s: %s", list.what, s)
		}
	}
	for path, why := range r.gaps {
		if r.Gaps[path] == 0 {
			t.Errorf("known gap %s (%s): no change there verifies any more; remove it from the list", path, why)
		}
	}
	for _, list := range []struct {
		what  string
		items []string
	}{{"ACCEPTED FORGERY", r.Findings}, {"sweep problem", r.Problems}} {
		for i, s := range list.items {
			if i == maxListed {
				t.Errorf("... and %d more", len(list.items)-maxListed)
				break
			}
			t.Errorf("%s: %s", list.what, s)
		}
	}
}

// Run forges raw, a genuine evidence bundle, in every way the package
// documents, and verifies each variant as `liaison evidence verify` does:
// relayer.DecodeEvidence, then relayer.VerifyEvidence against the
// genuine bundle's embedded anchor, which stays the trusted one whatever
// the variant embeds. It returns an error only when the genuine bundle
// does not verify; what the variants did is in the Result. Variants are
// verified on GOMAXPROCS goroutines.
func Run(raw []byte, opts Options) (*Result, error) {
	genuine, err := relayer.DecodeEvidence(raw)
	if err != nil {
		return nil, fmt.Errorf("genuine bundle: %w", err)
	}
	trusted := genuine.Anchor
	now := opts.Now
	if now.IsZero() {
		now = genuine.ProvenAt
	}
	verify := func(data []byte) (*relayer.Verdict, error) {
		ev, err := relayer.DecodeEvidence(data)
		if err != nil {
			return nil, err
		}
		v, err := relayer.VerifyEvidence(ev, trusted, opts.Verifier, now)
		return &v, err
	}
	want, err := verify(raw)
	if err != nil {
		return nil, fmt.Errorf("genuine bundle: %w", err)
	}
	tree, err := decodeTree(raw)
	if err != nil {
		return nil, fmt.Errorf("genuine bundle: %w", err)
	}
	reencoded := encodeTree(tree)
	if _, err := verify(reencoded); err != nil {
		return nil, fmt.Errorf("genuine bundle, re-encoded by the sweep: %w", err)
	}
	var unauth []string
	for _, f := range Unauthenticated {
		unauth = append(unauth, f.Path)
	}
	canonical := func(data []byte) []byte {
		v, err := decodeTree(data)
		if err != nil {
			return nil
		}
		return encodeTree(dropZero(v, nil, unauth))
	}
	same := canonical(raw)

	res := newResult(opts.Gaps)
	var mu sync.Mutex
	judge := func(f *Forgery) {
		got, err := verifyNoPanic(verify, f.Data)
		isUnauth := slices.ContainsFunc(unauth, func(p string) bool { return under(f.Path, p) })
		why, gap := "", ""
		if err == nil && !isUnauth {
			if bytes.Equal(canonical(f.Data), same) {
				why = SameBundle
			} else if opts.Tolerate != nil {
				why = opts.Tolerate(f, got, want)
			}
			for p := range opts.Gaps {
				if under(f.Path, p) {
					gap = p
				}
			}
		}
		mu.Lock()
		defer mu.Unlock()
		res.Generated++
		res.ByKind[f.Kind]++
		if f.Digest != DigestUntouched {
			res.AnchorVariants[f.Digest]++
		}
		var (
			ve  *relayer.VerifyError
			pan panicError
		)
		switch {
		case errors.As(err, &pan):
			res.Problems = append(res.Problems, fmt.Sprintf("%s: %v", f, err))
		case err != nil && isUnauth:
			res.Problems = append(res.Problems, fmt.Sprintf("%s: a change of an unauthenticated field was refused: %v", f, err))
		case err != nil && got == nil:
			res.Refused++
			res.RefusedAt["decode"]++
		case errors.As(err, &ve) && errors.Is(err, relayer.ErrEvidence):
			res.Refused++
			res.RefusedAt[ve.Check]++
		case err != nil:
			res.Problems = append(res.Problems, fmt.Sprintf("%s: refused with %T, not a relayer.VerifyError: %v", f, err, err))
		case isUnauth:
			res.Unauthenticated++
		case why != "":
			res.Tolerated[why]++
			res.ToleratedChanges = append(res.ToleratedChanges, fmt.Sprintf("%s [%s]", f, why))
		case gap != "":
			res.Gaps[gap]++
			res.GapChanges = append(res.GapChanges, f.String())
		default:
			res.Findings = append(res.Findings, f.String())
		}
	}

	variants := make(chan *Forgery, 2*runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for f := range variants {
				judge(f)
			}
		})
	}
	forge(tree, opts.Stride, res, func(f *Forgery) { variants <- f })
	close(variants)
	wg.Wait()
	slices.Sort(res.Findings)
	slices.Sort(res.Problems)
	slices.Sort(res.GapChanges)
	slices.Sort(res.ToleratedChanges)
	return res, nil
}

// SameVerdict reports whether two verdicts are the same in every field:
// the same record (source height, transaction and time included), trust
// model, anchor and next anchor.
func SameVerdict(a, b *relayer.Verdict) bool {
	return reflect.DeepEqual(a.Record, b.Record) && a.Model == b.Model && a.Anchor.Digest == b.Anchor.Digest && a.Next.Digest == b.Next.Digest
}

// panicError is a verifier's panic, turned into an error.
type panicError struct{ v any }

func (p panicError) Error() string { return fmt.Sprintf("panic: %v", p.v) }

// verifyNoPanic runs verify, turning a panic into a panicError: a panic on
// forged input is a bug to report with the forgery that caused it.
func verifyNoPanic(verify func([]byte) (*relayer.Verdict, error), data []byte) (v *relayer.Verdict, err error) {
	defer func() {
		if p := recover(); p != nil {
			v, err = nil, panicError{p}
		}
	}()
	return verify(data)
}

// unknownMember is the name of the member FieldAdded adds to objects.
const unknownMember = "forged"

// forge calls emit with every variant of tree:
//
//   - FieldChanged for every leaf, FieldDeleted for every object member,
//     FieldAdded of an unknown member to every object, ElementDropped for
//     every array element, across the whole bundle;
//   - FieldAdded of every Unauthenticated field the bundle lacks;
//   - ByteFlip at every stride-th byte of every hex or base64 string in
//     the inclusion and consensus documents, one bit each, the bit
//     rotating with the position.
//
// A change inside the embedded anchor (other than to its digest) is
// emitted twice: with the digest stale, and with it recomputed.
func forge(tree any, stride int, res *Result, emit func(*Forgery)) {
	if stride < 1 {
		stride = 1
	}
	anchorChange := func(f *Forgery, path []step, changed any) {
		p := pathString(path)
		if !under(p, "anchor") || p == "anchor" || under(p, "anchor.digest") {
			f.Data = encodeTree(changed)
			emit(f)
			return
		}
		stale := *f
		stale.Digest, stale.Data = DigestStale, encodeTree(changed)
		emit(&stale)
		a, ok := get(changed, []step{"anchor"})
		if !ok {
			return
		}
		var anchor relayer.Anchor
		d, err := "", json.Unmarshal(encodeTree(a), &anchor)
		if err == nil {
			d, err = relayer.AnchorDigest(anchor)
		}
		if err != nil {
			res.NoRecompute++
			return
		}
		relabelled := *f
		relabelled.Digest, relabelled.Data = DigestRecomputed, encodeTree(set(changed, []step{"anchor", "digest"}, d))
		emit(&relabelled)
	}

	walk(tree, nil, func(path []step, v any) {
		p := pathString(path)
		switch v := v.(type) {
		case *object:
			for _, k := range v.keys {
				at := append(slices.Clip(path), k)
				anchorChange(&Forgery{Kind: FieldDeleted, Path: pathString(at), Change: "deleted", Offset: -1}, at, del(tree, at))
			}
			at := append(slices.Clip(path), unknownMember)
			anchorChange(&Forgery{Kind: FieldAdded, Path: pathString(at), Change: fmt.Sprintf("added %q: %q", unknownMember, unknownMember), Offset: -1},
				at, set(tree, at, unknownMember))
		case []any:
			for i := range v {
				at := append(slices.Clip(path), i)
				anchorChange(&Forgery{Kind: ElementDropped, Path: pathString(at), Change: fmt.Sprintf("element %d of %d dropped", i, len(v)), Offset: -1}, at, del(tree, at))
			}
		default:
			if len(path) == 0 {
				return
			}
			out, change, off, mask, flipped := changeLeaf(v)
			anchorChange(&Forgery{Kind: FieldChanged, Path: p, Change: change, Offset: off, Mask: mask, Bytes: flipped}, path, set(tree, path, out))
		}
	})

	for _, f := range Unauthenticated {
		path := parsePath(f.Path)
		if _, ok := get(tree, path); ok {
			continue
		}
		if _, ok := get(tree, path[:len(path)-1]); !ok {
			continue
		}
		emit(&Forgery{Kind: FieldAdded, Path: f.Path, Change: fmt.Sprintf("added %v", f.Sample), Offset: -1, Data: encodeTree(set(tree, path, f.Sample))})
	}

	for _, doc := range []string{"inclusion", "consensus"} {
		sub, ok := get(tree, []step{doc})
		if !ok {
			continue
		}
		walk(sub, []step{doc}, func(path []step, v any) {
			s, ok := v.(string)
			if !ok {
				return
			}
			b, c, ok := bytesOf(s)
			if !ok || len(b) == 0 {
				return
			}
			const placeholder = "\x00evidencetest\x00"
			enc := encodeTree(set(tree, path, placeholder))
			quoted, _ := json.Marshal(placeholder)
			before, after, ok := bytes.Cut(enc, quoted)
			if !ok {
				panic("evidencetest: placeholder not found") // unreachable: encodeTree wrote it
			}
			p := pathString(path)
			for i := 0; i < len(b); i += stride {
				mask := byte(1) << ((i ^ i>>4) & 7)
				flipped := bytes.Clone(b)
				flipped[i] ^= mask
				data := make([]byte, 0, len(before)+len(after)+len(s)+2)
				data = append(data, before...)
				data = append(data, '"')
				data = append(data, c.encode(flipped)...)
				data = append(data, '"')
				data = append(data, after...)
				emit(&Forgery{Kind: ByteFlip, Path: p, Change: fmt.Sprintf("bit 0x%02x of byte %d of %d", mask, i, len(b)),
					Offset: i, Mask: mask, Bytes: flipped, Data: data})
			}
		})
	}
}

// parsePath splits a dotted path of member names.
func parsePath(p string) []step {
	var out []step
	for _, s := range strings.Split(p, ".") {
		out = append(out, s)
	}
	return out
}

// RunTestdata runs Run on every testdata/evidence_*.json of the package
// under test, one subtest each, with the options options returns for the
// bundle; it reports each result and logs the total, which it returns.
func RunTestdata(t *testing.T, ledger relayer.Ledger, options func(t *testing.T, raw []byte) Options) *Result {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "evidence_*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no bundles in testdata: %v", err)
	}
	total := newResult(nil)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Run(raw, options(t, raw))
			if err != nil {
				t.Fatal(err)
			}
			res.Report(t)
			total.Add(res)
		})
	}
	t.Logf("%s, %d bundles (stride %d): %s", ledger, len(files), ShortStride(), total.Summary())
	return total
}
