package qbft_test

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/liaison-gw/liaison/proofs/qbft"
	"github.com/liaison-gw/liaison/proofs/qbft/qbfttest"
)

var variants = []qbft.Variant{qbft.QBFT, qbft.IBFT2}

func TestQuorum(t *testing.T) {
	for _, tc := range []struct{ n, quorum, skip int }{
		{0, 0, 0}, {1, 1, 1}, {2, 2, 2}, {3, 2, 3}, {4, 3, 3}, {5, 4, 4}, {6, 4, 5}, {7, 5, 5}, {10, 7, 7}, {100, 67, 67},
	} {
		if q := qbft.Quorum(tc.n); q != tc.quorum {
			t.Errorf("Quorum(%d) = %d, want %d", tc.n, q, tc.quorum)
		}
		if s := qbft.SkipThreshold(tc.n); s != tc.skip {
			t.Errorf("SkipThreshold(%d) = %d, want %d", tc.n, s, tc.skip)
		}
	}
}

// TestGeneratedChain builds chains with 4 and 7 validators in both variants,
// in several rounds, sealed by exactly a quorum and by everyone.
func TestGeneratedChain(t *testing.T) {
	for _, v := range variants {
		for _, n := range []int{4, 7} {
			t.Run(fmt.Sprintf("%v/%d", v, n), func(t *testing.T) {
				s := mustSealer(t, n)
				g, ts := mustGenesis(t, s, v)
				parent, headers := g, []*types.Header(nil)
				for i := 0; i < 6; i++ {
					signers := qbfttest.All(n)
					if i%2 == 0 {
						signers = signers[n-qbft.Quorum(n):] // exactly a quorum
					}
					h := mustChild(t, s, v, parent, s.Validators(), nil, uint32(i%3), signers)
					next, err := qbft.VerifyAdjacent(ts, h, genNow)
					if err != nil {
						t.Fatalf("height %d: %v", i+1, err)
					}
					if want, _ := qbft.BlockHash(v, h); next.Hash != want {
						t.Fatalf("height %d: hash %s, want %s", i+1, next.Hash, want)
					}
					ts, parent = next, h
					headers = append(headers, h)
				}
				_, ts0 := mustGenesis(t, s, v) // same keys, same genesis
				end, err := qbft.VerifyChain(ts0, headers, genNow)
				if err != nil || end.Hash != ts.Hash {
					t.Fatalf("VerifyChain: %v", err)
				}
				skipped, err := qbft.VerifySkip(ts0, headers[len(headers)-1], genNow)
				if err != nil || skipped.Hash != ts.Hash {
					t.Fatalf("VerifySkip: %v", err)
				}
			})
		}
	}
}

