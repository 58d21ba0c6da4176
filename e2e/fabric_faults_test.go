//go:build e2e

package e2e

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFabricAttestRefused is the Fabric side of "a destination refuses the
// transaction": the registry's admin removes the relayer's identity (Org1's
// User1) from the chaincode's attestors while liaison runs, so every peer
// refuses its Attest proposal at endorsement. The records must go dead at once with the
// chaincode's reason, with no Attest transaction ordered; once the admin
// adds the attestor back, `liaison records retry` delivers each exactly
// once.
func TestFabricAttestRefused(t *testing.T) {
	x := setupFabricEVM(t, "unordered")
	admin := x.fab.client(t, 1, "Admin")
	env := readEnv(t, filepath.Join(x.fab.Dir, "network.env"))
	var relayerKey string
	for _, k := range strings.Fields(env["FABRIC_ATTESTOR_KEYS"]) {
		if strings.HasPrefix(k, x.fab.Orgs[0].MSPID+"/") {
			relayerKey = k
		}
	}
	if relayerKey == "" {
		t.Fatalf("no attestor of %s in FABRIC_ATTESTOR_KEYS=%q", x.fab.Orgs[0].MSPID, env["FABRIC_ATTESTOR_KEYS"])
	}
	// liaison checks at start that its identity is an attestor (and
	// refuses to start otherwise), so the admin removes it afterwards.
	lp := x.startLiaison(t)
	if _, err := admin.contract.SubmitTransaction("RemoveAttestor", relayerKey); err != nil {
		t.Fatalf("RemoveAttestor %s: %v", relayerKey, err)
	}
	raw, _ := x.b.recordIDs(t, x.b.sendPublishes(t, x.outB, x.fab.ChainName, "e2e", [][]byte{[]byte(`{"payment":"refused-1"}`), []byte(`{"payment":"refused-2"}`)}))
	ids := idStrings(raw)
	for _, id := range ids {
		waitRecordState(t, x.cfgPath, id, "dead", 2*time.Minute)
		rt := traceOf(t, x.cfgPath, id)[0]
		var dead string
		for _, ev := range rt.Timeline {
			switch ev.Stage {
			case "dead":
				dead = ev.Error
			case "submitted", "retry-scheduled":
				t.Errorf("%s: stage %s; a refused endorsement is permanent and must go dead at once, unsent", id, ev.Stage)
			}
		}
		if !strings.Contains(dead, "refuses the attestation") || !strings.Contains(dead, "is not an attestor") {
			t.Errorf("%s: dead with %q; want the chaincode's refusal (… is not an attestor)", id, dead)
		}
	}
	t.Logf("liaison trace of a record the chaincode refused:\n%s", mustLiaison(t, "trace", ids[0], "-c", x.cfgPath))
	registry := x.fab.client(t, 2, "User1")
	if n := len(registry.attests(t)); n != 0 {
		t.Fatalf("%d Attest transactions were ordered for refused records, want none", n)
	}

	parts := strings.SplitN(relayerKey, "/", 3)
	if _, err := admin.contract.SubmitTransaction("AddAttestor", parts...); err != nil {
		t.Fatalf("AddAttestor %v: %v", parts, err)
	}
	for _, id := range ids {
		t.Logf("%s", strings.TrimSpace(mustLiaison(t, "records", "retry", id, "-c", x.cfgPath, "--reason", "relayer re-added as attestor")))
	}
	for _, id := range ids {
		waitRecordState(t, x.cfgPath, id, "confirmed", 2*time.Minute)
		if !registry.delivered(t, id) {
			t.Errorf("%s: confirmed, but the chaincode says it is not delivered", id)
		}
	}
	valid := map[string]int{}
	for _, a := range registry.attests(t) {
		if a.valid {
			valid[a.recordID]++
		}
	}
	for _, id := range ids {
		if valid[id] != 1 {
			t.Errorf("%s: %d VALID Attest transactions, want 1", id, valid[id])
		}
	}
	if len(valid) != len(ids) {
		t.Errorf("VALID Attest transactions for %d records, want %d", len(valid), len(ids))
	}
	if code := lp.stop(t, syscall.SIGTERM); code != 0 {
		t.Errorf("liaison exited %d on SIGTERM, want 0", code)
	}
}
