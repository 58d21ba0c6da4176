package records

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
)

// Committee is the set of attestor keys whose joint signatures deliver
// records in one transaction (DeliverAttested), whoever submits it: the
// departments that sign need no identity on this Fabric network. It is
// separate from Attestors, whose members vote with their own transactions.
type Committee struct {
	// Attestors are Ethereum-style addresses of secp256k1 keys, 0x-prefixed
	// lower-case hex, sorted.
	Attestors []string `json:"attestors"`
	// Threshold is M; 0 turns committee delivery off.
	Threshold uint32 `json:"threshold"`
}

// CommitteeProof is how a committee delivered a record.
type CommitteeProof struct {
	Nonce        uint64   `json:"nonce"`
	SigningInput string   `json:"signing_input"`
	Signers      []string `json:"signers"`
}

// CommitteeAttested is the event of DeliverAttested.
type CommitteeAttested struct {
	Nonce        uint64         `json:"nonce"`
	SigningInput string         `json:"signing_input"`
	Signers      []string       `json:"signers"`
	Submitter    string         `json:"submitter"`
	Results      []AttestResult `json:"results"`
}

// committeeAttestor is the Attestor field of a committee's results.
const committeeAttestor = "committee"

// SetCommittee replaces the committee with the addresses in attestorsJSON
// (a JSON array of 20-byte hex addresses) and threshold m, 1 <= m <= their
// number; an empty array with m = 0 turns committee delivery off. A
// department joins or leaves by a SetCommittee with the new list; batches
// signed before that still deliver if their signers are all in the new
// list and reach the new threshold. Admin only.
func (c *Contract) SetCommittee(ctx contractapi.TransactionContextInterface, attestorsJSON, threshold string) error {
	cfg, err := loadConfig(ctx)
	if err != nil {
		return err
	}
	m, err := parseUint("threshold", threshold, 32)
	if err != nil {
		return err
	}
	if _, err := requireAdmin(ctx, cfg.AdminMSPs); err != nil {
		return err
	}
	var in []string
	if err := json.Unmarshal([]byte(attestorsJSON), &in); err != nil {
		return fmt.Errorf("%w: committee JSON: %v", ErrInvalid, err)
	}
	set := make([]string, 0, len(in))
	for _, a := range in {
		b, err := parseHex("committee attestor", a)
		if err != nil {
			return err
		}
		if len(b) != 20 || slices.Equal(b, make([]byte, 20)) {
			return fmt.Errorf("%w: committee attestor %q is not a non-zero 20-byte address", ErrInvalid, a)
		}
		set = append(set, "0x"+hex.EncodeToString(b))
	}
	slices.Sort(set)
	if len(slices.Compact(slices.Clone(set))) != len(set) {
		return fmt.Errorf("%w: a committee attestor is listed twice", ErrInvalid)
	}
	if (len(set) == 0) != (m == 0) || m > uint64(len(set)) {
		return fmt.Errorf("%w: threshold %d for %d committee attestors: want 1 to %d, or 0 with none", ErrInvalid, m, len(set), len(set))
	}
	cfg.Committee = Committee{Attestors: set, Threshold: uint32(m)}
	return storeConfig(ctx, cfg)
}