// TestAdjacentRejections covers every rejection of VerifyAdjacent on
// generated headers, for both variants and 4 and 7 validators.
func TestAdjacentRejections(t *testing.T) {
	outsider := mustSealer(t, 1)
	for _, v := range variants {
		for _, n := range []int{4, 7} {
			t.Run(fmt.Sprintf("%v/%d", v, n), func(t *testing.T) {
				s := mustSealer(t, n)
				g, ts := mustGenesis(t, s, v)
				vals := s.Validators()
				q := qbft.Quorum(n)
				quorum := qbfttest.All(q)
				good := mustChild(t, s, v, g, vals, nil, 0, quorum)
				if _, err := qbft.VerifyAdjacent(ts, good, genNow); err != nil {
					t.Fatal(err)
				}
				// sealWith seals h with the validators at idx, then foreign
				// seals from a key outside the set.
				sealWith := func(h *types.Header, round uint32, idx []int, foreign int) *types.Header {
					keys := make([]*ecdsa.PrivateKey, 0, len(idx)+foreign)
					for _, i := range idx {
						keys = append(keys, s.Keys[i])
					}
					for i := 0; i < foreign; i++ {
						keys = append(keys, outsider.Keys[0])
					}
					out, err := s.SealWithKeys(v, h, round, keys)
					if err != nil {
						t.Fatal(err)
					}
					return out
				}
				cases := []struct {
					name string
					h    *types.Header
					want error
				}{
					{"one seal below quorum", mustChild(t, s, v, g, vals, nil, 0, quorum[:q-1]), qbft.ErrInsufficientSeals},
					{"no seals", mustChild(t, s, v, g, vals, nil, 0, nil), qbft.ErrInsufficientSeals},
					{"duplicate seal", mustChild(t, s, v, g, vals, nil, 0, append(slices.Clone(quorum[:q-1]), 0)), qbft.ErrDuplicateSeal},
					{"duplicate seal, malleated", rewriteExtra(t, v, good, func(e *qbft.Extra) { e.Seals = append(e.Seals, malleate(e.Seals[0])) }), qbft.ErrDuplicateSeal},
					{"non-validator seal", sealWith(good, 0, quorum[:q-1], 1), qbft.ErrNonValidatorSeal},
					{"non-validator seal among a quorum", sealWith(good, 0, quorum, 1), qbft.ErrNonValidatorSeal},
					{"wrong round", rewriteExtra(t, v, good, func(e *qbft.Extra) { e.Round = 1 }), qbft.ErrNonValidatorSeal},
					{"sealed in another round", rewriteExtra(t, v, mustChild(t, s, v, g, vals, nil, 2, quorum), func(e *qbft.Extra) { e.Round = 0 }), qbft.ErrNonValidatorSeal},
					{"wrong parent", mustChild(t, s, v, good, vals, nil, 0, quorum), qbft.ErrNotAdjacent},
					{"wrong parent hash", func() *types.Header {
						h := types.CopyHeader(good)
						h.ParentHash = common.Hash{1}
						return s.Seal(v, h, 0, quorum)
					}(), qbft.ErrParentMismatch},
					{"same height", s.Seal(v, func() *types.Header { h := types.CopyHeader(good); h.Number = big.NewInt(0); return h }(), 0, quorum), qbft.ErrHeightNotIncreasing},
					{"too many seals", mustChild(t, s, v, g, vals, nil, 0, append(qbfttest.All(n), 0)), qbft.ErrTooManySeals},
					{"bad recovery id", rewriteExtra(t, v, good, func(e *qbft.Extra) { e.Seals[0][64] = 2 }), qbft.ErrBadSeal},
					{"s out of range", rewriteExtra(t, v, good, func(e *qbft.Extra) { copy(e.Seals[0][32:64], bytes.Repeat([]byte{0xff}, 32)) }), qbft.ErrBadSeal},
					{"corrupted extra", func() *types.Header { h := types.CopyHeader(good); h.Extra[1] ^= 0xff; return h }(), qbft.ErrBadExtra},
					{"extra with trailing byte", func() *types.Header { h := types.CopyHeader(good); h.Extra = append(h.Extra, 0); return h }(), qbft.ErrBadExtra},
					{"empty validator list", rewriteExtra(t, v, good, func(e *qbft.Extra) { e.Validators = nil }), qbft.ErrNoValidators},
				}
				for _, tc := range cases {
					t.Run(tc.name, func(t *testing.T) {
						_, err := qbft.VerifyAdjacent(ts, tc.h, genNow)
						wantErr(t, err, tc.want)
					})
				}
			})
		}
	}
}

// malleate returns the other valid signature for the same message and key:
// (r, N-s) with the recovery id flipped.
func malleate(seal []byte) []byte {
	n := crypto.S256().Params().N
	sv := new(big.Int).SetBytes(seal[32:64])
	out := bytes.Clone(seal)
	new(big.Int).Sub(n, sv).FillBytes(out[32:64])
	out[64] ^= 1
	return out
}

