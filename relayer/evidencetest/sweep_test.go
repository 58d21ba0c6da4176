package evidencetest

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/relayertest"
)

func TestChangeLeaf(t *testing.T) {
	for _, c := range []struct {
		in   any
		want any
	}{
		{"0xabcd", "0xabcc"},
		{"0xABCD", "0xABCC"},
		{"ABCD", "ABCC"},
		{"sha256:00ff", "sha256:00fe"},
		{"AAECAw==", "AAEDAw=="}, // base64 of 00 01 02 03: byte 2 flipped
		{"qbft", "qbgt"},         // a word, though valid base64
		{"finance", "finbnce"},   // text: the middle letter
		{"", "x"},                // nothing to change: appended
		{"2026-11-30T20:32:04.7Z", "2026-11-30T20:32:05.7Z"}, // a time: one second later
		{json.Number("11"), json.Number("12")},
		{json.Number("18446744073709551615"), json.Number("18446744073709551616")},
		{true, false},
	} {
		got, change, _, _, _ := changeLeaf(c.in)
		if got != c.want {
			t.Errorf("%v: got %v (%s), want %v", c.in, got, change, c.want)
		}
	}
}

func TestTreeKeepsOrder(t *testing.T) {
	in := `{"z":1,"a":{"y":[1,"x",null,true],"b":"<&>"},"m":1.50}`
	tree, err := decodeTree([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"z":1,"a":{"y":[1,"x",null,true],"b":"\u003c\u0026\u003e"},"m":1.50}`
	if got := string(encodeTree(tree)); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if got := string(encodeTree(del(tree, []step{"a", "y", 1}))); got != `{"z":1,"a":{"y":[1,null,true],"b":"\u003c\u0026\u003e"},"m":1.50}` {
		t.Fatalf("after deleting a.y[1]: %s", got)
	}
}

// fakeBundle is a genuine bundle of relayertest's fake chain.
func fakeBundle(t *testing.T) []byte {
	t.Helper()
	c := relayertest.NewChain("alpha")
	rec := c.Publish("beta", 1)[0]
	p := &relayertest.Prover{Chain: c}
	anchor, err := p.Bootstrap(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ev, err := p.Prove(context.Background(), &rec, anchor)
	if err != nil {
		t.Fatal(err)
	}
	ev.Notes = []string{"a note"}
	raw, err := relayer.EncodeEvidence(ev)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// strictVerifier is relayertest's fake verifier, reading its documents
// strictly.
type strictVerifier struct{ relayertest.Verifier }

func (v strictVerifier) Verify(ev *relayer.Evidence, trusted relayer.Anchor, now time.Time) (relayer.Anchor, error) {
	var inc struct {
		Commitment string `json:"commitment"`
	}
	var con struct {
		MAC string `json:"mac"`
	}
	if err := relayer.DecodeStrict(ev.Inclusion, &inc); err != nil {
		return relayer.Anchor{}, &relayer.VerifyError{Check: "inclusion", Reason: err}
	}
	if err := relayer.DecodeStrict(ev.Consensus, &con); err != nil {
		return relayer.Anchor{}, &relayer.VerifyError{Check: "consensus", Reason: err}
	}
	return v.Verifier.Verify(ev, trusted, now)
}

// fakeGaps are the record fields the fake chain's commitment does not
// cover.
var fakeGaps = map[string]string{"record.route": "", "record.source.height": "", "record.source.tx_id": ""}

// TestRunFindsForgeries runs the sweep on a fake bundle: the fake
// verifier reads its documents loosely, so the unknown members added to
// them are findings; reading them strictly leaves only the fields its
// commitment does not cover, and listing those as gaps leaves nothing.
func TestRunFindsForgeries(t *testing.T) {
	raw := fakeBundle(t)
	for _, c := range []struct {
		name     string
		v        relayer.Verifier
		gaps     map[string]string
		findings []string
	}{
		{"loose", relayertest.Verifier{}, fakeGaps, []string{
			`field added consensus.forged: added "forged": "forged"`,
			`field added inclusion.forged: added "forged": "forged"`,
		}},
		{"strict, no gaps", strictVerifier{}, nil, []string{
			`field changed record.route: "" -> "x"`,
			`field changed record.source.height: 1 -> 2`,
			`field changed record.source.tx_id: "src-tx-1" -> "src-ux-1"`,
			`field deleted record.source.height: deleted`,
			`field deleted record.source.tx_id: deleted`,
		}},
		{"strict", strictVerifier{}, fakeGaps, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := Run(raw, Options{Verifier: c.v, Gaps: c.gaps})
			if err != nil {
				t.Fatal(err)
			}
			t.Log(res.Summary())
			if !slices.Equal(res.Findings, c.findings) {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(res.Findings, "\n"), strings.Join(c.findings, "\n"))
			}
			if len(res.Problems) > 0 {
				t.Errorf("problems: %v", res.Problems)
			}
			tolerated, gaps := 0, 0
			for _, n := range res.Tolerated {
				tolerated += n
			}
			for _, n := range res.Gaps {
				gaps += n
			}
			if sum := res.Refused + tolerated + res.Unauthenticated + gaps + len(res.Findings) + len(res.Problems); sum != res.Generated {
				t.Errorf("%d variants generated, %d accounted for", res.Generated, sum)
			}
			// record.source.time and proven_at changed and deleted,
			// notes deleted, its element changed and dropped.
			if res.Unauthenticated != 7 {
				t.Errorf("%d variants of unauthenticated fields verified, want 7", res.Unauthenticated)
			}
			if res.ByKind[ByteFlip] != 32+32 {
				t.Errorf("%d byte flips, want one for each byte of the commitment and the MAC", res.ByKind[ByteFlip])
			}
		})
	}
}

// refusingVerifier refuses bundles with notes: the sweep must report that
// as a problem, since nothing may depend on them.
type refusingVerifier struct{ strictVerifier }

func (v refusingVerifier) Verify(ev *relayer.Evidence, trusted relayer.Anchor, now time.Time) (relayer.Anchor, error) {
	if len(ev.Notes) != 1 || ev.Notes[0] != "a note" {
		return relayer.Anchor{}, &relayer.VerifyError{Check: "notes", Reason: relayer.ErrEvidence}
	}
	return v.strictVerifier.Verify(ev, trusted, now)
}

func TestRunReportsUnauthenticatedRefused(t *testing.T) {
	res, err := Run(fakeBundle(t), Options{Verifier: refusingVerifier{}, Gaps: fakeGaps})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 3 {
		t.Fatalf("problems: %v, want the three changes of notes", res.Problems)
	}
}
