package ethheader_test

import (
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/liaison-gw/liaison/proofs/ethheader"
)

// sampleHeader is a London-style header with every optional field up to
// the withdrawals root, as a proof-of-stake chain serves it.
func sampleHeader() *types.Header {
	wd := common.HexToHash("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421")
	return &types.Header{
		ParentHash:      common.HexToHash("0x01"),
		UncleHash:       types.EmptyUncleHash,
		Coinbase:        common.HexToAddress("0xc0ffee"),
		Root:            common.HexToHash("0x02"),
		TxHash:          types.EmptyTxsHash,
		ReceiptHash:     types.EmptyReceiptsHash,
		Difficulty:      new(big.Int),
		Number:          big.NewInt(1234),
		GasLimit:        30_000_000,
		GasUsed:         21_000,
		Time:            1_700_000_000,
		Extra:           []byte("liaison"),
		BaseFee:         big.NewInt(7),
		WithdrawalsHash: &wd,
	}
}

func TestRoundTripJSONAndRLP(t *testing.T) {
	h := sampleHeader()
	js, err := json.Marshal(h) // includes "hash": h.Hash()
	if err != nil {
		t.Fatal(err)
	}
	got, claimed, err := ethheader.DecodeRPCHeader(js)
	if err != nil {
		t.Fatal(err)
	}
	if claimed != h.Hash() {
		t.Fatalf("claimed %s, want %s", claimed, h.Hash())
	}
	if err := ethheader.VerifyHeaderHash(got, claimed); err != nil {
		t.Fatal(err)
	}
	enc, _ := rlp.EncodeToBytes(h)
	dec, err := ethheader.DecodeRLPHeader(enc)
	if err != nil {
		t.Fatal(err)
	}
	if err := ethheader.VerifyHeaderHash(dec, h.Hash()); err != nil {
		t.Fatal(err)
	}
}

// TestCorruptedFields changes one field at a time in the JSON and expects
// the hash check (or the decoder) to reject it.
func TestCorruptedFields(t *testing.T) {
	h := sampleHeader()
	js, _ := json.Marshal(h)
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(js, &fields); err != nil {
		t.Fatal(err)
	}
	replacements := map[string]string{
		"parentHash":       `"0x0000000000000000000000000000000000000000000000000000000000000009"`,
		"sha3Uncles":       `"0x0000000000000000000000000000000000000000000000000000000000000009"`,
		"miner":            `"0x0000000000000000000000000000000000000009"`,
		"stateRoot":        `"0x0000000000000000000000000000000000000000000000000000000000000009"`,
		"transactionsRoot": `"0x0000000000000000000000000000000000000000000000000000000000000009"`,
		"receiptsRoot":     `"0x0000000000000000000000000000000000000000000000000000000000000009"`,
		"logsBloom":        `"0x` + strings.Repeat("00", 255) + `01"`,
		"difficulty":       `"0x1"`,
		"number":           `"0x4d3"`,
		"gasLimit":         `"0x1"`,
		"gasUsed":          `"0x1"`,
		"timestamp":        `"0x1"`,
		"extraData":        `"0x00"`,
		"mixHash":          `"0x0000000000000000000000000000000000000000000000000000000000000009"`,
		"nonce":            `"0x0000000000000009"`,
		"baseFeePerGas":    `"0x8"`,
		"withdrawalsRoot":  `"0x0000000000000000000000000000000000000000000000000000000000000009"`,
	}
	for name, repl := range replacements {
		t.Run(name, func(t *testing.T) {
			if _, ok := fields[name]; !ok {
				t.Fatalf("sample JSON has no %q", name)
			}
			m := map[string]json.RawMessage{}
			for k, v := range fields {
				m[k] = v
			}
			m[name] = json.RawMessage(repl)
			js, _ := json.Marshal(m)
			got, claimed, err := ethheader.DecodeRPCHeader(js)
			if err != nil {
				t.Fatal(err)
			}
			err = ethheader.VerifyHeaderHash(got, claimed)
			var me *ethheader.MismatchError
			if !errors.Is(err, ethheader.ErrHashMismatch) || !errors.As(err, &me) {
				t.Fatalf("got %v, want a *MismatchError", err)
			}
			if me.Want != claimed || me.Got != got.Hash() {
				t.Errorf("MismatchError %+v", me)
			}
		})
	}
}