// TestValidatorSetChanges: the list of header N may differ from that of N-1
// only by the address N-1 votes for, in the vote's direction.
func TestValidatorSetChanges(t *testing.T) {
	for _, v := range variants {
		for _, n := range []int{4, 7} {
			t.Run(fmt.Sprintf("%v/%d", v, n), func(t *testing.T) {
				// Keys 0..n-1 are the validators; keys n and n+1 are candidates.
				s := mustSealer(t, n+2)
				base := s.Subset(qbfttest.All(n)...)
				candidate, candidate2 := s.Address(n), s.Address(n+1)
				member := base[1]
				g, err := qbfttest.WithExtra(v, qbfttest.Header(0, common.Hash{}), base, nil)
				if err != nil {
					t.Fatal(err)
				}
				gh, _ := qbft.BlockHash(v, g)
				ts0, err := qbft.NewTrustedState(v, g, gh, qbfttest.Params())
				if err != nil {
					t.Fatal(err)
				}
				indexes := func(list []common.Address) []int {
					var out []int
					for i := range s.Keys {
						if slices.Contains(list, s.Address(i)) {
							out = append(out, i)
						}
					}
					return out
				}
				plus := func(list []common.Address, a ...common.Address) []common.Address {
					return qbfttest.Sort(append(slices.Clone(list), a...))
				}
				minus := func(list []common.Address, a common.Address) []common.Address {
					return slices.DeleteFunc(slices.Clone(list), func(x common.Address) bool { return x == a })
				}
				// step verifies header 1 carrying vote1 (which must pass),
				// then header 2 listing list2, sealed by everyone on list2.
				step := func(vote1 *qbft.Vote, list2 []common.Address) error {
					h1 := mustChild(t, s, v, g, base, vote1, 0, indexes(base))
					ts1, err := qbft.VerifyAdjacent(ts0, h1, genNow)
					if err != nil {
						t.Fatalf("header 1: %v", err)
					}
					if (ts1.Vote == nil) != (vote1 == nil) || (vote1 != nil && *ts1.Vote != *vote1) {
						t.Fatalf("trusted vote %v, want %v", ts1.Vote, vote1)
					}
					h2 := mustChild(t, s, v, h1, list2, nil, 0, indexes(list2))
					ts2, err := qbft.VerifyAdjacent(ts1, h2, genNow)
					if err == nil && !slices.Equal(ts2.Validators, list2) {
						t.Fatalf("new set %v, want %v", ts2.Validators, list2)
					}
					// VerifyChain carries the vote through the trusted state.
					if _, cerr := qbft.VerifyChain(ts0, []*types.Header{h1, h2}, genNow); (cerr == nil) != (err == nil) {
						t.Fatalf("VerifyChain %v, VerifyAdjacent %v", cerr, err)
					}
					return err
				}
				add := &qbft.Vote{Address: candidate, Kind: qbft.VoteAdd}
				drop := &qbft.Vote{Address: member, Kind: qbft.VoteDrop}
				cases := []struct {
					name  string
					vote  *qbft.Vote
					list2 []common.Address
					want  error
				}{
					{"unchanged, no vote", nil, base, nil},
					{"unchanged, add vote not yet a majority", add, base, nil},
					{"unchanged, drop vote not yet a majority", drop, base, nil},
					{"added by add vote", add, plus(base, candidate), nil},
					{"dropped by drop vote", drop, minus(base, member), nil},
					{"added without a vote", nil, plus(base, candidate), qbft.ErrValidatorSetChange},
					{"dropped without a vote", nil, minus(base, member), qbft.ErrValidatorSetChange},
					{"two added", add, plus(base, candidate, candidate2), qbft.ErrValidatorSetChange},
					{"another address added", add, plus(base, candidate2), qbft.ErrValidatorSetChange},
					{"added by a drop vote", &qbft.Vote{Address: candidate, Kind: qbft.VoteDrop}, plus(base, candidate), qbft.ErrValidatorSetChange},
					{"dropped by an add vote", &qbft.Vote{Address: member, Kind: qbft.VoteAdd}, minus(base, member), qbft.ErrValidatorSetChange},
					{"another address dropped", drop, minus(base, base[0]), qbft.ErrValidatorSetChange},
					{"added and dropped", add, minus(plus(base, candidate), member), qbft.ErrValidatorSetChange},
					{"two dropped", drop, minus(minus(base, member), base[0]), qbft.ErrValidatorSetChange},
				}
				for _, tc := range cases {
					t.Run(tc.name, func(t *testing.T) {
						err := step(tc.vote, tc.list2)
						if tc.want == nil {
							if err != nil {
								t.Fatal(err)
							}
							return
						}
						wantErr(t, err, tc.want)
						t.Log(err)
					})
				}
				// A trusted state without its vote (built by hand) never
				// accepts a change.
				h1 := mustChild(t, s, v, g, base, add, 0, indexes(base))
				ts1, _ := qbft.VerifyAdjacent(ts0, h1, genNow)
				ts1.Vote = nil
				h2 := mustChild(t, s, v, h1, plus(base, candidate), nil, 0, indexes(plus(base, candidate)))
				_, err = qbft.VerifyAdjacent(ts1, h2, genNow)
				wantErr(t, err, qbft.ErrValidatorSetChange)
			})
		}
	}
}

