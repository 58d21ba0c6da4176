package cosmos

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/liaison-gw/liaison/relayer"
)

// TestRecordValueMatchesModule checks EncodeRecordValue byte for byte
// against values the records module stored on a devnet (the inclusion
// values of the committed bundles), and that DecodeRecordValue reads them
// back to the bundle's record.
func TestRecordValueMatchesModule(t *testing.T) {
	for _, b := range loadBundles(t) {
		var inc Inclusion
		if err := json.Unmarshal(b.ev.Inclusion, &inc); err != nil {
			t.Fatal(err)
		}
		got, err := EncodeRecordValue(&b.ev.Record)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, inc.Value) {
			t.Fatalf("%s: encoded\n%s\nthe module stored\n%s", b.name, got, inc.Value)
		}
		rec, err := DecodeRecordValue(inc.Value)
		if err != nil {
			t.Fatal(err)
		}
		if f := sameContent(&rec, &b.ev.Record); f != "" {
			t.Fatalf("%s: decoded record differs in %s", b.name, f)
		}
	}
}

func TestDecodeRecordValueRules(t *testing.T) {
	rec := testRecord(3, `<a href="x">&</a>`)
	good, err := EncodeRecordValue(&rec)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(good, []byte(`\u003c`)) {
		t.Fatalf("HTML escaped: %s", good)
	}
	if _, err := DecodeRecordValue(good); err != nil {
		t.Fatal(err)
	}
	noPrefix := strings.Replace(string(good), `"emitter":"0x`, `"emitter":"`, 1)
	if r, err := DecodeRecordValue([]byte(noPrefix)); err != nil || string(r.Source.Emitter) != PortID {
		t.Fatalf("hex without 0x: %v", err)
	}
	for name, bad := range map[string]string{
		"missing field":   strings.Replace(string(good), `"receiver":"licences",`, "", 1),
		"unknown field":   strings.Replace(string(good), `{"id"`, `{"extra":1,"id"`, 1),
		"trailing data":   string(good) + "{}",
		"wrong id":        strings.Replace(string(good), `"id":"`+rec.ID.String()[:2], `"id":"00`, 1),
		"short id":        strings.Replace(string(good), rec.ID.String(), rec.ID.String()[:62], 1),
		"payload changed": strings.Replace(string(good), `"payload":"`, `"payload":"AA`, 1),
		"not json":        "records",
		"bad hex":         strings.Replace(string(good), `"emitter":"0x`, `"emitter":"0xzz`, 1),
	} {
		if _, err := DecodeRecordValue([]byte(bad)); err == nil {
			t.Errorf("%s: accepted %s", name, bad)
		}
	}
}

func TestPublishedDecoding(t *testing.T) {
	rec := testRecord(5, "p")
	recPB := pbRecord(rec)
	// PublishedRecord{record 1, packet 2 {source_client 2}, sender 3, height 4, status 5}
	packet := appendBytes(nil, 2, []byte("06-solomachine-3"))
	pub := appendBytes(nil, 1, recPB)
	pub = appendBytes(pub, 2, packet)
	pub = appendBytes(pub, 3, []byte("cosmos1xyz"))
	pub = appendVarint(pub, 4, 42)
	pub = appendVarint(pub, 5, 1)
	p, err := decodePublished(appendBytes(nil, 1, pub))
	if err != nil {
		t.Fatal(err)
	}
	if f := sameContent(&p.record, &rec); f != "" || p.height != 42 || p.sourceClient != "06-solomachine-3" {
		t.Fatalf("decoded %+v (differs in %q)", p, f)
	}
	got, err := decodeDelivered(appendBytes(nil, 1, appendBytes(nil, 1, recPB)))
	if err != nil || sameContent(&got, &rec) != "" {
		t.Fatalf("delivered: %v", err)
	}
	if _, err := decodePublished([]byte{0xff}); err == nil {
		t.Fatal("accepted garbage")
	}
	name, err := decodeChainName(appendBytes(nil, 1, appendBytes(nil, 1, []byte("finance"))))
	if err != nil || name != "finance" {
		t.Fatalf("chain name %q: %v", name, err)
	}
}

func pbRecord(r relayer.Record) []byte {
	b := appendBytes(nil, 1, r.ID[:])
	b = appendBytes(b, 2, []byte(r.Source.Chain))
	b = appendBytes(b, 3, r.Source.Emitter)
	b = appendVarint(b, 4, r.Source.Sequence)
	b = appendBytes(b, 5, []byte(r.Destination))
	b = appendBytes(b, 6, []byte(r.Receiver))
	b = appendBytes(b, 7, []byte(r.ContentType))
	b = appendBytes(b, 8, r.Payload)
	return appendBytes(b, 9, r.PayloadHash[:])
}
