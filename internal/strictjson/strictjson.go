// Package strictjson decodes JSON the way every part of an evidence bundle
// and every anchor must be read: object keys must match a field's JSON name
// exactly (encoding/json matches them case-insensitively), no object may
// repeat a key, and unknown fields and trailing data are errors.
//
// encoding/json alone lets one document mean two things: given
// {"record": A, "RECORD": B} it keeps B, while jq and Python keep A, and a
// reader who looks at the file sees A. Decode refuses such a document
// before decoding it, so that what a person or another tool reads is what
// was verified.
package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
)

// Decode checks data with Check against v's type, then decodes it into v
// with unknown fields and trailing data refused.
func Decode(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errors.New("strictjson: Decode needs a non-nil pointer")
	}
	if err := Check(data, rv.Type().Elem()); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// Check walks one JSON value in data against type t and reports the first
// object that repeats a key, or that has a key which is not the exact JSON
// name of a field of the struct t expects there. Values whose type decodes
// itself (json.Unmarshaler, encoding.TextUnmarshaler, json.RawMessage) and
// values of interface or map type are checked for repeated keys only, at
// every depth. A nil t checks repeated keys only.
func Check(data []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	w := walker{dec: dec}
	if err := w.value(t, "$"); err != nil {
		return err
	}
	return nil
}

type walker struct {
	dec   *json.Decoder
	depth int
}

// maxDepth bounds nesting; encoding/json has its own limit (10000), this
// one keeps the walk's recursion small for documents that are never that
// deep.
const maxDepth = 512

func (w *walker) value(t reflect.Type, path string) error {
	tok, err := w.dec.Token()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	w.depth++
	defer func() { w.depth-- }()
	if w.depth > maxDepth {
		return fmt.Errorf("%s: nested deeper than %d", path, maxDepth)
	}
	t = shape(t)
	switch d {
	case '{':
		return w.object(t, path)
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; w.dec.More(); i++ {
			if err := w.value(elem, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		_, err := w.dec.Token() // ']'
		return err
	}
	return fmt.Errorf("%s: unexpected %v", path, d)
}

func (w *walker) object(t reflect.Type, path string) error {
	var fields map[string]reflect.Type
	var elem reflect.Type
	if t != nil {
		switch t.Kind() {
		case reflect.Struct:
			fields = fieldsOf(t)
		case reflect.Map:
			elem = t.Elem()
		}
	}
	seen := map[string]bool{}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		key, ok := tok.(string)
		if !ok {
			return fmt.Errorf("%s: object key is not a string", path)
		}
		if seen[key] {
			return fmt.Errorf("%s: key %q appears twice", path, key)
		}
		seen[key] = true
		sub := elem
		if fields != nil {
			ft, ok := fields[key]
			if !ok {
				if near := nearest(fields, key); near != "" {
					return fmt.Errorf("%s: unknown field %q (field names are case-sensitive: did you mean %q?)", path, key, near)
				}
				return fmt.Errorf("%s: unknown field %q", path, key)
			}
			sub = ft
		}
		if err := w.value(sub, path+"."+key); err != nil {
			return err
		}
	}
	_, err := w.dec.Token() // '}'
	return err
}

func nearest(fields map[string]reflect.Type, key string) string {
	for name := range fields {
		if strings.EqualFold(name, key) {
			return name
		}
	}
	return ""
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// shape returns the type whose structure the JSON at this place follows,
// or nil when only repeated keys can be checked there.
func shape(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() == reflect.Interface {
		return nil
	}
	if t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) ||
		t.Implements(textUnmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return nil
	}
	return t
}

var fieldCache sync.Map // reflect.Type -> map[string]reflect.Type

// fieldsOf maps each exact JSON name that encoding/json decodes into a
// field of struct t to that field's type, promoting the fields of embedded
// structs as encoding/json does (a shallower field wins).
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	out := map[string]reflect.Type{}
	collect(t, out, map[reflect.Type]bool{})
	fieldCache.Store(t, out)
	return out
}

func collect(t reflect.Type, out map[string]reflect.Type, visiting map[reflect.Type]bool) {
	if visiting[t] {
		return
	}
	visiting[t] = true
	defer delete(visiting, t)
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				embedded = append(embedded, ft)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := out[name]; !dup {
			out[name] = f.Type
		}
	}
	for _, e := range embedded {
		inner := map[string]reflect.Type{}
		collect(e, inner, visiting)
		for k, v := range inner {
			if _, ok := out[k]; !ok {
				out[k] = v
			}
		}
	}
}
