#!/usr/bin/env bash
# gobin.sh NAME: build a go-ethereum command (geth or abigen) at the pinned
# version into the Liaison cache, once, and print the binary's path.
#
#   scripts/gobin.sh geth     # -> $LIAISON_CACHE/bin/geth-v1.17.10
#   scripts/gobin.sh abigen   # -> $LIAISON_CACHE/bin/abigen-v1.17.10
#
# A binary that is already in the cache is reused without touching the
# network. The build log of the last attempt is kept in $LIAISON_CACHE/log/.
set -euo pipefail

readonly GETH_VERSION=v1.17.10
readonly MODULE=github.com/ethereum/go-ethereum

die() { echo "gobin.sh: $*" >&2; exit 1; }

name=${1:-}
case "$name" in
geth | abigen) ;;
*) die "usage: gobin.sh geth|abigen (got '${name}')" ;;
esac

cache=${LIAISON_CACHE:-$HOME/.cache/liaison}
out=$cache/bin/$name-$GETH_VERSION
if [[ -x $out ]]; then
	echo "$out"
	exit 0
fi

command -v go >/dev/null || die "go is not on PATH"
mkdir -p "$cache/bin" "$cache/log"

# One build per binary at a time: a second caller waits and then reuses it.
exec 9>"$cache/bin/.$name.lock"
flock 9
if [[ -x $out ]]; then
	echo "$out"
	exit 0
fi

log=$cache/log/gobin-$name-$GETH_VERSION.log
tmp=$(mktemp -d "$cache/bin/.build-$name.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pkg=$MODULE/cmd/$name

# First try plain `go install pkg@version`. Some module proxies refuse the
# version list that needs; then build from a throw-away module that requires
# the exact version. build runs in a subshell, so its cd stays inside it.
build() (
	if GOBIN=$tmp go install -trimpath "$pkg@$GETH_VERSION"; then
		return 0
	fi
	echo "--- go install failed; retrying from a pinned tools module"
	mkdir -p "$tmp/mod" &&
		cd "$tmp/mod" &&
		go mod init liaison.local/tools &&
		go get "$pkg@$GETH_VERSION" &&
		go build -trimpath -o "$tmp/$name" "$pkg"
)
if ! build >"$log" 2>&1 || [[ ! -x $tmp/$name ]]; then
	die "building $pkg@$GETH_VERSION failed: $(grep -v '^\s*$' "$log" | tail -n 1) (full log: $log)"
fi
mv -f "$tmp/$name" "$out"
echo "$out"
