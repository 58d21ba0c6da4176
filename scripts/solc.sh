#!/usr/bin/env bash
# solc.sh [OUT_DIR]: compile the EVM contracts (adapters/evm/contracts/src)
# with solc-js 0.8.37 and write OUT_DIR/Outbox.json and OUT_DIR/Inbox.json
# (default OUT_DIR: adapters/evm/contracts/build).
#
# The npm package solc@0.8.37 is installed once into
# $LIAISON_CACHE/npm/solc-0.8.37 and reused after that. The compiler
# settings live in adapters/evm/contracts/compile.js.
set -euo pipefail

readonly SOLC_VERSION=0.8.37

die() { echo "solc.sh: $*" >&2; exit 1; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
contracts=$root/adapters/evm/contracts
out=${1:-$contracts/build}
cache=${LIAISON_CACHE:-$HOME/.cache/liaison}
prefix=$cache/npm/solc-$SOLC_VERSION

command -v node >/dev/null || die "node is not on PATH (Debian: apt-get install nodejs npm)"

installed() {
	[[ -f $prefix/node_modules/solc/package.json ]] &&
		[[ $(node -e 'console.log(require(process.argv[1]).version)' "$prefix/node_modules/solc/package.json") == "$SOLC_VERSION" ]]
}

if ! installed; then
	command -v npm >/dev/null || die "npm is not on PATH (Debian: apt-get install npm)"
	mkdir -p "$cache/npm" "$cache/log"
	exec 9>"$cache/npm/.solc.lock"
	flock 9
	if ! installed; then
		log=$cache/log/npm-solc-$SOLC_VERSION.log
		tmp=$(mktemp -d "$cache/npm/.solc-$SOLC_VERSION.XXXXXX")
		trap 'rm -rf "$tmp"' EXIT
		if ! npm install --prefix "$tmp" --save-exact --ignore-scripts --no-audit --no-fund \
			"solc@$SOLC_VERSION" >"$log" 2>&1; then
			# The most telling npm line is its first error that is not a code,
			# a stack frame or the pointer to npm's own log.
			reason=$(grep -E '^npm (error|ERR!) ' "$log" |
				grep -v -E '^npm (error|ERR!) ((code|syscall|errno) |\s+at |A complete log)' | head -n 1 || true)
			die "npm install solc@$SOLC_VERSION failed: ${reason:-$(tail -n 1 "$log")} (full log: $log)"
		fi
		chmod 755 "$tmp"
		rm -rf "$prefix"
		mv "$tmp" "$prefix"
		installed || die "solc@$SOLC_VERSION is missing from $prefix after npm install"
	fi
	exec 9>&-
fi

mkdir -p "$out"
node "$contracts/compile.js" "$prefix/node_modules/solc" "$out"
