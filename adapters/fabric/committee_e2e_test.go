//go:build e2e

package fabric

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/liaison-gw/liaison/proofs/attestation"
	"github.com/liaison-gw/liaison/relayer"
)

// submitTx endorses, submits and waits for fn(args...) through c's first
// peer; it returns the result, or the endorsement's or commit's error.
func submitTx(t *testing.T, c *Chain, fn string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := c.eps[0].contract.NewProposal(fn, client.WithArguments(args...))
	if err != nil {
		return "", err
	}
	tx, err := p.EndorseWithContext(ctx)
	if err != nil {
		return "", err
	}
	commit, err := tx.SubmitWithContext(ctx)
	if err != nil {
		return "", err
	}
	st, err := commit.StatusWithContext(ctx)
	if err != nil {
		return "", err
	}
	if !st.Successful {
		return "", fmt.Errorf("%s: transaction %s committed as %s", fn, tx.TransactionID(), st.Code)
	}
	return string(tx.Result()), nil
}

// TestNetworkCommitteeDelivery delivers records on a committee's
// signatures on the real network: the attestation is built and signed by
// the relayer's reference code (proofs/attestation) and verified by the
// chaincode on both orgs' peers, submitted by a client that is no
// attestor.
func TestNetworkCommitteeDelivery(t *testing.T) {
	n := testNetwork(t)
	admin := connect(t, n, n.cfg(1, "Admin"), Options{})
	user := connect(t, n, n.cfg(2, "User2"), Options{})
	var keys []*ecdsa.PrivateKey
	var addrs []string
	for i := range 3 {
		seed := sha256.Sum256(fmt.Appendf(nil, "liaison fabric committee e2e key %d", i))
		k, err := crypto.ToECDSA(seed[:])
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
		addrs = append(addrs, crypto.PubkeyToAddress(k.PublicKey).Hex())
	}
	list, _ := json.Marshal(addrs)
	if _, err := submitTx(t, admin, "SetCommittee", string(list), "2"); err != nil {
		t.Fatalf("SetCommittee: %v", err)
	}

	seq := uint64(time.Now().UnixNano())
	var recs []relayer.Record
	for i := range 3 {
		recs = append(recs, inboundRecord(n, seq+uint64(i), "committee"))
	}
	batch := func(nonce uint64, signers ...*ecdsa.PrivateKey) []string {
		a := attestation.Attestation{Destination: attestation.FabricDestination(n.Channel, n.Chaincode, n.ChainName), Nonce: nonce}
		var crs []chaincodeRecord
		var hashes, sigs []string
		for i := range recs {
			d, err := RecordDigest(&recs[i])
			if err != nil {
				t.Fatal(err)
			}
			ev := sha256.Sum256(recs[i].ID[:])
			a.Records = append(a.Records, attestation.Entry{ID: recs[i].ID, Digest: d, EvidenceHash: ev})
			crs = append(crs, toChaincode(&recs[i]))
			hashes = append(hashes, hexutil.Encode(ev[:]))
		}
		for _, k := range signers {
			sig, err := attestation.Sign(a.Encode(), k)
			if err != nil {
				t.Fatal(err)
			}
			sigs = append(sigs, hexutil.Encode(sig))
		}
		rj, _ := json.Marshal(crs)
		hj, _ := json.Marshal(hashes)
		sj, _ := json.Marshal(sigs)
		return []string{fmt.Sprint(nonce), string(rj), string(hj), string(sj)}
	}

	// One signature is below the threshold: refused at endorsement.
	if _, err := submitTx(t, user, "DeliverAttested", batch(1, keys[0])...); err == nil || !strings.Contains(err.Error(), "unauthorized") {
		t.Fatalf("one signature: %v, want an unauthorized refusal", err)
	}
	out, err := submitTx(t, user, "DeliverAttested", batch(1, keys[2], keys[0])...)
	if err != nil {
		t.Fatalf("DeliverAttested: %v", err)
	}
	var res []struct {
		ID, Outcome, Attestor string
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res) != 3 {
		t.Fatalf("results %s (%v)", out, err)
	}
	// Read back with the relayer's own destination (an attestor's
	// identity; the submitter above is none).
	d, err := connect(t, n, n.cfg(1, "User1"), Options{}).Destination()
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Outcome != "delivered" || r.Attestor != "committee" {
			t.Fatalf("record %d: %+v", i, r)
		}
		if ok, err := d.Delivered(context.Background(), &recs[i]); err != nil || !ok {
			t.Fatalf("record %d not delivered on the ledger: %v, %v", i, ok, err)
		}
	}
	// The same batch again, signed by the other pair: duplicates.
	out, err = submitTx(t, user, "DeliverAttested", batch(1, keys[1], keys[2])...)
	if err != nil || strings.Count(out, `"duplicate"`) != 3 {
		t.Fatalf("replay: %s (%v)", out, err)
	}
}