// DeliverAttested delivers records on the committee's signatures: at least
// the committee threshold of distinct committee attestors signed the
// attestation of exactly these records (in order, with these evidence
// hashes, 64 hex digits each) for this channel, chaincode and chain name,
// with this nonce (docs/ARCHITECTURE.md, "Committee attestations"). The
// chaincode rebuilds the attestation from the records; signaturesJSON is a
// JSON array of 65-byte signatures r ‖ s ‖ v in hex; nonce is decimal.
// Anyone may submit, with any kind of identity the channel accepts.
//
// It fails, changing nothing, when the committee is off or the signatures
// do not make a quorum (ErrUnauthorized), when an argument is malformed, a
// signature is malformed or a record ID is given twice (ErrInvalid), and
// for a record addressed elsewhere (ErrWrongDestination). Otherwise, per
// record: delivered before with this digest, OutcomeDuplicate; delivered
// with another, OutcomeConflict with the reason in Error, and nothing
// changes for it; else it is delivered, with the committee's proof in its
// Delivery, and with a "conflict: " Error (an alarm, not a refusal) when
// an identity attestor voted another digest for it before. The one event
// is CommitteeAttested, with the results that delivered or conflicted.
func (c *Contract) DeliverAttested(ctx contractapi.TransactionContextInterface, nonceArg, recordsJSON, evidenceHashesJSON, signaturesJSON string) ([]AttestResult, error) {
	cfg, err := loadConfig(ctx)
	if err != nil {
		return nil, err
	}
	if cfg.Committee.Threshold == 0 {
		return nil, fmt.Errorf("%w: committee delivery is off (no committee is set)", ErrUnauthorized)
	}
	nonce, err := parseUint("nonce", nonceArg, 64)
	if err != nil {
		return nil, err
	}
	raws, hashes, err := decodeBatch(recordsJSON, evidenceHashesJSON)
	if err != nil {
		return nil, err
	}
	sigHex, err := decodeArray[string]("signatures", signaturesJSON, len(cfg.Committee.Attestors))
	if err != nil {
		return nil, err
	}
	if len(sigHex) < int(cfg.Committee.Threshold) {
		return nil, fmt.Errorf("%w: %d signatures, the committee's threshold is %d", ErrUnauthorized, len(sigHex), cfg.Committee.Threshold)
	}

	a := attestationT{Destination: fabricDestination(ctx.GetStub().GetChannelID(), cfg.Emitter, cfg.ChainName), Nonce: nonce}
	recs := make([]Record, len(raws))
	seen := make(map[string]bool, len(raws))
	for i, raw := range raws {
		in, err := decodeRecord(raw)
		if err != nil {
			return nil, fmt.Errorf("%w (record %d)", err, i)
		}
		rec, id, digest, err := in.check()
		if err != nil {
			return nil, fmt.Errorf("%w (record %d)", err, i)
		}
		if rec.Destination != cfg.ChainName {
			return nil, fmt.Errorf("%w: record %s is addressed to %q, this inbox is %q", ErrWrongDestination, rec.ID, rec.Destination, cfg.ChainName)
		}
		if seen[rec.ID] {
			return nil, fmt.Errorf("%w: record %s is in the batch twice", ErrInvalid, rec.ID)
		}
		seen[rec.ID] = true
		ev, err := parseHash32("evidence hash", hashes[i])
		if err != nil {
			return nil, fmt.Errorf("%w (record %d)", err, i)
		}
		recs[i] = rec
		a.Records = append(a.Records, attEntryT{ID: id, Digest: digest, EvidenceHash: ev})
	}
	h := attestationSigningInput(encodeAttestation(&a))
	signers := make([]string, len(sigHex))
	for j, s := range sigHex {
		sig, err := parseHex("signature", s)
		if err != nil {
			return nil, fmt.Errorf("%w (signature %d)", err, j)
		}
		addr, err := recoverAttestor(h, sig)
		if err != nil {
			return nil, fmt.Errorf("%w (signature %d)", err, j)
		}
		signer := "0x" + hex.EncodeToString(addr[:])
		if _, member := slices.BinarySearch(cfg.Committee.Attestors, signer); !member {
			return nil, fmt.Errorf("%w: signature %d is from %s, not a committee attestor (or over other records, nonce or destination)",
				ErrUnauthorized, j, signer)
		}
		if slices.Contains(signers[:j], signer) {
			return nil, fmt.Errorf("%w: two signatures from %s", ErrInvalid, signer)
		}
		signers[j] = signer
	}

	proof := CommitteeProof{Nonce: nonce, SigningInput: "0x" + hex.EncodeToString(h[:]), Signers: signers}
	results := make([]AttestResult, len(recs))
	var changed []AttestResult
	for i, rec := range recs {
		digestHex := "0x" + hex.EncodeToString(a.Records[i].Digest[:])
		res := AttestResult{ID: rec.ID, Digest: digestHex, Attestor: committeeAttestor,
			Votes: uint32(len(signers)), Threshold: cfg.Committee.Threshold}
		var delivered Delivery
		ok, err := getJSON(ctx, keyInboxDelivered+rec.ID, &delivered)
		if err != nil {
			return nil, err
		}
		switch {
		case ok && delivered.Digest == digestHex:
			res.Outcome = OutcomeDuplicate
		case ok:
			res.Outcome = OutcomeConflict
			res.Error = fmt.Sprintf("%s: record %s was delivered with digest %s; the committee attests digest %s",
				ErrConflict, rec.ID, delivered.Digest, digestHex)
		default:
			// An identity attestor that voted another digest is an alarm,
			// as on the EVM Inbox; the committee's record is delivered.
			var votes []Vote
			if _, err := getJSON(ctx, keyInboxVotes+rec.ID, &votes); err != nil {
				return nil, err
			}
			if j := slices.IndexFunc(votes, func(v Vote) bool { return v.Digest != digestHex }); j >= 0 {
				res.Error = fmt.Sprintf("%s: %s attested digest %s for record %s before; the committee delivered digest %s",
					ErrConflict, votes[j].Attestor, votes[j].Digest, rec.ID, digestHex)
			}
			p := proof
			d := Delivery{Record: rec, Digest: digestHex, Votes: []Vote{}, TxID: ctx.GetStub().GetTxID(), Committee: &p}
			if _, err := putJSON(ctx, keyInboxDelivered+rec.ID, d); err != nil {
				return nil, err
			}
			res.Outcome = OutcomeDelivered
		}
		if res.Outcome != OutcomeDuplicate {
			changed = append(changed, res)
		}
		results[i] = res
	}
	ev := CommitteeAttested{Nonce: nonce, SigningInput: proof.SigningInput, Signers: signers, Submitter: submitterOf(ctx), Results: changed}
	if ev.Results == nil {
		ev.Results = []AttestResult{}
	}
	if err := setJSONEvent(ctx, EventCommitteeAttested, ev); err != nil {
		return nil, err
	}
	return results, nil
}

// submitterOf names the submitting client for the event: its certificate's
// subject, or its MSP for an identity without one (Idemix).
func submitterOf(ctx contractapi.TransactionContextInterface) string {
	if who, err := callerOf(ctx); err == nil {
		return who.String()
	}
	if m, err := ctx.GetClientIdentity().GetMSPID(); err == nil {
		return "a member of " + m
	}
	return "unknown"
}
