// Package evidencetest forges evidence bundles: from one genuine bundle it
// generates every single-field change and a bit flip at every byte of
// every proof, and checks that relayer.VerifyEvidence refuses each of them.
// Each ledger adapter runs it on its committed testdata bundles; the
// package knows no concrete ledger.
package evidencetest

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kind is the kind of change a forgery makes.
type Kind int

// The kinds of forgery.
const (
	// FieldChanged changes one leaf value: a string by one character (by
	// one bit of the decoded bytes for hex and base64, by one second for
	// a time), a number by one, a bool flipped.
	FieldChanged Kind = iota
	// FieldDeleted deletes one member of an object.
	FieldDeleted
	// FieldAdded adds a member the format does not define to an object,
	// or a documented but absent unauthenticated field.
	FieldAdded
	// ElementDropped deletes one element of an array.
	ElementDropped
	// ByteFlip flips one bit of one byte of a decoded proof byte string
	// in the inclusion or consensus document.
	ByteFlip
	numKinds
)

func (k Kind) String() string {
	switch k {
	case FieldChanged:
		return "field changed"
	case FieldDeleted:
		return "field deleted"
	case FieldAdded:
		return "field added"
	case ElementDropped:
		return "element dropped"
	case ByteFlip:
		return "byte flip"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Digest says what a forgery of the embedded anchor did with the anchor's
// digest.
type Digest int

// What happens to the anchor digest.
const (
	// DigestUntouched: the forgery does not change the anchor, or changes
	// the digest itself.
	DigestUntouched Digest = iota
	// DigestStale: the anchor changed and its digest was left as it was.
	DigestStale
	// DigestRecomputed: the anchor changed and its digest was recomputed
	// (relayer.AnchorDigest), as an attacker relabelling the anchor would.
	DigestRecomputed
)

func (d Digest) String() string {
	switch d {
	case DigestStale:
		return "digest stale"
	case DigestRecomputed:
		return "digest recomputed"
	}
	return ""
}

// Forgery is one variant of a genuine bundle.
type Forgery struct {
	Kind Kind
	// Path is where the change is, as field names and [index]es from the
	// bundle's root: "record.source.height", "consensus.headers[3]".
	Path string
	// Change says what changed, for a report: "11 -> 12", "bit 0x04 of
	// byte 37 of 532".
	Change string
	// Digest is what happened to the anchor digest, for a change inside
	// the embedded anchor.
	Digest Digest
	// Offset and Mask are, for a byte string changed bit-wise (ByteFlip,
	// and FieldChanged of a hex or base64 string), the position in the
	// decoded bytes and the bits flipped there; Offset is -1 otherwise.
	Offset int
	Mask   byte
	// Bytes is that byte string after the flip; nil otherwise.
	Bytes []byte
	// Data is the whole forged bundle, encoded.
	Data []byte
}

func (f *Forgery) String() string {
	s := fmt.Sprintf("%s %s: %s", f.Kind, f.Path, f.Change)
	if f.Digest != DigestUntouched {
		s += " (" + f.Digest.String() + ")"
	}
	return s
}

// step is one step of a path: a member name (string) or an index (int).
type step = any

func pathString(p []step) string {
	var b strings.Builder
	for _, s := range p {
		switch s := s.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s)
		case int:
			fmt.Fprintf(&b, "[%d]", s)
		}
	}
	return b.String()
}

// under reports whether path is prefix or inside it.
func under(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+".") || strings.HasPrefix(path, prefix+"[")
}

// object is a JSON object that keeps its members in order: an anchor's
// digest covers its state byte for byte, so a forgery must not reorder
// members it does not mean to change.
type object struct {
	keys []string
	vals map[string]any
}

func (o *object) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *object) del(k string) {
	delete(o.vals, k)
	o.keys = slices.DeleteFunc(o.keys, func(x string) bool { return x == k })
}

// decodeTree decodes a JSON document into *objects, []any, strings,
// json.Numbers (so that numbers re-encode as they were), bools and nils.
func decodeTree(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		o := &object{vals: map[string]any{}}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			o.set(k.(string), v)
		}
		_, err := dec.Token()
		return o, err
	case json.Delim('['):
		a := []any{}
		for dec.More() {
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := dec.Token()
		return a, err
	}
	return tok, nil
}

