package fabric

import (
	"strings"
	"testing"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"

	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// TestModPolicyResolution resolves mod_policies of elements at every level
// the way Fabric's configtx does.
func TestModPolicyResolution(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := resolver{root: n.Config().ChannelGroup}
	elem := func(kind cfgKind, path, mp string) *cfgElement {
		parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
		e := &cfgElement{cfgID: cfgID{path: path, kind: kind}, key: parts[len(parts)-1]}
		if len(parts) > 1 {
			e.parent = parts[:len(parts)-1]
		}
		switch kind {
		case cfgGroup:
			e.group = &cb.ConfigGroup{ModPolicy: mp}
		case cfgValue:
			e.value = &cb.ConfigValue{ModPolicy: mp}
		default:
			e.policy = &cb.ConfigPolicy{ModPolicy: mp}
		}
		return e
	}
	cases := []struct {
		kind     cfgKind
		path, mp string
		want     string // the absolute policy, or "error: " and part of the message
	}{
		{cfgGroup, "/Channel", "Admins", "/Channel/Admins"},
		{cfgGroup, "/Channel/Application", "Admins", "/Channel/Application/Admins"},
		{cfgGroup, "/Channel/Application/Org1MSP", "Admins", "/Channel/Application/Org1MSP/Admins"},
		{cfgValue, "/Channel/Application/Org1MSP/MSP", "Admins", "/Channel/Application/Org1MSP/Admins"},
		{cfgPolicy, "/Channel/Application/Org1MSP/Endorsement", "Admins", "/Channel/Application/Org1MSP/Admins"},
		{cfgValue, "/Channel/HashingAlgorithm", "Admins", "/Channel/Admins"},
		{cfgPolicy, "/Channel/Orderer/BlockValidation", "Admins", "/Channel/Orderer/Admins"},
		{cfgValue, "/Channel/Application/Org1MSP/MSP", "/Channel/Orderer/Admins", "/Channel/Orderer/Admins"},
		{cfgGroup, "/Channel/Application", "Org2MSP/Admins", "/Channel/Application/Org2MSP/Admins"},
		{cfgGroup, "/Channel", "Application/Admins", "/Channel/Application/Admins"},
		{cfgValue, "/Channel/Application/Org1MSP/MSP", "Org2MSP/Admins", "error: group /Channel/Application/Org1MSP/Org2MSP"},
		{cfgValue, "/Channel/Application/Org1MSP/MSP", "Nope", "error: /Channel/Application/Org1MSP/Nope does not exist"},
		{cfgValue, "/Channel/Application/Org1MSP/MSP", "Admins/", "error: does not exist"},
		{cfgValue, "/Channel/Application/Org1MSP/MSP", "/Other/Admins", "error: not under /Channel"},
		{cfgValue, "/Channel/Application/Org1MSP/MSP", "/Channel", "error: not under /Channel"},
		{cfgValue, "/Channel/Application/Org1MSP/MSP", "", "error: no mod_policy"},
		{cfgValue, "/Channel/Application/Org3MSP/MSP", "Admins", "error: group /Channel/Application/Org3MSP"},
	}
	for _, c := range cases {
		_, _, p, abs, err := r.modPolicy(elem(c.kind, c.path, c.mp))
		if want, ok := strings.CutPrefix(c.want, "error: "); ok {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s %s with mod_policy %q: %v, want an error with %q", c.kind, c.path, c.mp, err, want)
			}
			continue
		}
		if err != nil || p == nil || abs != c.want {
			t.Errorf("%s %s with mod_policy %q: %s (%v), want %s", c.kind, c.path, c.mp, abs, err, c.want)
		}
	}
}

// TestCheckConfigID applies Fabric's rule for element names.
func TestCheckConfigID(t *testing.T) {
	for _, s := range []string{"Org1MSP", "a", "A-b.c", strings.Repeat("x", maxConfigIDLen)} {
		if err := checkConfigID(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"", ".", "..", "a/b", "a b", "a_b", "é", strings.Repeat("x", maxConfigIDLen+1)} {
		if checkConfigID(s) == nil {
			t.Errorf("%q accepted", s)
		}
	}
}