func TestDecodeRPCHeaderGoQuorum(t *testing.T) {
	raw, err := os.ReadFile("testdata/goquorum_qbft_block1.json")
	if err != nil {
		t.Fatal(err)
	}
	h, claimed, err := ethheader.DecodeRPCHeader(raw)
	if err != nil {
		t.Fatal(err)
	}
	if h.Number.Uint64() != 1 || h.BaseFee != nil || len(h.Extra) != 0x147 {
		t.Fatalf("decoded number %v baseFee %v extra %d bytes", h.Number, h.BaseFee, len(h.Extra))
	}
	if claimed != common.HexToHash("0x0170e322ac69e26185e6ed05c9d5ec0e592087749718172b19d73c9d8f855521") {
		t.Fatalf("claimed hash %s", claimed)
	}
	// The QBFT on-chain hash is not keccak256(RLP(header)).
	if err := ethheader.VerifyHeaderHash(h, claimed); !errors.Is(err, ethheader.ErrHashMismatch) {
		t.Fatalf("QBFT header: got %v, want ErrHashMismatch", err)
	}
	// Full transaction objects and a JSON-RPC envelope are accepted.
	var m map[string]json.RawMessage
	_ = json.Unmarshal(raw, &m)
	m["transactions"] = json.RawMessage(`[{"hash":"0x01","input":"0x","to":null,"value":"0x0"}]`)
	withTxs, _ := json.Marshal(m)
	env := []byte(`{"jsonrpc":"2.0","id":7,"result":` + string(withTxs) + `}`)
	h2, claimed2, err := ethheader.DecodeRPCHeader(env)
	if err != nil {
		t.Fatal(err)
	}
	if claimed2 != claimed || h2.Hash() != h.Hash() {
		t.Fatal("envelope with transactions decodes differently")
	}
}

func TestDecodeErrors(t *testing.T) {
	h := sampleHeader()
	js, _ := json.Marshal(h)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(js, &m)
	without := func(k string) []byte {
		c := map[string]json.RawMessage{}
		for kk, v := range m {
			if kk != k {
				c[kk] = v
			}
		}
		b, _ := json.Marshal(c)
		return b
	}
	for name, in := range map[string][]byte{
		"null":              []byte("null"),
		"empty":             nil,
		"array":             []byte("[]"),
		"not json":          []byte("{"),
		"no hash":           without("hash"),
		"no stateRoot":      without("stateRoot"),
		"no number":         without("number"),
		"bad hex":           []byte(strings.Replace(string(js), `"number":"0x4d2"`, `"number":"0xzz"`, 1)),
		"null result":       []byte(`{"jsonrpc":"2.0","id":1,"result":null}`),
		"rpc error":         []byte(`{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"boom"}}`),
		"nested envelope":   []byte(`{"jsonrpc":"2.0","id":1,"result":{"jsonrpc":"2.0","result":` + string(js) + `}}`),
		"no result at all":  []byte(`{"jsonrpc":"2.0","id":1}`),
		"hash not 32 bytes": []byte(strings.Replace(string(js), `"hash":"0x`, `"hash":"0x00`, 1)),
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := ethheader.DecodeRPCHeader(in); !errors.Is(err, ethheader.ErrDecode) {
				t.Fatalf("got %v, want ErrDecode", err)
			}
		})
	}
	enc, _ := rlp.EncodeToBytes(h)
	for name, in := range map[string][]byte{
		"empty":     nil,
		"truncated": enc[:len(enc)-1],
		"trailing":  append(append([]byte(nil), enc...), 0x00),
		"not list":  {0x80},
	} {
		t.Run("rlp "+name, func(t *testing.T) {
			if _, err := ethheader.DecodeRLPHeader(in); !errors.Is(err, ethheader.ErrDecode) {
				t.Fatalf("got %v, want ErrDecode", err)
			}
		})
	}
	if err := ethheader.VerifyHeaderHash(nil, common.Hash{}); !errors.Is(err, ethheader.ErrDecode) {
		t.Fatalf("nil header: got %v", err)
	}
}

// TestRLPByteFlips: every single-byte change of the RLP encoding either fails
// to decode or changes the hash.
func TestRLPByteFlips(t *testing.T) {
	h := sampleHeader()
	enc, _ := rlp.EncodeToBytes(h)
	want := h.Hash()
	for i := range enc {
		c := append([]byte(nil), enc...)
		c[i] ^= 0x01
		d, err := ethheader.DecodeRLPHeader(c)
		if err != nil {
			continue
		}
		if err := ethheader.VerifyHeaderHash(d, want); !errors.Is(err, ethheader.ErrHashMismatch) {
			t.Fatalf("byte %d: got %v", i, err)
		}
	}
}

func BenchmarkDecodeRPCHeader(b *testing.B) {
	raw, err := os.ReadFile("testdata/goquorum_qbft_block1.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ethheader.DecodeRPCHeader(raw); err != nil {
			b.Fatal(err)
		}
	}
}
