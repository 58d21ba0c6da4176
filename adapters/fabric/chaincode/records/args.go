package records

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// parseUint parses a decimal argument; contractapi's own conversion of an
// integer parameter fails without the classified prefix the relayer reads.
func parseUint(what, s string, bits int) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, bits)
	if err != nil { // no sign, no base prefix: digits only
		return 0, fmt.Errorf("%w: %s %q is not a decimal number of at most %d bits", ErrInvalid, what, s, bits)
	}
	return n, nil
}

// decodeArray decodes the JSON array s an element at a time, refusing it
// once it holds more than max elements.
func decodeArray[T any](what, s string, max int) ([]T, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, fmt.Errorf("%w: %s: want a JSON array", ErrInvalid, what)
	}
	out := []T{}
	for dec.More() {
		if len(out) == max {
			return nil, fmt.Errorf("%w: %s: more than %d entries", ErrInvalid, what, max)
		}
		var v T
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, what, err)
		}
		out = append(out, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, what, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: %s: data after the array", ErrInvalid, what)
	}
	return out, nil
}

// decodeBatch decodes a batch's records (raw, each decoded later) and
// their evidence hashes: 1 to maxBatch of each, as many of one as of the
// other. The arrays are decoded an element at a time and refused past
// their bound, so that a long one costs the endorsing peers no memory in
// proportion to it.
func decodeBatch(recordsJSON, evidenceHashesJSON string) ([]json.RawMessage, []string, error) {
	raws, err := decodeArray[json.RawMessage]("records", recordsJSON, maxBatch)
	if err != nil {
		return nil, nil, err
	}
	hashes, err := decodeArray[string]("evidence hashes", evidenceHashesJSON, maxBatch)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case len(raws) == 0:
		return nil, nil, fmt.Errorf("%w: a batch holds 1 to %d records, not 0", ErrInvalid, maxBatch)
	case len(hashes) != len(raws):
		return nil, nil, fmt.Errorf("%w: %d records and %d evidence hashes", ErrInvalid, len(raws), len(hashes))
	}
	return raws, hashes, nil
}