// encodeTree encodes a decoded tree, members in their order, strings
// escaped as encoding/json escapes them by default (as the bundles were
// written).
func encodeTree(v any) []byte {
	var b bytes.Buffer
	encodeValue(&b, v)
	return b.Bytes()
}

func encodeValue(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case *object:
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			encodeValue(b, k)
			b.WriteByte(':')
			encodeValue(b, v.vals[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			encodeValue(b, x)
		}
		b.WriteByte(']')
	case json.Number:
		b.WriteString(v.String())
	default:
		out, err := json.Marshal(v)
		if err != nil {
			panic(fmt.Sprintf("evidencetest: encode %T: %v", v, err)) // unreachable: strings, bools, nil and samples
		}
		b.Write(out)
	}
}

func cloneTree(v any) any {
	switch v := v.(type) {
	case *object:
		out := &object{keys: slices.Clone(v.keys), vals: make(map[string]any, len(v.vals))}
		for k, x := range v.vals {
			out.vals[k] = cloneTree(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = cloneTree(x)
		}
		return out
	}
	return v
}

// walk calls f for v and every value inside it, parents first, members in
// order.
func walk(v any, path []step, f func(path []step, v any)) {
	f(path, v)
	switch v := v.(type) {
	case *object:
		for _, k := range v.keys {
			walk(v.vals[k], append(slices.Clip(path), k), f)
		}
	case []any:
		for i, x := range v {
			walk(x, append(slices.Clip(path), i), f)
		}
	}
}

// get returns the value at path, or false.
func get(root any, path []step) (any, bool) {
	v := root
	for _, s := range path {
		switch s := s.(type) {
		case string:
			o, ok := v.(*object)
			if !ok {
				return nil, false
			}
			if v, ok = o.vals[s]; !ok {
				return nil, false
			}
		case int:
			a, ok := v.([]any)
			if !ok || s >= len(a) {
				return nil, false
			}
			v = a[s]
		}
	}
	return v, true
}

// edit applies f to the parent of path's last step in a copy of root and
// returns the copy. f gets the parent (an *object or a slice) and the
// last step, and returns the new parent.
func edit(root any, path []step, f func(parent any, last step) any) any {
	out := cloneTree(root)
	if len(path) == 0 {
		return out
	}
	var rec func(v any, p []step) any
	rec = func(v any, p []step) any {
		if len(p) == 1 {
			return f(v, p[0])
		}
		switch s := p[0].(type) {
		case string:
			o := v.(*object)
			o.vals[s] = rec(o.vals[s], p[1:])
		case int:
			a := v.([]any)
			a[s] = rec(a[s], p[1:])
		}
		return v
	}
	return rec(out, path)
}

func set(root any, path []step, val any) any {
	return edit(root, path, func(parent any, last step) any {
		switch s := last.(type) {
		case string:
			parent.(*object).set(s, val)
		case int:
			parent.([]any)[s] = val
		}
		return parent
	})
}

func del(root any, path []step) any {
	return edit(root, path, func(parent any, last step) any {
		switch s := last.(type) {
		case string:
			parent.(*object).del(s)
		case int:
			a := parent.([]any)
			return slices.Delete(a, s, s+1)
		}
		return parent
	})
}

// byteCodec is how a string leaf encodes bytes.
type byteCodec struct {
	prefix string // "0x", "sha256:" or ""
	base64 bool
	upper  bool // hex in upper case
}

func (c byteCodec) encode(b []byte) string {
	if c.base64 {
		return base64.StdEncoding.EncodeToString(b)
	}
	s := hex.EncodeToString(b)
	if c.upper {
		s = strings.ToUpper(s)
	}
	return c.prefix + s
}

// bytesOf reports whether s encodes bytes as hex (0x-prefixed, "sha256:"
// prefixed or bare) or as standard base64, and returns them. A string
// counts only if it re-encodes to exactly itself, so that a flipped bit
// changes the bytes a reader decodes and nothing else. Words of letters
// only ("qbft", "majority") are text, even when they happen to be valid
// base64.
func bytesOf(s string) ([]byte, byteCodec, bool) {
	for _, prefix := range []string{"sha256:", "0x"} {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			if b, c, ok := hexOf(rest); ok {
				c.prefix = prefix
				return b, c, true
			}
		}
	}
	if len(s) >= 2 {
		if b, c, ok := hexOf(s); ok {
			return b, c, true
		}
	}
	if len(s) >= 4 && len(s)%4 == 0 && strings.ContainsFunc(s, func(r rune) bool { return !isLetter(r) }) {
		if b, err := base64.StdEncoding.Strict().DecodeString(s); err == nil && base64.StdEncoding.EncodeToString(b) == s {
			return b, byteCodec{base64: true}, true
		}
	}
	return nil, byteCodec{}, false
}

