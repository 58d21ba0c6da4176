package records

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
)

// Init sets the chain name this ledger has in record IDs, and the MSPs
// whose admins may change the configuration from now on (a JSON array of
// MSP IDs; an empty array means the caller's own MSP). It runs once: a
// second call fails with ErrAlreadyInitialized. The caller must be an admin
// (NodeOU "admin") of any MSP; the first such call wins, so run it as part
// of deploying the chaincode. It also records the chaincode name it was
// invoked under as the emitter, and starts with no attestors and a
// threshold of 1.
func (c *Contract) Init(ctx contractapi.TransactionContextInterface, chainName string, adminMSPs []string) error {
	b, err := ctx.GetStub().GetState(keyConfig)
	if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	if b != nil {
		return fmt.Errorf("%w: the configuration is set once", ErrAlreadyInitialized)
	}
	who, err := callerOf(ctx)
	if err != nil {
		return err
	}
	if !who.isAdmin() {
		return fmt.Errorf("%w: %s is not an admin (its certificate has no %q OU)", ErrUnauthorized, who, adminOU)
	}
	if chainName == "" || len(chainName) > maxChainNameLength {
		return fmt.Errorf("%w: chain name must be 1 to %d bytes", ErrInvalid, maxChainNameLength)
	}
	admins := []string{who.mspID}
	if len(adminMSPs) > 0 {
		admins = slices.Clone(adminMSPs)
		slices.Sort(admins)
		admins = slices.Compact(admins)
	}
	for _, m := range admins {
		if m == "" || strings.Contains(m, "/") {
			return fmt.Errorf("%w: admin MSP ID %q must be non-empty and contain no '/'", ErrInvalid, m)
		}
	}
	emitter, err := invokedChaincode(ctx)
	if err != nil {
		return err
	}
	if len(emitter) > maxChainNameLength {
		return fmt.Errorf("%w: chaincode name longer than %d bytes", ErrInvalid, maxChainNameLength)
	}
	return storeConfig(ctx, &Config{
		ChainName: chainName,
		Emitter:   emitter,
		AdminMSPs: admins,
		Attestors: []Attestor{},
		Threshold: 1,
	})
}

// AddAttestor adds an attestor and returns its key. kind is "cert", with
// value the hex SHA-256 of the attestor's DER certificate, or "ou", with
// value an organizational unit that every accepted member of mspID carries.
// Admin only. Adding an attestor that is already present fails with
// ErrInvalid.
func (c *Contract) AddAttestor(ctx contractapi.TransactionContextInterface, mspID, kind, value string) (string, error) {
	cfg, err := loadConfig(ctx)
	if err != nil {
		return "", err
	}
	if _, err := requireAdmin(ctx, cfg.AdminMSPs); err != nil {
		return "", err
	}
	a, err := newAttestor(mspID, kind, value)
	if err != nil {
		return "", err
	}
	i, found := slices.BinarySearchFunc(cfg.Attestors, a.Key, func(x Attestor, k string) int { return strings.Compare(x.Key, k) })
	if found {
		return "", fmt.Errorf("%w: %s is already an attestor", ErrInvalid, a.Key)
	}
	cfg.Attestors = slices.Insert(cfg.Attestors, i, a)
	return a.Key, storeConfig(ctx, cfg)
}

// RemoveAttestor removes the attestor with this key. Its votes stop
// counting at once, also for records it already voted on. Admin only. It
// fails with ErrNotFound for an unknown key, and with ErrInvalid when fewer
// attestors than the threshold would remain (lower the threshold first).
func (c *Contract) RemoveAttestor(ctx contractapi.TransactionContextInterface, attestorKey string) error {
	cfg, err := loadConfig(ctx)
	if err != nil {
		return err
	}
	if _, err := requireAdmin(ctx, cfg.AdminMSPs); err != nil {
		return err
	}
	i := slices.IndexFunc(cfg.Attestors, func(a Attestor) bool { return a.Key == attestorKey })
	if i < 0 {
		return fmt.Errorf("%w: attestor %q", ErrNotFound, attestorKey)
	}
	if uint32(len(cfg.Attestors)-1) < cfg.Threshold {
		return fmt.Errorf("%w: removing %s would leave %d attestors for a threshold of %d; lower the threshold first",
			ErrInvalid, attestorKey, len(cfg.Attestors)-1, cfg.Threshold)
	}
	cfg.Attestors = slices.Delete(cfg.Attestors, i, i+1)
	return storeConfig(ctx, cfg)
}

// SetThreshold sets M, the number of distinct attestors that must attest
// the same digest before a record is delivered: 1 <= m <= number of
// attestors, else ErrInvalid. Admin only. Records whose votes already reach
// a lowered threshold are delivered by their next attestation (a replay
// is enough).
func (c *Contract) SetThreshold(ctx contractapi.TransactionContextInterface, threshold string) error {
	cfg, err := loadConfig(ctx)
	if err != nil {
		return err
	}
	n, err := parseUint("threshold", threshold, 32)
	if err != nil {
		return err
	}
	m := uint32(n)
	if _, err := requireAdmin(ctx, cfg.AdminMSPs); err != nil {
		return err
	}
	if m < 1 || m > uint32(len(cfg.Attestors)) {
		return fmt.Errorf("%w: threshold %d out of range: want 1 to %d (the number of attestors)", ErrInvalid, m, len(cfg.Attestors))
	}
	cfg.Threshold = m
	return storeConfig(ctx, cfg)
}
