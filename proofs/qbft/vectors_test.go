package qbft_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/liaison-gw/liaison/proofs/ethheader"
	"github.com/liaison-gw/liaison/proofs/qbft"
	"github.com/liaison-gw/liaison/proofs/qbft/qbfttest"
)

func TestGoQuorumBlockHashes(t *testing.T) {
	for _, name := range []string{"goquorum_qbft_block1.json", "goquorum_qbft_block2.json", "goquorum_qbft_block3.json"} {
		r := readRPC(t, name)
		if r.Variant != qbft.QBFT {
			t.Errorf("%s: variant %v", name, r.Variant)
		}
		got, err := qbft.BlockHash(qbft.QBFT, r.Header)
		if err != nil || got != r.Hash {
			t.Errorf("%s: BlockHash %s, %v; want %s", name, got, err, r.Hash)
		}
		// go-ethereum's rule does not give the on-chain hash of a QBFT block.
		if err := ethheader.VerifyHeaderHash(r.Header, r.Hash); !errors.Is(err, ethheader.ErrHashMismatch) {
			t.Errorf("%s: keccak(RLP(header)) unexpectedly matches: %v", name, err)
		}
	}
}

func TestGoQuorumChain(t *testing.T) {
	ts1, _, b2, b3 := goQuorumTrust(t)
	if len(ts1.Validators) != 4 || ts1.Vote != nil || ts1.Height != 1 {
		t.Fatalf("trusted state %+v", ts1)
	}
	ts2, err := qbft.VerifyAdjacent(ts1, b2.Header, at(b3.Header))
	if err != nil {
		t.Fatal(err)
	}
	ts3, err := qbft.VerifyAdjacent(ts2, b3.Header, at(b3.Header))
	if err != nil {
		t.Fatal(err)
	}
	if ts2.Hash != b2.Hash || ts3.Hash != b3.Hash || ts3.Height != 3 {
		t.Fatalf("states %+v %+v", ts2, ts3)
	}
	viaChain, err := qbft.VerifyChain(ts1, []*types.Header{b2.Header, b3.Header}, at(b3.Header))
	if err != nil || viaChain.Hash != b3.Hash {
		t.Fatalf("VerifyChain: %+v, %v", viaChain, err)
	}
	viaSkip, err := qbft.VerifySkip(ts1, b3.Header, at(b3.Header))
	if err != nil || viaSkip.Hash != b3.Hash {
		t.Fatalf("VerifySkip: %+v, %v", viaSkip, err)
	}
	// Replaying an old header or skipping backwards fails.
	wantErr(t, func() error { _, err := qbft.VerifyAdjacent(ts3, b2.Header, at(b3.Header)); return err }(), qbft.ErrHeightNotIncreasing)
	wantErr(t, func() error { _, err := qbft.VerifySkip(ts3, b3.Header, at(b3.Header)); return err }(), qbft.ErrHeightNotIncreasing)
	wantErr(t, func() error { _, err := qbft.VerifyAdjacent(ts1, b3.Header, at(b3.Header)); return err }(), qbft.ErrNotAdjacent)
}

// TestGoQuorumFiveValidators: the list holds five validators, one of them
// (0x…aa) never runs, so each block carries exactly the quorum of four.
func TestGoQuorumFiveValidators(t *testing.T) {
	parent, header := storageProofHeaders(t)
	ts, err := qbft.NewTrustedState(qbft.QBFT, parent.Header, parent.Hash, qbfttest.Params())
	if err != nil {
		t.Fatal(err)
	}
	if len(ts.Validators) != 5 || ts.Validators[0] != common.HexToAddress("0xaa") {
		t.Fatalf("validators %v", ts.Validators)
	}
	next, err := qbft.VerifyAdjacent(ts, header.Header, at(header.Header))
	if err != nil {
		t.Fatal(err)
	}
	if next.Hash != header.Hash || next.Height != 0x8b {
		t.Fatalf("state %+v", next)
	}
	// Removing any one of the four seals leaves three, below the quorum of 4.
	for i := 0; i < 4; i++ {
		h := rewriteExtra(t, qbft.QBFT, header.Header, func(e *qbft.Extra) { e.Seals = slices.Delete(e.Seals, i, i+1) })
		wantErr(t, func() error { _, err := qbft.VerifyAdjacent(ts, h, at(header.Header)); return err }(), qbft.ErrInsufficientSeals)
	}
}

