#!/usr/bin/env bash
# bindings.sh BUILD_DIR OUT_DIR: generate the Go bindings (abigen --v2,
# package contracts) for the compiled contracts in BUILD_DIR/<Contract>.json
# into OUT_DIR/<contract>.go. scripts/solc.sh writes BUILD_DIR; abigen comes
# from scripts/gobin.sh.
set -euo pipefail

readonly CONTRACTS=(Outbox Inbox)
readonly PACKAGE=contracts

die() { echo "bindings.sh: $*" >&2; exit 1; }

[[ $# -eq 2 ]] || die "usage: bindings.sh BUILD_DIR OUT_DIR"
build=$1
out=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
abigen=$("$here/gobin.sh" abigen)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
for c in "${CONTRACTS[@]}"; do
	[[ -f $build/$c.json ]] || die "$build/$c.json is missing: run scripts/solc.sh first"
	# abigen wants the ABI and the bytecode (hex, no 0x) in separate files.
	node -e '
		const fs = require("fs");
		const [json, abiFile, binFile] = process.argv.slice(1);
		const a = JSON.parse(fs.readFileSync(json, "utf8"));
		fs.writeFileSync(abiFile, JSON.stringify(a.abi));
		fs.writeFileSync(binFile, a.bytecode.replace(/^0x/, ""));
	' "$build/$c.json" "$tmp/$c.abi" "$tmp/$c.bin"
	lower=$(tr '[:upper:]' '[:lower:]' <<<"$c")
	if ! "$abigen" --v2 --abi "$tmp/$c.abi" --bin "$tmp/$c.bin" --pkg "$PACKAGE" --type "$c" \
		--out "$out/$lower.go" >"$tmp/abigen.log" 2>&1; then
		die "abigen failed for $c: $(tail -n 1 "$tmp/abigen.log")"
	fi
	gofmt -w "$out/$lower.go"
	chmod 644 "$out/$lower.go" # abigen writes 0600
done
