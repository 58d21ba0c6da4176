package records

import (
	"encoding/json"
	"fmt"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-contract-api-go/v2/metadata"
)

// ContractName is the name the contract is registered under. Clients call
// its functions as "records:PublishRecord" (or just "PublishRecord": it is
// the chaincode's default contract).
const ContractName = "records"

// Event names, as chaincode events carry them.
const (
	EventRecordPublished = "RecordPublished"
	EventRecordAttested  = "RecordAttested"
	EventRecordDelivered = "RecordDelivered"
	EventRecordsAttested = "RecordsAttested"
	// EventCommitteeAttested: DeliverAttested's one event.
	EventCommitteeAttested = "CommitteeAttested"
	// EventRecordsPublished is PublishRecords' event: []Record as JSON.
	EventRecordsPublished = "RecordsPublished"
	EventConfigChanged    = "ConfigChanged"
)

// State keys. See the package documentation for what each one holds.
const (
	keyConfig          = "config"
	keyOutboxSeq       = "outbox/seq"
	keyOutboxRecord    = "outbox/record/"   // + 64 lower-case hex digits of the ID
	keyInboxVotes      = "inbox/votes/"     // + ID hex
	keyInboxDelivered  = "inbox/delivered/" // + ID hex
	adminOU            = "admin"
	maxChainNameLength = 1<<16 - 1
)

// OutboxRecordKey returns the state key under which the Outbox stores the
// 32-byte commitment of the record with this ID.
func OutboxRecordKey(id [32]byte) string { return keyOutboxRecord + fmt.Sprintf("%x", id) }

// Contract is the "records" contract: an Outbox that publishes records, an
// Inbox that delivers records attested by M of N attestors, and the admin
// functions that configure both. Its exported methods are the chaincode's
// transaction functions; see the package documentation.
type Contract struct {
	contractapi.Contract
}

// New returns the records contract.
func New() *Contract {
	c := new(Contract)
	c.Name = ContractName
	c.Info = metadata.InfoMetadata{
		Title:       "Liaison records",
		Description: "Outbox and M-of-N attested Inbox for Liaison records",
		Version:     "1.0.0",
	}
	return c
}

// NewChaincode returns the chaincode that serves the records contract.
func NewChaincode() (*contractapi.ContractChaincode, error) {
	cc, err := contractapi.NewChaincode(New())
	if err != nil {
		return nil, fmt.Errorf("records chaincode: %w", err)
	}
	return cc, nil
}

// GetEvaluateTransactions lists the read-only functions, so that clients
// that read the metadata evaluate them instead of submitting them.
func (c *Contract) GetEvaluateTransactions() []string {
	return []string{"GetCommitment", "IsDelivered", "HasAttested", "GetDelivered", "GetConfig"}
}

// Config is the chaincode's configuration, set by Init and changed by the
// admin functions. It is stored as JSON under the state key "config".
type Config struct {
	// ChainName is the name this ledger has in record IDs ("registry").
	ChainName string `json:"chain_name"`
	// Emitter is the chaincode name the chaincode was invoked under at
	// Init; record IDs hash its UTF-8 bytes.
	Emitter string `json:"emitter"`
	// AdminMSPs are the MSPs whose admins may change the configuration.
	AdminMSPs []string `json:"admin_msps"`
	// Attestors are the identities whose votes the Inbox counts, sorted by
	// key.
	Attestors []Attestor `json:"attestors"`
	// Threshold is M: how many distinct attestors must attest the same
	// digest of a record before it is delivered. Always at least 1.
	Threshold uint32 `json:"threshold"`
	// Committee delivers records on its members' joint signatures
	// (DeliverAttested); off until an admin sets it.
	Committee Committee `json:"committee"`
}

// Attestor is one identity the Inbox accepts attestations from: the members
// of MSPID whose certificate has SHA-256 fingerprint CertSHA256 (hex of the
// DER), or, when CertSHA256 is empty, whose certificate carries the
// organizational unit OU. Key names it in votes and queries:
// "<msp>/cert/<sha256 hex>" or "<msp>/ou/<ou>".
type Attestor struct {
	Key        string `json:"key"`
	MSPID      string `json:"msp_id"`
	CertSHA256 string `json:"cert_sha256"`
	OU         string `json:"ou"`
}

// loadConfig reads the configuration; ErrNotInitialized before Init.
func loadConfig(ctx contractapi.TransactionContextInterface) (*Config, error) {
	b, err := ctx.GetStub().GetState(keyConfig)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	if b == nil {
		return nil, fmt.Errorf("%w: an admin must call Init first", ErrNotInitialized)
	}
	cfg := new(Config)
	if err := json.Unmarshal(b, cfg); err != nil {
		return nil, fmt.Errorf("decode config: %w", err)
	}
	if cfg.Committee.Attestors == nil {
		cfg.Committee.Attestors = []string{} // stored before committees existed
	}
	return cfg, nil
}

// storeConfig writes the configuration and announces it with a
// ConfigChanged event.
func storeConfig(ctx contractapi.TransactionContextInterface, cfg *Config) error {
	if cfg.AdminMSPs == nil {
		cfg.AdminMSPs = []string{}
	}
	if cfg.Attestors == nil {
		cfg.Attestors = []Attestor{}
	}
	if cfg.Committee.Attestors == nil {
		cfg.Committee.Attestors = []string{}
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		return fmt.Errorf("encode config: %w", err)
	}
	if err := ctx.GetStub().PutState(keyConfig, b); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return ctx.GetStub().SetEvent(EventConfigChanged, b)
}

// putJSON stores v as JSON under key.
func putJSON(ctx contractapi.TransactionContextInterface, key string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", key, err)
	}
	if err := ctx.GetStub().PutState(key, b); err != nil {
		return nil, fmt.Errorf("write %s: %w", key, err)
	}
	return b, nil
}

// getJSON loads key into v and reports whether it was present.
func getJSON(ctx contractapi.TransactionContextInterface, key string, v any) (bool, error) {
	b, err := ctx.GetStub().GetState(key)
	if err != nil {
		return false, fmt.Errorf("read %s: %w", key, err)
	}
	if b == nil {
		return false, nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("decode %s: %w", key, err)
	}
	return true, nil
}