func TestBesuBlock7528(t *testing.T) {
	h := besuHeader(t)
	want := common.HexToHash("0x75ea184f58cd3f0ef89032a069df01f07ec524ef3a85cf6d3e424d62130c0a32")
	sh, err := qbft.SealHash(qbft.QBFT, h)
	if err != nil || sh != want {
		t.Fatalf("SealHash %s, %v; want %s", sh, err, want)
	}
	commit := readHex(t, "besu_qbft_block7528_commitheader.hex")
	if got := crypto.Keccak256Hash(commit); got != want {
		t.Fatalf("keccak(commit header) %s, want %s", got, want)
	}
	// The commit header is the preimage: its own seal hash is itself.
	ch, err := ethheader.DecodeRLPHeader(commit)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := qbft.SealHash(qbft.QBFT, ch); got != want {
		t.Fatalf("SealHash(commit header) %s", got)
	}
	e, err := qbft.ParseExtra(qbft.QBFT, h.Extra)
	if err != nil {
		t.Fatal(err)
	}
	if e.Round != 1 || len(e.Validators) != 4 || len(e.Seals) != 3 || e.Vote != nil {
		t.Fatalf("extra: round %d, %d validators, %d seals, vote %v", e.Round, len(e.Validators), len(e.Seals), e.Vote)
	}
	seen := map[common.Address]bool{}
	for i, s := range e.Seals {
		pub, err := crypto.SigToPub(sh[:], s)
		if err != nil {
			t.Fatal(err)
		}
		a := crypto.PubkeyToAddress(*pub)
		if !slices.Contains(e.Validators, a) || seen[a] {
			t.Fatalf("seal %d recovers %s, not a new validator", i, a)
		}
		seen[a] = true
	}
	if len(seen) != 3 {
		t.Fatalf("%d distinct signers", len(seen))
	}
	next, err := qbft.VerifyAdjacent(besuTrust(t, h), h, at(h))
	if err != nil {
		t.Fatal(err)
	}
	bh, _ := qbft.BlockHash(qbft.QBFT, h)
	if next.Hash != bh || next.Height != 7528 {
		t.Fatalf("state %+v", next)
	}
	t.Logf("Besu block 7528 on-chain hash %s", bh)
}