// TestSkip: VerifySkip needs a quorum of the header's own list and seals
// from more than two thirds of the trusted set.
func TestSkip(t *testing.T) {
	for _, v := range variants {
		t.Run(v.String(), func(t *testing.T) {
			// Keys 0..6 are the trusted set; 7..9 join later.
			s := mustSealer(t, 10)
			trusted := s.Subset(0, 1, 2, 3, 4, 5, 6)
			g, err := qbfttest.WithExtra(v, qbfttest.Header(0, common.Hash{}), trusted, nil)
			if err != nil {
				t.Fatal(err)
			}
			gh, _ := qbft.BlockHash(v, g)
			ts, err := qbft.NewTrustedState(v, g, gh, qbfttest.Params())
			if err != nil {
				t.Fatal(err)
			}
			far := func(list []int, signers []int) *types.Header {
				h, err := qbfttest.WithExtra(v, qbfttest.Header(100, common.Hash{0xfa}), s.Subset(list...), nil)
				if err != nil {
					t.Fatal(err)
				}
				return s.Seal(v, h, 0, signers)
			}
			cases := []struct {
				name          string
				list, signers []int
				want          error
			}{
				{"same set, 5 of 7 seal", []int{0, 1, 2, 3, 4, 5, 6}, []int{0, 1, 2, 3, 4}, nil},
				{"same set, 4 of 7 seal", []int{0, 1, 2, 3, 4, 5, 6}, []int{0, 1, 2, 3}, qbft.ErrInsufficientSeals},
				{"new set of 7 with 5 trusted, 5 trusted seal", []int{0, 1, 2, 3, 4, 7, 8}, []int{0, 1, 2, 3, 4}, nil},
				{"new set of 7 with 4 trusted, all seal", []int{0, 1, 2, 3, 7, 8, 9}, []int{0, 1, 2, 3, 7, 8, 9}, qbft.ErrInsufficientOverlap},
				{"new set of 9 with 6 trusted, 4 trusted and 3 new seal", []int{0, 1, 2, 3, 4, 5, 7, 8, 9}, []int{0, 1, 2, 3, 7, 8, 9}, qbft.ErrInsufficientOverlap},
				{"new set of 9 with 6 trusted, 5 trusted and 1 new seal", []int{0, 1, 2, 3, 4, 5, 7, 8, 9}, []int{0, 1, 2, 3, 4, 7}, nil},
				{"set of 4 trusted, all seal", []int{0, 1, 2, 3}, []int{0, 1, 2, 3}, qbft.ErrInsufficientOverlap},
				{"non-validator seal", []int{0, 1, 2, 3, 4, 5, 6}, []int{0, 1, 2, 3, 4, 9}, qbft.ErrNonValidatorSeal},
				{"duplicate seal", []int{0, 1, 2, 3, 4, 5, 6}, []int{0, 1, 2, 3, 4, 4}, qbft.ErrDuplicateSeal},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					next, err := qbft.VerifySkip(ts, far(tc.list, tc.signers), genNow)
					if tc.want == nil {
						if err != nil {
							t.Fatal(err)
						}
						if !slices.Equal(next.Validators, s.Subset(tc.list...)) || next.Height != 100 {
							t.Fatalf("state %+v", next)
						}
						return
					}
					wantErr(t, err, tc.want)
					t.Log(err)
				})
			}
			// Not above the trusted height.
			h := s.Seal(v, func() *types.Header { h := types.CopyHeader(g); return h }(), 0, []int{0, 1, 2, 3, 4})
			_, err = qbft.VerifySkip(ts, h, genNow)
			wantErr(t, err, qbft.ErrHeightNotIncreasing)
			// Wrong round on a skip.
			wrong := rewriteExtra(t, v, far([]int{0, 1, 2, 3, 4, 5, 6}, []int{0, 1, 2, 3, 4}), func(e *qbft.Extra) { e.Round = 9 })
			_, err = qbft.VerifySkip(ts, wrong, genNow)
			wantErr(t, err, qbft.ErrNonValidatorSeal)
		})
	}
}

