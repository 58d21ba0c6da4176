package config

// An attack on the API token settings. It fails on the code it was
// written against.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Two api.tokens entries may hold the same secret (the same file named
// twice, or two files with one content) with different roles. The API
// takes the first token that matches: whoever holds the "read" token
// "grafana" is the operator "alice", and every action it takes is
// audited as api:alice. Validation accepts it.
func TestAttackDuplicateTokenSecretsAccepted(t *testing.T) {
	dir := t.TempDir()
	secret := "0123456789abcdef0123456789abcdef\n"
	for _, f := range []string{"ops.token", "grafana.token"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(secret), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	y := strings.Replace(validYAML, "routes:", "api:\n  listen: 0.0.0.0:9465\n  tokens:\n"+
		"    - {name: alice, file: "+filepath.Join(dir, "ops.token")+", role: operator}\n"+
		"    - {name: grafana, file: "+filepath.Join(dir, "grafana.token")+", role: read}\n"+
		"routes:", 1)
	if _, err := parse(t, y); err == nil {
		t.Errorf("api.tokens with one secret for an operator and a read token validated; the read token's holder is the operator")
	}
}