// TestIBFT2Vector is BftBlockHeaderHashTests of the public qbft-tests suite:
// the IBFT 2.0 codec (4-byte round, 4-item seal preimage, 3-item block-hash
// extra). Its seals come from the private keys 1, 2, 3 and 4, not from the
// listed validators, so it checks the codec, not a quorum.
func TestIBFT2Vector(t *testing.T) {
	raw, err := os.ReadFile("testdata/qbft_tests_header_hash.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		V struct {
			H struct {
				ParentHash       common.Hash    `json:"parentHash"`
				OmmersHash       common.Hash    `json:"ommersHash"`
				Coinbase         common.Address `json:"coinbase"`
				StateRoot        common.Hash    `json:"stateRoot"`
				TransactionsRoot common.Hash    `json:"transactionsRoot"`
				ReceiptsRoot     common.Hash    `json:"receiptsRoot"`
				Difficulty       uint64         `json:"difficulty"`
				Number           uint64         `json:"number"`
				GasLimit         uint64         `json:"gasLimit"`
				GasUsed          uint64         `json:"gasUsed"`
				Timestamp        uint64         `json:"timestamp"`
				ExtraData        hexutil.Bytes  `json:"extraData"`
				MixHash          common.Hash    `json:"mixHash"`
				Nonce            uint64         `json:"nonce"`
			} `json:"qbft_block_header"`
			OnChain common.Hash `json:"on_chain_hash"`
			Seal    common.Hash `json:"committed_seal_hash"`
		} `json:"hash_of_qbft_block_header"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	x := f.V.H
	h := &types.Header{
		ParentHash: x.ParentHash, UncleHash: x.OmmersHash, Coinbase: x.Coinbase, Root: x.StateRoot,
		TxHash: x.TransactionsRoot, ReceiptHash: x.ReceiptsRoot, Difficulty: new(big.Int).SetUint64(x.Difficulty),
		Number: new(big.Int).SetUint64(x.Number), GasLimit: x.GasLimit, GasUsed: x.GasUsed, Time: x.Timestamp,
		Extra: x.ExtraData, MixDigest: x.MixHash, Nonce: types.EncodeNonce(x.Nonce),
	}
	if got, err := qbft.BlockHash(qbft.IBFT2, h); err != nil || got != f.V.OnChain {
		t.Fatalf("BlockHash %s, %v; want %s", got, err, f.V.OnChain)
	}
	sh, err := qbft.SealHash(qbft.IBFT2, h)
	if err != nil || sh != f.V.Seal {
		t.Fatalf("SealHash %s, %v; want %s", sh, err, f.V.Seal)
	}
	e, err := qbft.ParseExtra(qbft.IBFT2, h.Extra)
	if err != nil {
		t.Fatal(err)
	}
	wantVote := &qbft.Vote{Address: common.HexToAddress("0x03"), Kind: qbft.VoteAdd}
	if e.Round != 0x00fedcba || *e.Vote != *wantVote || len(e.Validators) != 2 {
		t.Fatalf("extra: round %#x vote %v validators %v", e.Round, e.Vote, e.Validators)
	}
	for i, s := range e.Seals {
		pub, err := crypto.SigToPub(sh[:], s)
		if err != nil {
			t.Fatal(err)
		}
		want := keyAddress(t, common.BigToHash(big.NewInt(int64(i + 1))).Hex()[2:])
		if got := crypto.PubkeyToAddress(*pub); got != want {
			t.Errorf("seal %d signed by %s, want key %d (%s)", i, got, i+1, want)
		}
	}
	// The QBFT codec rejects the 4-byte round with its leading zero.
	if _, err := qbft.ParseExtra(qbft.QBFT, h.Extra); !errors.Is(err, qbft.ErrBadExtra) {
		t.Fatalf("QBFT codec on IBFT 2.0 extra: %v", err)
	}
	enc, err := qbft.EncodeExtra(qbft.IBFT2, e)
	if err != nil || !bytes.Equal(enc, h.Extra) {
		t.Fatalf("EncodeExtra does not reproduce the extra data: %v", err)
	}
}

// TestRealExtraRoundTrip: the real extras are canonical, so EncodeExtra
// reproduces them byte for byte.
func TestRealExtraRoundTrip(t *testing.T) {
	_, b1, b2, b3 := goQuorumTrust(t)
	p, h := storageProofHeaders(t)
	for i, hd := range []*types.Header{b1.Header, b2.Header, b3.Header, p.Header, h.Header, besuHeader(t)} {
		e, err := qbft.ParseExtra(qbft.QBFT, hd.Extra)
		if err != nil {
			t.Fatal(err)
		}
		enc, err := qbft.EncodeExtra(qbft.QBFT, e)
		if err != nil || !bytes.Equal(enc, hd.Extra) {
			t.Fatalf("header %d: round trip differs (%v)", i, err)
		}
	}
}

// TestRealHeaderByteFlips flips every byte of the RLP encoding of real sealed
// headers, one at a time. Each corrupted header must either fail to decode
// or fail VerifyAdjacent: every byte is covered by the seal preimage, by the
// seals themselves, or by the RLP structure.
func TestRealHeaderByteFlips(t *testing.T) {
	ts1, _, b2, b3 := goQuorumTrust(t)
	ts2, err := qbft.VerifyAdjacent(ts1, b2.Header, at(b2.Header))
	if err != nil {
		t.Fatal(err)
	}
	p5, h5 := storageProofHeaders(t)
	ts5, err := qbft.NewTrustedState(qbft.QBFT, p5.Header, p5.Hash, qbfttest.Params())
	if err != nil {
		t.Fatal(err)
	}
	bh := besuHeader(t)
	cases := []struct {
		name    string
		trusted qbft.TrustedState
		h       *types.Header
	}{
		{"goquorum block 2", ts1, b2.Header},
		{"goquorum block 3", ts2, b3.Header},
		{"goquorum block 139", ts5, h5.Header},
		{"besu block 7528", besuTrust(t, bh), bh},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			enc, err := rlp.EncodeToBytes(tc.h)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := qbft.VerifyAdjacent(tc.trusted, tc.h, at(tc.h)); err != nil {
				t.Fatalf("unmodified header: %v", err)
			}
			undecodable, rejected := 0, map[string]int{}
			for i := range enc {
				c := bytes.Clone(enc)
				c[i] ^= 0x01
				h, err := ethheader.DecodeRLPHeader(c)
				if err != nil {
					undecodable++
					continue
				}
				_, err = qbft.VerifyAdjacent(tc.trusted, h, at(tc.h))
				if err == nil {
					t.Fatalf("byte %d of %d flipped: header accepted", i, len(enc))
				}
				var ve *qbft.VerifyError
				if !errors.As(err, &ve) {
					t.Fatalf("byte %d: %T", i, err)
				}
				rejected[sentinelName(err)]++
			}
			t.Logf("%d bytes: %d undecodable, rejected %v", len(enc), undecodable, rejected)
		})
	}
}

func sentinelName(err error) string {
	for _, s := range []error{qbft.ErrBadHeader, qbft.ErrBadExtra, qbft.ErrNoValidators, qbft.ErrHeightNotIncreasing,
		qbft.ErrNotAdjacent, qbft.ErrParentMismatch, qbft.ErrValidatorSetChange, qbft.ErrTooManySeals,
		qbft.ErrInsufficientSeals, qbft.ErrBadSeal, qbft.ErrNonValidatorSeal, qbft.ErrDuplicateSeal,
		qbft.ErrExpired, qbft.ErrTimeDecreasing, qbft.ErrClockDrift} {
		if errors.Is(err, s) {
			return s.Error()
		}
	}
	return "other: " + err.Error()
}

// TestRealHeaderFieldCorruption changes one field of GoQuorum block 2 at a
// time and checks the sentinel.
func TestRealHeaderFieldCorruption(t *testing.T) {
	ts1, _, b2, _ := goQuorumTrust(t)
	orig := b2.Header
	mod := func(f func(h *types.Header)) *types.Header {
		c := types.CopyHeader(orig)
		f(c)
		return c
	}
	extra := func(f func(e *qbft.Extra)) *types.Header { return rewriteExtra(t, qbft.QBFT, orig, f) }
	other := common.HexToAddress("0x1234")
	cases := []struct {
		name string
		h    *types.Header
		want error
	}{
		{"parentHash", mod(func(h *types.Header) { h.ParentHash[0] ^= 1 }), qbft.ErrParentMismatch},
		{"number+1", mod(func(h *types.Header) { h.Number = big.NewInt(3) }), qbft.ErrNotAdjacent},
		{"number-1", mod(func(h *types.Header) { h.Number = big.NewInt(1) }), qbft.ErrHeightNotIncreasing},
		{"number nil", mod(func(h *types.Header) { h.Number = nil }), qbft.ErrBadHeader},
		{"stateRoot", mod(func(h *types.Header) { h.Root[5] ^= 1 }), qbft.ErrNonValidatorSeal},
		{"timestamp", mod(func(h *types.Header) { h.Time++ }), qbft.ErrNonValidatorSeal},
		{"coinbase", mod(func(h *types.Header) { h.Coinbase = other }), qbft.ErrNonValidatorSeal},
		{"gasUsed", mod(func(h *types.Header) { h.GasUsed++ }), qbft.ErrNonValidatorSeal},
		{"baseFee added", mod(func(h *types.Header) { h.BaseFee = big.NewInt(0) }), qbft.ErrNonValidatorSeal},
		{"round", extra(func(e *qbft.Extra) { e.Round++ }), qbft.ErrNonValidatorSeal},
		{"vanity", extra(func(e *qbft.Extra) { e.Vanity[0] ^= 1 }), qbft.ErrNonValidatorSeal},
		{"vote added", extra(func(e *qbft.Extra) { e.Vote = &qbft.Vote{Address: other, Kind: qbft.VoteAdd} }), qbft.ErrNonValidatorSeal},
		{"validator added", extra(func(e *qbft.Extra) { e.Validators = append([]common.Address{{}}, e.Validators...) }), qbft.ErrValidatorSetChange},
		{"validator removed", extra(func(e *qbft.Extra) { e.Validators = e.Validators[1:] }), qbft.ErrValidatorSetChange},
		{"seal dropped", extra(func(e *qbft.Extra) { e.Seals = e.Seals[:2] }), qbft.ErrInsufficientSeals},
		{"seal duplicated", extra(func(e *qbft.Extra) { e.Seals[2] = e.Seals[0] }), qbft.ErrDuplicateSeal},
		{"seal v=27", extra(func(e *qbft.Extra) { e.Seals[1][64] += 27 }), qbft.ErrBadSeal},
		{"seal r=0", extra(func(e *qbft.Extra) { clear(e.Seals[1][:32]) }), qbft.ErrBadSeal},
		{"seal s flipped", extra(func(e *qbft.Extra) { e.Seals[1][40] ^= 1 }), qbft.ErrNonValidatorSeal},
		{"extra truncated", mod(func(h *types.Header) { h.Extra = h.Extra[:len(h.Extra)-1] }), qbft.ErrBadExtra},
		{"extra empty", mod(func(h *types.Header) { h.Extra = nil }), qbft.ErrBadExtra},
		{"no validators", extra(func(e *qbft.Extra) { e.Validators = nil }), qbft.ErrNoValidators},
		{"five seals", extra(func(e *qbft.Extra) { e.Seals = append(e.Seals, e.Seals[0], e.Seals[1]) }), qbft.ErrTooManySeals},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := qbft.VerifyAdjacent(ts1, tc.h, at(orig))
			wantErr(t, err, tc.want)
			t.Log(err)
		})
	}
	// The IBFT 2.0 codec does not read a QBFT header.
	ts := ts1
	ts.Variant = qbft.IBFT2
	_, err := qbft.VerifyAdjacent(ts, orig, at(orig))
	wantErr(t, err, qbft.ErrBadExtra)
}

func TestLoadRPCHeaders(t *testing.T) {
	var all []json.RawMessage
	for _, n := range []string{"goquorum_qbft_block1.json", "goquorum_qbft_block2.json", "goquorum_qbft_block3.json"} {
		raw, err := os.ReadFile("testdata/" + n)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, raw)
	}
	arr, _ := json.Marshal(all)
	hs, err := qbft.LoadRPCHeaders(arr)
	if err != nil || len(hs) != 3 {
		t.Fatalf("array: %d headers, %v", len(hs), err)
	}
	for i, h := range hs {
		if h.Header.Number.Uint64() != uint64(i+1) || h.Variant != qbft.QBFT {
			t.Errorf("header %d: %v %v", i, h.Header.Number, h.Variant)
		}
	}
	env := []byte(`{"jsonrpc":"2.0","id":1,"result":` + string(all[1]) + `}`)
	if hs, err := qbft.LoadRPCHeaders(env); err != nil || hs[0].Hash != common.HexToHash("0x45f389a8912da285869e823ba9bb5e857bf762708de31a85f42b2e3a6352cda4") {
		t.Fatalf("envelope: %v", err)
	}

	// A wrong claimed hash.
	var m map[string]any
	_ = json.Unmarshal(all[0], &m)
	m["hash"] = "0x" + common.Bytes2Hex(make([]byte, 31)) + "01"
	bad, _ := json.Marshal(m)
	_, err = qbft.LoadRPCHeaders(bad)
	ve := wantErr(t, err, qbft.ErrHashMismatch)
	if ve.Height != 1 {
		t.Errorf("height %d", ve.Height)
	}
	// Extra data in neither codec.
	m["extraData"] = "0xc0"
	bad, _ = json.Marshal(m)
	_, err = qbft.LoadRPCHeaders(bad)
	wantErr(t, err, qbft.ErrBadExtra)
	// Not JSON, or not headers.
	for _, in := range []string{"", "[", "[1]", "null", `{"number":"0x1"}`} {
		if _, err := qbft.LoadRPCHeaders([]byte(in)); !errors.Is(err, ethheader.ErrDecode) {
			t.Errorf("%q: got %v, want ethheader.ErrDecode", in, err)
		}
	}
}
