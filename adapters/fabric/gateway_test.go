package fabric

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/liaison-gw/liaison/relayer"
)

// gatewayError builds an error as the Fabric Gateway returns it: a gRPC
// status with one ErrorDetail per peer.
func gatewayError(code codes.Code, msg string, peerMsgs ...string) error {
	st := status.New(code, msg)
	var details []*gateway.ErrorDetail
	for i, m := range peerMsgs {
		details = append(details, &gateway.ErrorDetail{Address: fmt.Sprintf("peer%d:7051", i), MspId: fmt.Sprintf("Org%dMSP", i+1), Message: m})
	}
	for _, d := range details {
		var err error
		if st, err = st.WithDetails(d); err != nil {
			panic(err) // a test helper: ErrorDetail always marshals
		}
	}
	return st.Err()
}

func TestClassifyEndorse(t *testing.T) {
	const aborted = "failed to endorse transaction, see attached details for more info"
	cases := []struct {
		name string
		err  error
		want endorseOutcome
	}{
		{"conflict", gatewayError(codes.Aborted, aborted, "chaincode response 500, conflict: record 85b3 was delivered with digest 0x01"), endorseRefused},
		{"unauthorized", gatewayError(codes.Aborted, aborted, "chaincode response 500, unauthorized: User2 (Org1MSP) is not an attestor"), endorseRefused},
		{"wrong destination", gatewayError(codes.Aborted, aborted, "chaincode response 500, wrong destination: record is addressed to \"x\""), endorseRefused},
		{"invalid", gatewayError(codes.Aborted, aborted, "chaincode response 500, invalid: payload is not standard base64"), endorseRefused},
		{"not initialized", gatewayError(codes.Aborted, aborted, "chaincode response 500, not initialized: an admin must call Init first"), endorseRetry},
		{"duplicate tx id", gatewayError(codes.Aborted, aborted, "duplicate transaction found [abc]. Creator [0a07]"), endorseDuplicate},
		{"peer unreachable", gatewayError(codes.Unavailable, "connection error: desc = \"transport: Error while dialing: dial tcp: connect: connection refused\""), endorseRetry},
		{"timeout", gatewayError(codes.DeadlineExceeded, "endorsement timeout expired while collecting endorsements"), endorseRetry},
		{"shed load", gatewayError(codes.ResourceExhausted, "too many requests"), endorseRetry},
		{"peers disagree", gatewayError(codes.Aborted, "failed to assemble transaction: ProposalResponsePayloads do not match"), endorseFailed},
		{"policy cannot be planned", gatewayError(codes.FailedPrecondition, "no combination of peers can be derived which satisfy the endorsement policy"), endorseFailed},
		{"other chaincode error", gatewayError(codes.Aborted, aborted, "chaincode response 500, read config: ledger closed"), endorseFailed},
		{"TLS misconfigured", gatewayError(codes.Unavailable, "connection error: desc = \"transport: authentication handshake failed: x509\""), endorseFailed},
		{"no status at all", errors.New("signing failed"), endorseFailed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, f := classifyEndorse(tc.err)
			if got != tc.want {
				t.Fatalf("outcome %d, want %d (%s)", got, tc.want, f.text())
			}
		})
	}
}

func TestReadError(t *testing.T) {
	ep := &endpoint{addr: "peer0:7051"}
	ctx := context.Background()
	cases := []struct {
		name        string
		err         error
		unavailable bool
		unknownTx   bool
		contains    string
	}{
		{"unreachable", gatewayError(codes.Unavailable, "connection refused"), true, false, "connection refused"},
		{"timeout", gatewayError(codes.DeadlineExceeded, "evaluate timeout expired"), true, false, "timeout"},
		{"chaincode process gone", gatewayError(codes.Aborted, "failed to evaluate transaction", "error in simulation: chaincode stream terminated"), true, false, "stream terminated"},
		{"channel not joined", gatewayError(codes.Unavailable, "failed to get config for channel [x]: could not get last config"), false, false, "has not joined the channel"},
		{"chaincode missing", gatewayError(codes.FailedPrecondition, "no peers available to evaluate chaincode x in channel records"), false, false, "no peers available"},
		{"not initialized", gatewayError(codes.Unknown, "evaluate call to endorser returned error: chaincode response 500, not initialized: an admin must call Init first"), true, false, "not initialized"},
		{"not found", gatewayError(codes.Unknown, "evaluate call to endorser returned error: chaincode response 500, not found: record 01 is not delivered"), false, false, "chaincode error: not found"},
		{"tx unknown", gatewayError(codes.Unknown, "evaluate call to endorser returned error: chaincode response 500, Failed to get transaction with id ab, error no such transaction ID [ab] in index"), false, true, "no such transaction"},
		{"TLS", gatewayError(codes.Unavailable, "connection error: desc = \"transport: authentication handshake failed: x509: certificate is valid for a, not b\""), false, false, "check tls_ca and server_name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := readError(ctx, ep, "records GetConfig", tc.err)
			if got := errors.Is(err, relayer.ErrUnavailable); got != tc.unavailable {
				t.Errorf("unavailable = %v, want %v: %v", got, tc.unavailable, err)
			}
			if got := errors.Is(err, errTxUnknown); got != tc.unknownTx {
				t.Errorf("unknown tx = %v, want %v: %v", got, tc.unknownTx, err)
			}
			if !containsAll(err.Error(), tc.contains, "peer0:7051") {
				t.Errorf("%q lacks %q or the peer", err, tc.contains)
			}
		})
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := readError(cctx, ep, "x", gatewayError(codes.Canceled, "context canceled")); !errors.Is(err, context.Canceled) || errors.Is(err, relayer.ErrUnavailable) {
		t.Errorf("cancelled: %v", err)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
