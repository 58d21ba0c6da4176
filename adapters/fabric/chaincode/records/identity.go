package records

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// caller is the submitting identity, as the peer validated it against its
// MSP before the chaincode ran.
type caller struct {
	mspID string
	cert  *x509.Certificate
}

// callerOf reads the client identity. An identity without an X.509
// certificate (Idemix) cannot be an admin or an attestor.
func callerOf(ctx contractapi.TransactionContextInterface) (caller, error) {
	ci := ctx.GetClientIdentity()
	if ci == nil {
		return caller{}, fmt.Errorf("%w: no client identity", ErrUnauthorized)
	}
	msp, err := ci.GetMSPID()
	if err != nil {
		return caller{}, fmt.Errorf("%w: client MSP ID: %v", ErrUnauthorized, err)
	}
	cert, err := ci.GetX509Certificate()
	if err != nil || cert == nil {
		return caller{}, fmt.Errorf("%w: the client identity of %s has no X.509 certificate", ErrUnauthorized, msp)
	}
	return caller{mspID: msp, cert: cert}, nil
}

// isAdmin reports whether the caller has the NodeOU admin role: its
// certificate carries the organizational unit "admin".
func (c caller) isAdmin() bool { return slices.Contains(c.cert.Subject.OrganizationalUnit, adminOU) }

// fingerprint is the hex SHA-256 of the caller's DER certificate.
func (c caller) fingerprint() string {
	sum := sha256.Sum256(c.cert.Raw)
	return hex.EncodeToString(sum[:])
}

func (c caller) String() string { return fmt.Sprintf("%s (%s)", c.cert.Subject.CommonName, c.mspID) }

// requireAdmin returns the caller if it is an admin of one of the admin
// MSPs, and ErrUnauthorized otherwise.
func requireAdmin(ctx contractapi.TransactionContextInterface, adminMSPs []string) (caller, error) {
	c, err := callerOf(ctx)
	if err != nil {
		return c, err
	}
	if !c.isAdmin() {
		return c, fmt.Errorf("%w: %s is not an admin (its certificate has no %q OU)", ErrUnauthorized, c, adminOU)
	}
	if !slices.Contains(adminMSPs, c.mspID) {
		return c, fmt.Errorf("%w: %s is not one of the admin MSPs %v", ErrUnauthorized, c.mspID, adminMSPs)
	}
	return c, nil
}

// attestorKey names an attestor; see Attestor.
func attestorKey(mspID, kind, value string) string { return mspID + "/" + kind + "/" + value }

// newAttestor validates an attestor definition: kind "cert" takes the hex
// SHA-256 of the DER certificate, kind "ou" an organizational unit.
func newAttestor(mspID, kind, value string) (Attestor, error) {
	if mspID == "" || strings.Contains(mspID, "/") {
		return Attestor{}, fmt.Errorf("%w: MSP ID %q must be non-empty and contain no '/'", ErrInvalid, mspID)
	}
	switch kind {
	case "cert":
		fp, err := parseHash32("certificate fingerprint", value)
		if err != nil {
			return Attestor{}, err
		}
		v := hex.EncodeToString(fp[:])
		return Attestor{Key: attestorKey(mspID, kind, v), MSPID: mspID, CertSHA256: v}, nil
	case "ou":
		if value == "" {
			return Attestor{}, fmt.Errorf("%w: empty organizational unit", ErrInvalid)
		}
		return Attestor{Key: attestorKey(mspID, kind, value), MSPID: mspID, OU: value}, nil
	default:
		return Attestor{}, fmt.Errorf("%w: attestor kind %q: want \"cert\" or \"ou\"", ErrInvalid, kind)
	}
}

// matches reports whether the caller is this attestor.
func (a Attestor) matches(c caller) bool {
	if a.MSPID != c.mspID {
		return false
	}
	if a.CertSHA256 != "" {
		return a.CertSHA256 == c.fingerprint()
	}
	return slices.Contains(c.cert.Subject.OrganizationalUnit, a.OU)
}

// attestorOf returns the key of the one attestor the caller is. An identity
// that matches two attestors (its certificate and its OU are both listed)
// is refused: one identity must never hold two votes.
func attestorOf(cfg *Config, c caller) (string, error) {
	var keys []string
	for _, a := range cfg.Attestors {
		if a.matches(c) {
			keys = append(keys, a.Key)
		}
	}
	switch len(keys) {
	case 1:
		return keys[0], nil
	case 0:
		return "", fmt.Errorf("%w: %s (certificate sha256 %s) is not an attestor", ErrUnauthorized, c, c.fingerprint())
	default:
		return "", fmt.Errorf("%w: %s matches several attestors %v; an identity may hold one vote, so an admin must remove all but one",
			ErrUnauthorized, c, keys)
	}
}

// invokedChaincode returns the name of the chaincode the transaction
// proposal invokes. For a chaincode-to-chaincode call it is the calling
// chaincode's name, not this one's.
func invokedChaincode(ctx contractapi.TransactionContextInterface) (string, error) {
	sp, err := ctx.GetStub().GetSignedProposal()
	if err != nil {
		return "", fmt.Errorf("signed proposal: %w", err)
	}
	if sp == nil {
		return "", errors.New("signed proposal: none")
	}
	var prop peer.Proposal
	if err := proto.Unmarshal(sp.GetProposalBytes(), &prop); err != nil {
		return "", fmt.Errorf("proposal: %w", err)
	}
	var payload peer.ChaincodeProposalPayload
	if err := proto.Unmarshal(prop.GetPayload(), &payload); err != nil {
		return "", fmt.Errorf("proposal payload: %w", err)
	}
	var spec peer.ChaincodeInvocationSpec
	if err := proto.Unmarshal(payload.GetInput(), &spec); err != nil {
		return "", fmt.Errorf("invocation spec: %w", err)
	}
	name := spec.GetChaincodeSpec().GetChaincodeId().GetName()
	if name == "" {
		return "", errors.New("invocation spec: no chaincode name")
	}
	return name, nil
}
