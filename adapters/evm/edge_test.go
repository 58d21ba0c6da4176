package evm

import (
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"syscall"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
)

func TestDescribeRevert(t *testing.T) {
	inbox := contracts.NewInbox().GetABI()
	id := inbox.Errors["NotAttestor"].ID
	notAttestor := append(id[:4:4], common.LeftPadBytes(common.HexToAddress("0xabc").Bytes(), 32)...)
	errorString, _ := abi.Arguments{{Type: mustType(t, "string")}}.Pack("boom")
	panicCode := append([]byte{0x4e, 0x48, 0x7b, 0x71}, common.LeftPadBytes([]byte{0x11}, 32)...)
	for _, tc := range []struct {
		data []byte
		want string
	}{
		{nil, "reverted without data"},
		{[]byte{0x12, 0x34}, "shorter than a selector"},
		{notAttestor, "NotAttestor(0x0000000000000000000000000000000000000aBc)"},
		{notAttestor[:10], "NotAttestor(<6 bytes that do not decode"},
		{append([]byte{0x08, 0xc3, 0x79, 0xa0}, errorString...), `Error("boom")`},
		{panicCode, "Panic(17)"},
		{[]byte{1, 2, 3, 4, 5}, "unknown error 0x0102030405"},
	} {
		if got := describeRevert(inbox, tc.data); !strings.Contains(got, tc.want) {
			t.Errorf("describeRevert(%x) = %q, want it to contain %q", tc.data, got, tc.want)
		}
	}
}

func mustType(t *testing.T, name string) abi.Type {
	typ, err := abi.NewType(name, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	return typ
}

func TestBumpedFees(t *testing.T) {
	g := func(x int64) *big.Int { return big.NewInt(x) }
	for _, tc := range []struct {
		name       string
		old, fresh fees
		percent    int
		want       fees
	}{
		{"dynamic by percent", fees{dynamic: true, tip: g(100), cap: g(1000)}, fees{dynamic: true, tip: g(1), cap: g(10)}, 20, fees{dynamic: true, tip: g(120), cap: g(1200)}},
		{"at least 10%", fees{dynamic: true, tip: g(100), cap: g(1000)}, fees{dynamic: true, tip: g(1), cap: g(10)}, 5, fees{dynamic: true, tip: g(110), cap: g(1100)}},
		{"rounded up", fees{dynamic: true, tip: g(1), cap: g(1)}, fees{dynamic: true, tip: g(1), cap: g(1)}, 10, fees{dynamic: true, tip: g(2), cap: g(2)}},
		{"fresh suggestion wins", fees{dynamic: true, tip: g(1), cap: g(10)}, fees{dynamic: true, tip: g(50), cap: g(5000)}, 20, fees{dynamic: true, tip: g(50), cap: g(5000)}},
		{"legacy", fees{price: g(1000)}, fees{price: g(10)}, 20, fees{price: g(1200)}},
		{"free gas stays free", fees{price: g(0)}, fees{price: g(0)}, 20, fees{price: g(0)}},
	} {
		if got := bumped(tc.old, tc.fresh, tc.percent); !got.same(tc.want) {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

type codeErr struct {
	code int
	msg  string
}

func (e codeErr) Error() string  { return e.msg }
func (e codeErr) ErrorCode() int { return e.code }

func TestErrorClassification(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	read := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	for _, tc := range []struct {
		err                 error
		transport, notSentV bool
	}{
		{dial, true, true},
		{fmt.Errorf("post: %w", dial), true, true},
		{read, true, false},
		{syscall.ENOENT, true, true},
		{rpc.HTTPError{StatusCode: 429}, true, true},
		{rpc.HTTPError{StatusCode: 503}, true, true},
		{rpc.HTTPError{StatusCode: 502}, true, false},
		{rpc.HTTPError{StatusCode: 401}, false, false},
		{codeErr{-32000, "execution reverted"}, false, false},
		{codeErr{-32005, "limit exceeded"}, true, false},
	} {
		if got := transportFailure(tc.err); got != tc.transport {
			t.Errorf("transportFailure(%v) = %v", tc.err, got)
		}
		if got := notSent(tc.err); got != tc.notSentV {
			t.Errorf("notSent(%v) = %v", tc.err, got)
		}
	}
	for msg, want := range map[string]error{
		"already known":                        errAlreadyKnown,
		"Known transaction":                    errAlreadyKnown,
		"nonce too low: next nonce 5, tx 4":    errNonceTooLow,
		"Nonce too low":                        errNonceTooLow,
		"replacement transaction underpriced":  errReplacementUnderpriced,
		"insufficient funds for gas * price":   errRefused,
		"max fee per gas less than block base": errRefused,
	} {
		if got := classifyRefusal(msg); !errors.Is(got, want) {
			t.Errorf("classifyRefusal(%q) = %v, want %v", msg, got, want)
		}
	}
}
