package strictjson

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

type inner struct {
	Name string `json:"name"`
	N    int    `json:"n,omitempty"`
}

type Base struct {
	Kind string `json:"kind"`
}

type outer struct {
	Base
	Record inner            `json:"record"`
	List   []inner          `json:"list"`
	Raw    json.RawMessage  `json:"raw"`
	Map    map[string]inner `json:"map"`
	Ptr    *inner           `json:"ptr"`
	At     time.Time        `json:"at"`
	Any    any              `json:"any"`
	Plain  string
	hidden string
	Skip   string `json:"-"`
}

func TestDecodeAccepts(t *testing.T) {
	doc := `{"kind":"k","record":{"name":"a","n":1},"list":[{"name":"b"}],"raw":{"x":{"y":1}},
		"map":{"K":{"name":"c"}},"ptr":null,"at":"2026-01-02T03:04:05Z","any":{"a":[1,{"b":2}]},"Plain":"p"}`
	var o outer
	if err := Decode([]byte(doc), &o); err != nil {
		t.Fatal(err)
	}
	if o.Kind != "k" || o.Record.Name != "a" || o.List[0].Name != "b" || o.Map["K"].Name != "c" || o.Plain != "p" {
		t.Fatalf("decoded %+v", o)
	}
}

// TestDecodeRefuses is the attack of a bundle that reads one way to jq and
// another to encoding/json, and its relatives at every depth.
func TestDecodeRefuses(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"decoy in another case", `{"record":{"name":"decoy"},"RECORD":{"name":"genuine"}}`, `unknown field "RECORD"`},
		{"case alone", `{"Record":{"name":"a"}}`, `did you mean "record"`},
		{"nested case", `{"record":{"NAME":"a"}}`, `$.record: unknown field "NAME"`},
		{"duplicate", `{"record":{"name":"a"},"record":{"name":"b"}}`, `key "record" appears twice`},
		{"nested duplicate", `{"record":{"name":"a","name":"b"}}`, `$.record: key "name" appears twice`},
		{"duplicate in list", `{"list":[{"name":"a"},{"name":"a","name":"b"}]}`, `$.list[1]: key "name" appears twice`},
		{"duplicate in raw", `{"raw":{"x":1,"x":2}}`, `$.raw: key "x" appears twice`},
		{"deep duplicate in raw", `{"raw":[{"x":{"y":1,"y":2}}]}`, `$.raw[0].x: key "y" appears twice`},
		{"duplicate in map", `{"map":{"k":{"name":"a"},"k":{"name":"b"}}}`, `key "k" appears twice`},
		{"case in map value", `{"map":{"k":{"Name":"a"}}}`, `unknown field "Name"`},
		{"duplicate in any", `{"any":{"a":1,"a":2}}`, `key "a" appears twice`},
		{"unknown", `{"extra":1}`, `unknown field "extra"`},
		{"embedded case", `{"KIND":"k"}`, `unknown field "KIND"`},
		{"ignored field", `{"Skip":"x"}`, `unknown field "Skip"`},
		{"unexported", `{"hidden":"x"}`, `unknown field "hidden"`},
		{"trailing", `{"kind":"k"} {}`, `trailing data`},
		{"truncated", `{"kind":`, `EOF`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var o outer
			err := Decode([]byte(tc.doc), &o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Decode(%s) = %v, want an error containing %q", tc.doc, err, tc.want)
			}
		})
	}
}

func TestDepthBound(t *testing.T) {
	doc := strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1)
	if err := Check([]byte(doc), nil); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Fatalf("Check = %v", err)
	}
}

// FuzzDecode checks that Decode never panics and never accepts a document
// that repeats a key or whose keys encoding/json would match only by case.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"kind":"k","record":{"name":"a"},"raw":{"x":1}}`))
	f.Add([]byte(`{"record":{"name":"decoy"},"RECORD":{"name":"genuine"}}`))
	f.Add([]byte(`{"map":{"k":{"name":"a"}},"list":[{"name":"b","n":2}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var o outer
		if Decode(data, &o) != nil {
			return
		}
		// Whatever was accepted decodes to the same value when keys are
		// matched exactly by a generic reader.
		var generic map[string]any
		if err := json.Unmarshal(data, &generic); err != nil {
			t.Fatalf("accepted but not an object: %v", err)
		}
		for k := range generic {
			if _, ok := fieldsOf(reflectTypeOuter)[k]; !ok {
				t.Fatalf("accepted key %q that is not a field name", k)
			}
		}
	})
}

var reflectTypeOuter = reflect.TypeFor[outer]()