func hexOf(s string) ([]byte, byteCodec, bool) {
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, byteCodec{}, false
	}
	for _, c := range []byteCodec{{}, {upper: true}} {
		if c.encode(b) == s {
			return b, c, true
		}
	}
	return nil, byteCodec{}, false // mixed case: not a plain re-encoding
}

func isLetter(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }

// timeOf reports whether s is an RFC 3339 time that re-encodes to itself.
func timeOf(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil && t.Format(time.RFC3339Nano) == s
}

// changeLeaf returns a changed copy of a leaf value and says what changed;
// for a byte string it also returns the flipped bytes and where.
func changeLeaf(v any) (out any, change string, off int, mask byte, flipped []byte) {
	switch v := v.(type) {
	case string:
		if t, ok := timeOf(v); ok {
			s := t.Add(time.Second).Format(time.RFC3339Nano)
			return s, fmt.Sprintf("%q -> %q", v, s), -1, 0, nil
		}
		if b, c, ok := bytesOf(v); ok && len(b) > 0 {
			off, mask = len(b)/2, 0x01
			b[off] ^= mask
			return c.encode(b), fmt.Sprintf("bit 0x%02x of byte %d of %d", mask, off, len(b)), off, mask, b
		}
		s := changeText(v)
		return s, fmt.Sprintf("%q -> %q", v, s), -1, 0, nil
	case json.Number:
		n := plusOne(v)
		return n, fmt.Sprintf("%s -> %s", v, n), -1, 0, nil
	case bool:
		return !v, fmt.Sprintf("%t -> %t", v, !v), -1, 0, nil
	case nil:
		return json.Number("0"), "null -> 0", -1, 0, nil
	}
	panic(fmt.Sprintf("evidencetest: leaf of type %T", v)) // unreachable: decodeTree makes no other leaf
}

// changeText changes one character of s: the first letter or digit from
// the middle on (wrapping round), to the next one of its class; a string
// with none gets an "x" appended.
func changeText(s string) string {
	r := []rune(s)
	for k := range r {
		i := (len(r)/2 + k) % len(r)
		switch c := r[i]; {
		case c >= 'a' && c <= 'z':
			r[i] = 'a' + (c-'a'+1)%26
		case c >= 'A' && c <= 'Z':
			r[i] = 'A' + (c-'A'+1)%26
		case c >= '0' && c <= '9':
			r[i] = '0' + (c-'0'+1)%10
		default:
			continue
		}
		return string(r)
	}
	return s + "x"
}

func plusOne(n json.Number) json.Number {
	if i, ok := new(big.Int).SetString(n.String(), 10); ok {
		return json.Number(i.Add(i, big.NewInt(1)).String())
	}
	f, _, err := big.ParseFloat(n.String(), 10, 256, big.ToNearestEven)
	if err != nil {
		return n + "1" // not a number decodeTree produces
	}
	return json.Number(f.Add(f, big.NewFloat(1)).Text('g', -1))
}

// isZero reports whether v is the JSON form of a Go zero value: "", 0,
// false, null, [] or an object whose members are all zero.
func isZero(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case bool:
		return !v
	case json.Number:
		f, err := strconv.ParseFloat(v.String(), 64)
		return err == nil && f == 0
	case []any:
		return len(v) == 0
	case *object:
		for _, x := range v.vals {
			if !isZero(x) {
				return false
			}
		}
		return true
	}
	return false
}

// dropZero removes the zero-valued members of every object in v, and the
// members at the given paths.
func dropZero(v any, path []step, drop []string) any {
	switch v := v.(type) {
	case *object:
		out := &object{vals: map[string]any{}}
		for _, k := range v.keys {
			p := append(slices.Clip(path), k)
			if slices.ContainsFunc(drop, func(d string) bool { return under(pathString(p), d) }) {
				continue
			}
			if x := dropZero(v.vals[k], p, drop); !isZero(x) {
				out.set(k, x)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = dropZero(x, append(slices.Clip(path), i), drop)
		}
		return out
	}
	return v
}