// TestVerifyChainProgress: VerifyChain mixes adjacent steps and skips, and
// on failure returns the last verified state.
func TestVerifyChainProgress(t *testing.T) {
	s := mustSealer(t, 4)
	g, ts0 := mustGenesis(t, s, qbft.QBFT)
	vals := s.Validators()
	h1 := mustChild(t, s, qbft.QBFT, g, vals, nil, 0, []int{0, 1, 2})
	h2 := mustChild(t, s, qbft.QBFT, h1, vals, nil, 0, []int{1, 2, 3})
	h3 := mustChild(t, s, qbft.QBFT, h2, vals, nil, 0, []int{0, 2, 3})
	h4 := mustChild(t, s, qbft.QBFT, h3, vals, nil, 0, []int{0, 1, 3})
	ts2, _ := qbft.VerifyChain(ts0, []*types.Header{h1, h2}, genNow)
	got, err := qbft.VerifyChain(ts0, []*types.Header{h1, h2, h4}, genNow) // 2 -> 4 is a skip
	if err != nil || got.Height != 4 {
		t.Fatalf("skip inside chain: %+v %v", got, err)
	}
	bad := mustChild(t, s, qbft.QBFT, h2, vals, nil, 0, []int{0, 1})
	got, err = qbft.VerifyChain(ts0, []*types.Header{h1, h2, bad, h4}, genNow)
	ve := wantErr(t, err, qbft.ErrInsufficientSeals)
	if ve.Height != 3 || got.Hash != ts2.Hash || got.Height != 2 {
		t.Fatalf("error at %d, state %+v; want error at 3 and state of 2", ve.Height, got)
	}
	if got, err := qbft.VerifyChain(ts0, nil, genNow); err != nil || got.Hash != ts0.Hash {
		t.Fatalf("empty chain: %v", err)
	}
	_, err = qbft.VerifyChain(ts0, []*types.Header{h1, nil}, genNow)
	wantErr(t, err, qbft.ErrBadHeader)
}

func TestVerifyErrorFields(t *testing.T) {
	s := mustSealer(t, 4)
	outsider := mustSealer(t, 1)
	g, ts := mustGenesis(t, s, qbft.QBFT)
	h := mustChild(t, s, qbft.QBFT, g, s.Validators(), nil, 0, nil)
	h, err := s.SealWithKeys(qbft.QBFT, h, 0, []*ecdsa.PrivateKey{s.Keys[0], s.Keys[1], outsider.Keys[0]})
	if err != nil {
		t.Fatal(err)
	}
	_, err = qbft.VerifyAdjacent(ts, h, genNow)
	ve := wantErr(t, err, qbft.ErrNonValidatorSeal)
	var se *qbft.SealError
	if !errors.As(err, &se) {
		t.Fatalf("%v has no *SealError", err)
	}
	hash, _ := qbft.BlockHash(qbft.QBFT, h)
	if ve.Height != 1 || ve.Hash != hash || se.Index != 2 || se.Signer != outsider.Address(0) {
		t.Fatalf("VerifyError %+v, SealError %+v", ve, se)
	}
	want := fmt.Sprintf("qbft: header 1 (%s): seal 2 (signer %s): qbft: seal from non-validator", hash.Hex(), outsider.Address(0).Hex())
	if err.Error() != want {
		t.Fatalf("message\n got %s\nwant %s", err, want)
	}
}

