package qbft_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/liaison-gw/liaison/proofs/ethheader"
	"github.com/liaison-gw/liaison/proofs/qbft"
	"github.com/liaison-gw/liaison/proofs/qbft/qbfttest"
)

// realCase is a real header with a trusted state it verifies against.
type realCase struct {
	trusted qbft.TrustedState
	h       *types.Header
}

func realCases(tb testing.TB) []realCase {
	ts1, _, b2, b3 := goQuorumTrust(tb)
	ts2, err := qbft.VerifyAdjacent(ts1, b2.Header, at(b2.Header))
	if err != nil {
		tb.Fatal(err)
	}
	p5, h5 := storageProofHeaders(tb)
	ts5, err := qbft.NewTrustedState(qbft.QBFT, p5.Header, p5.Hash, qbfttest.Params())
	if err != nil {
		tb.Fatal(err)
	}
	bh := besuHeader(tb)
	return []realCase{{ts1, b2.Header}, {ts2, b3.Header}, {ts5, h5.Header}, {besuTrust(tb, bh), bh}}
}

// FuzzVerifyAdjacent mutates the RLP of real sealed headers and verifies
// them against their real trusted states. It must never panic, every error
// must be a *VerifyError, and an accepted header must have the seal preimage
// of the original (forging a different one would need the validators' keys).
func FuzzVerifyAdjacent(f *testing.F) {
	cases := realCases(f)
	for i, c := range cases {
		enc, err := rlp.EncodeToBytes(c.h)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), enc)
	}
	f.Fuzz(func(t *testing.T, sel uint8, enc []byte) {
		c := cases[int(sel)%len(cases)]
		h, err := ethheader.DecodeRLPHeader(enc)
		if err != nil {
			return
		}
		next, err := qbft.VerifyAdjacent(c.trusted, h, at(c.h))
		if err != nil {
			var ve *qbft.VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("%T: %v", err, err)
			}
			return
		}
		want, _ := qbft.SealHash(qbft.QBFT, c.h)
		got, _ := qbft.SealHash(qbft.QBFT, h)
		wantHash, _ := qbft.BlockHash(qbft.QBFT, c.h)
		if got != want || next.Hash != wantHash {
			t.Fatalf("accepted a header with seal hash %s (original %s)", got, want)
		}
	})
}

// FuzzParseExtra decodes arbitrary extra data with both codecs. It must
// never panic; anything accepted must re-encode, parse back to the same
// fields, and hash; and the re-encoding must reproduce the input except for
// the one non-canonical form the QBFT codec reads (a drop vote as 0x00).
func FuzzParseExtra(f *testing.F) {
	for _, c := range realCases(f) {
		f.Add(c.h.Extra, false)
	}
	_, b1, _, _ := goQuorumTrust(f)
	f.Add(b1.Header.Extra, false)
	s, err := qbfttest.NewSealer(3)
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range variants {
		g, _, err := s.Genesis(v)
		if err != nil {
			f.Fatal(err)
		}
		for _, vote := range []*qbft.Vote{nil, {Address: common.Address{1}, Kind: qbft.VoteAdd}, {Address: common.Address{2}, Kind: qbft.VoteDrop}} {
			h, err := s.Child(v, g, s.Validators(), vote, 5, []int{0, 1})
			if err != nil {
				f.Fatal(err)
			}
			f.Add(h.Extra, v == qbft.IBFT2)
		}
	}
	f.Add(readIBFT2Extra(f), true)
	f.Fuzz(func(t *testing.T, extra []byte, ibft bool) {
		v := qbft.QBFT
		if ibft {
			v = qbft.IBFT2
		}
		e, err := qbft.ParseExtra(v, extra)
		if err != nil {
			if !errors.Is(err, qbft.ErrBadExtra) {
				t.Fatalf("error %v does not wrap ErrBadExtra", err)
			}
			return
		}
		enc, err := qbft.EncodeExtra(v, e)
		if err != nil {
			t.Fatalf("parsed extra does not re-encode: %v", err)
		}
		e2, err := qbft.ParseExtra(v, enc)
		if err != nil {
			t.Fatalf("re-encoding does not parse: %v", err)
		}
		if !bytes.Equal(e.Vanity, e2.Vanity) || !slices.Equal(e.Validators, e2.Validators) || e.Round != e2.Round ||
			(e.Vote == nil) != (e2.Vote == nil) || (e.Vote != nil && *e.Vote != *e2.Vote) ||
			!slices.EqualFunc(e.Seals, e2.Seals, bytes.Equal) {
			t.Fatalf("round trip changed the fields")
		}
		if !bytes.Equal(enc, extra) && (v != qbft.QBFT || e.Vote == nil || e.Vote.Kind != qbft.VoteDrop) {
			t.Fatalf("accepted non-canonical extra data %x (canonical %x)", extra, enc)
		}
		h := qbfttest.Header(1, common.Hash{})
		h.Extra = extra
		if _, err := qbft.BlockHash(v, h); err != nil {
			t.Fatal(err)
		}
		if _, err := qbft.SealHash(v, h); err != nil {
			t.Fatal(err)
		}
	})
}

// readIBFT2Extra returns the extra data of the qbft-tests IBFT 2.0 vector.
func readIBFT2Extra(tb testing.TB) []byte {
	tb.Helper()
	return common.FromHex("0xf90178a0000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1fea940000000000000000000000000000000000000001940000000000000000000000000000000000000002d794000000000000000000000000000000000000000381ff8400fedcbaf9010cb8412d98a30d2844aa05b4fcf3abcd333e195d4ad365726a7b9a5bc19744dcec0ad42d129ad2890b86c32a969a9b511d8c1c846f7eb694455bb29b7365ab260a188100b8416e65e1097c802f12fe12048871f228fc394fb005cbf5c55225adbff7e82c94d352fc83967effa3a777a9d50e677108b732258c7ef6e1a3e8fc34919b90e0f34e00b841b8462060df24936c7da7413fbf8ac706775d06ba052831075fd2059458ca91e971f35a7a90ec5225328fe25d6dec51de3a2d71e81a581ceb98acdafd5bcd12f801b841be1cb71a2525013ae8ac676505597229265960b4d34654dc88249d1bc7e07a324f44b16542adad19bddade1785ac9687b656cbf64685a2e6e6b4f04d9aad23cd00")
}
