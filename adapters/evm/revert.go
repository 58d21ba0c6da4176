package evm

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// revertData returns the revert data that a failed eth_call or
// eth_estimateGas carries (geth and Besu put it in the JSON-RPC error's
// data as a hex string). ok is false when the failure is not a revert with
// data.
func revertData(err error) (data []byte, ok bool) {
	var de rpc.DataError
	if err == nil || !errors.As(err, &de) {
		return nil, false
	}
	s, isString := de.ErrorData().(string)
	if !isString {
		return nil, false
	}
	data, decodeErr := hexutil.Decode(s)
	if decodeErr != nil || len(data) == 0 {
		return nil, false
	}
	return data, true
}

// Selectors of Solidity's built-in errors.
var (
	selectorError = []byte{0x08, 0xc3, 0x79, 0xa0} // Error(string)
	selectorPanic = []byte{0x4e, 0x48, 0x7b, 0x71} // Panic(uint256)
)

// describeRevert names revert data with the custom errors of contract: for
// example `NotAttestor(0x12…)`, `Error("…")` or `Panic(17)`. It never
// panics: data shorter than a selector, an unknown selector and arguments
// that do not decode are described as such.
func describeRevert(contract abi.ABI, data []byte) string {
	if len(data) < 4 {
		if len(data) == 0 {
			return "reverted without data"
		}
		return fmt.Sprintf("reverted with %d bytes of data %#x (shorter than a selector)", len(data), data)
	}
	sel, args := data[:4], data[4:]
	switch {
	case bytes.Equal(sel, selectorError):
		if msg, err := abi.UnpackRevert(data); err == nil {
			return fmt.Sprintf("Error(%q)", msg)
		}
	case bytes.Equal(sel, selectorPanic):
		if len(args) == 32 {
			return fmt.Sprintf("Panic(%s)", new(big.Int).SetBytes(args))
		}
	}
	names := make([]string, 0, len(contract.Errors))
	for name := range contract.Errors {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		e := contract.Errors[name]
		if !bytes.Equal(e.ID[:4], sel) {
			continue
		}
		vals, err := e.Inputs.Unpack(args)
		if err != nil {
			return fmt.Sprintf("%s(<%d bytes that do not decode: %v>)", name, len(args), err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			switch v := v.(type) {
			case string:
				parts[i] = fmt.Sprintf("%q", v)
			case fmt.Stringer:
				parts[i] = v.String()
			default:
				parts[i] = fmt.Sprint(v)
			}
		}
		return fmt.Sprintf("%s(%s)", name, strings.Join(parts, ", "))
	}
	return fmt.Sprintf("unknown error %#x", data)
}