func TestTrustedState(t *testing.T) {
	s := mustSealer(t, 4)
	g, ts := mustGenesis(t, s, qbft.IBFT2)
	ts.Vote = &qbft.Vote{Address: common.HexToAddress("0xabc"), Kind: qbft.VoteDrop}
	js, err := json.Marshal(ts)
	if err != nil {
		t.Fatal(err)
	}
	for _, frag := range []string{`"variant":"ibft2"`, `"height":0`, `"hash":"0x`, `"time":0`, `"validators":["0x`,
		`"vote":{"address":"0x0000000000000000000000000000000000000abc","kind":"drop"}`,
		`"trusting_period":1209600000000000`, `"max_clock_drift":10000000000`} {
		if !strings.Contains(string(js), frag) {
			t.Errorf("JSON %s lacks %s", js, frag)
		}
	}
	var back qbft.TrustedState
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if back.Variant != ts.Variant || back.Hash != ts.Hash || !slices.Equal(back.Validators, ts.Validators) || *back.Vote != *ts.Vote ||
		back.Time != ts.Time || back.Params != ts.Params {
		t.Fatalf("round trip %+v, want %+v", back, ts)
	}
	for _, bad := range []string{`{"variant":"clique"}`, `{"variant":"qbft","vote":{"kind":"maybe"}}`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if _, err := json.Marshal(qbft.TrustedState{}); err == nil {
		t.Error("zero variant marshalled")
	}

	// NewTrustedState checks the hash.
	if _, err := qbft.NewTrustedState(qbft.IBFT2, g, common.Hash{1}, qbfttest.Params()); !errors.Is(err, qbft.ErrHashMismatch) {
		t.Fatalf("wrong anchor hash: %v", err)
	}
	if _, err := qbft.NewTrustedState(qbft.QBFT, g, ts.Hash, qbfttest.Params()); !errors.Is(err, qbft.ErrBadExtra) {
		t.Fatalf("wrong variant: %v", err)
	}

	h := mustChild(t, s, qbft.IBFT2, g, s.Validators(), nil, 0, []int{0, 1, 2})
	rev := slices.Clone(ts.Validators)
	slices.Reverse(rev)
	p := qbfttest.Params()
	for name, bad := range map[string]qbft.TrustedState{
		"zero variant":      {Height: ts.Height, Hash: ts.Hash, Validators: ts.Validators, Params: p},
		"zero hash":         {Variant: qbft.IBFT2, Validators: ts.Validators, Params: p},
		"no validators":     {Variant: qbft.IBFT2, Hash: ts.Hash, Params: p},
		"unsorted":          {Variant: qbft.IBFT2, Hash: ts.Hash, Validators: rev, Params: p},
		"duplicate":         {Variant: qbft.IBFT2, Hash: ts.Hash, Validators: append(slices.Clone(ts.Validators), ts.Validators[3]), Params: p},
		"invalid vote kind": {Variant: qbft.IBFT2, Hash: ts.Hash, Validators: ts.Validators, Vote: &qbft.Vote{}, Params: p},
		"no trust parameters (an anchor from before them)": {Variant: qbft.IBFT2, Hash: ts.Hash, Validators: ts.Validators},
		"no trusting period": {Variant: qbft.IBFT2, Hash: ts.Hash, Validators: ts.Validators,
			Params: qbft.Params{MaxClockDrift: p.MaxClockDrift}},
		"negative clock drift": {Variant: qbft.IBFT2, Hash: ts.Hash, Validators: ts.Validators,
			Params: qbft.Params{TrustingPeriod: p.TrustingPeriod, MaxClockDrift: -1}},
		"time after year 9999": {Variant: qbft.IBFT2, Hash: ts.Hash, Validators: ts.Validators, Time: qbft.MaxTime + 1, Params: p},
	} {
		t.Run(name, func(t *testing.T) {
			if err := bad.Validate(); !errors.Is(err, qbft.ErrBadTrustedState) {
				t.Fatalf("Validate: %v", err)
			}
			_, err := qbft.VerifyAdjacent(bad, h, genNow)
			wantErr(t, err, qbft.ErrBadTrustedState)
			_, err = qbft.VerifySkip(bad, h, genNow)
			wantErr(t, err, qbft.ErrBadTrustedState)
		})
	}
}

func TestParseExtraErrors(t *testing.T) {
	s := mustSealer(t, 4)
	for _, v := range variants {
		t.Run(v.String(), func(t *testing.T) {
			g, _ := mustGenesis(t, s, v)
			h := mustChild(t, s, v, g, s.Validators(), &qbft.Vote{Address: common.Address{9}, Kind: qbft.VoteDrop}, 7, []int{0, 1, 2})
			good := h.Extra
			e, err := qbft.ParseExtra(v, good)
			if err != nil || e.Round != 7 || e.Vote.Kind != qbft.VoteDrop || e.Variant() != v {
				t.Fatalf("%+v %v", e, err)
			}
			list := func(items ...[]byte) []byte {
				body := bytes.Join(items, nil)
				switch {
				case len(body) < 56:
					return append([]byte{0xc0 + byte(len(body))}, body...)
				case len(body) < 256:
					return append([]byte{0xf8, byte(len(body))}, body...)
				}
				return append([]byte{0xf9, byte(len(body) >> 8), byte(len(body))}, body...)
			}
			str := func(b []byte) []byte {
				switch {
				case len(b) == 1 && b[0] < 0x80:
					return b
				case len(b) < 56:
					return append([]byte{0x80 + byte(len(b))}, b...)
				}
				return append([]byte{0xb8, byte(len(b))}, b...)
			}
			vanity := str(make([]byte, 32))
			vals := list(str(s.Address(0).Bytes()), str(s.Address(1).Bytes()))
			noVote, round0 := []byte{0xc0}, []byte{0x80}
			if v == qbft.IBFT2 {
				noVote, round0 = []byte{0x80}, []byte{0x84, 0, 0, 0, 0}
			}
			seals := list()
			if _, err := qbft.ParseExtra(v, list(vanity, vals, noVote, round0, seals)); err != nil {
				t.Fatalf("minimal extra: %v", err)
			}
			cases := map[string][]byte{
				"empty":               nil,
				"not a list":          str([]byte{1, 2}),
				"four items":          list(vanity, vals, noVote, round0),
				"six items":           list(vanity, vals, noVote, round0, seals, seals),
				"trailing bytes":      append(list(vanity, vals, noVote, round0, seals), 0),
				"short vanity":        list(str(make([]byte, 31)), vals, noVote, round0, seals),
				"vanity is a list":    list(list(), vals, noVote, round0, seals),
				"short address":       list(vanity, list(str(make([]byte, 19))), noVote, round0, seals),
				"unsorted validators": list(vanity, list(str(s.Address(1).Bytes()), str(s.Address(0).Bytes())), noVote, round0, seals),
				"duplicate validator": list(vanity, list(str(s.Address(1).Bytes()), str(s.Address(1).Bytes())), noVote, round0, seals),
				"vote of one item":    list(vanity, vals, list(str(make([]byte, 20))), round0, seals),
				"vote of three items": list(vanity, vals, list(str(make([]byte, 20)), str([]byte{0xff}), str([]byte{1})), round0, seals),
				"vote type 0x01":      list(vanity, vals, list(str(make([]byte, 20)), str([]byte{0x01})), round0, seals),
				"vote type 0xff00":    list(vanity, vals, list(str(make([]byte, 20)), str([]byte{0xff, 0})), round0, seals),
				"round is a list":     list(vanity, vals, noVote, list(), seals),
				"round of 5 bytes":    list(vanity, vals, noVote, str([]byte{1, 0, 0, 0, 0}), seals),
				"seal of 64 bytes":    list(vanity, vals, noVote, round0, list(str(make([]byte, 64)))),
				"seals not a list":    list(vanity, vals, noVote, round0, str(nil)),
				"oversized":           make([]byte, qbft.MaxExtraSize+1),
			}
			if v == qbft.QBFT {
				cases["round with leading zero"] = list(vanity, vals, noVote, str([]byte{0, 1}), seals)
				cases["no vote as 0x80"] = list(vanity, vals, []byte{0x80}, round0, seals)
			} else {
				cases["round of 1 byte"] = list(vanity, vals, noVote, str([]byte{1}), seals)
				cases["no vote as 0xc0"] = list(vanity, vals, []byte{0xc0}, round0, seals)
				cases["drop vote as 0x80"] = list(vanity, vals, list(str(make([]byte, 20)), []byte{0x80}), round0, seals)
			}
			for name, extra := range cases {
				t.Run(name, func(t *testing.T) {
					_, err := qbft.ParseExtra(v, extra)
					if !errors.Is(err, qbft.ErrBadExtra) {
						t.Fatalf("got %v, want ErrBadExtra", err)
					}
					t.Log(err)
				})
			}
			// Besu's QBFT codec also reads a drop vote written as 0x00.
			if v == qbft.QBFT {
				e, err := qbft.ParseExtra(v, list(vanity, vals, list(str(make([]byte, 20)), []byte{0x00}), round0, seals))
				if err != nil || e.Vote.Kind != qbft.VoteDrop {
					t.Fatalf("drop as 0x00: %+v %v", e, err)
				}
			}
		})
	}
	if _, err := qbft.ParseExtra(0, nil); !errors.Is(err, qbft.ErrVariant) {
		t.Fatalf("variant 0: %v", err)
	}
	if _, err := qbft.BlockHash(3, qbfttest.Header(0, common.Hash{})); !errors.Is(err, qbft.ErrVariant) {
		t.Fatalf("variant 3 at genesis: %v", err)
	}
	if _, err := qbft.BlockHash(qbft.QBFT, nil); !errors.Is(err, qbft.ErrBadHeader) {
		t.Fatalf("nil header: %v", err)
	}
}

// TestRawItemsAreHashed: a vote with the drop type written as 0x00 (which
// Besu's QBFT codec reads) is hashed as written, not as re-encoded.
func TestRawItemsAreHashed(t *testing.T) {
	s := mustSealer(t, 4)
	g, ts := mustGenesis(t, s, qbft.QBFT)
	h := mustChild(t, s, qbft.QBFT, g, s.Validators(), &qbft.Vote{Address: common.Address{7}, Kind: qbft.VoteDrop}, 0, nil)
	// Rewrite the canonical drop type 0x80 as the raw byte 0x00.
	// The vote is [address, kind] = 0xd6 0x94 <20-byte address> <kind>;
	// match the address too, since 0xd6 0x94 can occur inside a random
	// validator address.
	canonical := append([]byte{0xd6, 0x94}, common.Address{7}.Bytes()...)
	i := bytes.Index(h.Extra, canonical)
	if i < 0 || h.Extra[i+22] != 0x80 {
		t.Fatalf("vote not found in %x", h.Extra)
	}
	h.Extra[i+22] = 0x00
	sealed := s.Seal(qbft.QBFT, h, 0, []int{0, 1, 2}) // Seal re-encodes canonically ...
	if bytes.Equal(sealed.Extra, h.Extra) {
		t.Fatal("expected a canonical re-encoding")
	}
	// ... so seal the raw form by hand.
	sh, err := qbft.SealHash(qbft.QBFT, h)
	if err != nil {
		t.Fatal(err)
	}
	canonHash, _ := qbft.SealHash(qbft.QBFT, sealed)
	if sh == canonHash {
		t.Fatal("raw and canonical vote hash the same")
	}
	// Replace the empty seal list (the last item, 0xc0) with real seals.
	content, _, err := rlp.SplitList(h.Extra)
	if err != nil || content[len(content)-1] != 0xc0 {
		t.Fatalf("unexpected layout: %v", err)
	}
	w := rlp.NewEncoderBuffer(nil)
	l := w.List()
	w.Write(content[:len(content)-1])
	sl := w.List()
	for _, k := range []int{0, 1, 2} {
		sig, _ := crypto.Sign(sh[:], s.Keys[k])
		w.WriteBytes(sig)
	}
	w.ListEnd(sl)
	w.ListEnd(l)
	h.Extra = w.ToBytes()
	if _, err := qbft.VerifyAdjacent(ts, h, genNow); err != nil {
		t.Fatalf("raw drop vote: %v", err)
	}
}
