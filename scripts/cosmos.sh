#!/usr/bin/env bash
# cosmos.sh build|bin|proto: build liaison-simd (ibc-go's testing simapp
# plus the Liaison records module, adapters/cosmos/module) into the Liaison
# cache, once per version of its sources, and print the binary's path.
#
#   scripts/cosmos.sh build   # -> $LIAISON_CACHE/cosmos-<ibc-go version>/bin/liaison-simd-<hash>
#   scripts/cosmos.sh bin     # print that path; fail if it is not built
#   scripts/cosmos.sh proto   # regenerate adapters/cosmos/module/types/*.pb.go
#
# <hash> is the first 12 hex digits of a SHA-256 over the module's go.mod,
# go.sum and non-test .go files (paths and contents) and the Go version, so
# a changed module gets a new binary and an unchanged one is reused without
# compiling. The newest three binaries are kept. A flock makes a concurrent
# caller wait and reuse the result; the log of the last build is
# $LIAISON_CACHE/log/cosmos-build.log. The build runs under `nice -n 10`.
#
# proto needs protoc (Debian: apt-get install protobuf-compiler); it builds
# protoc-gen-gocosmos (github.com/cosmos/gogoproto v1.7.0) into
# $LIAISON_CACHE/cosmos-tools/ and takes the .proto imports from the module
# cache (gogoproto, cosmos-proto, cosmos-sdk, ibc-go).
set -euo pipefail

die() { echo "cosmos.sh: $*" >&2; exit 1; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mod=$(cd "$here/../adapters/cosmos/module" && pwd)
cache=${LIAISON_CACHE:-$HOME/.cache/liaison}
readonly NAME=liaison-simd
readonly KEEP=3

command -v go >/dev/null || die "go is not on PATH"

# required VERSION-OF MODULE: the version go.mod requires.
required() {
	awk -v m="$1" '$1 == m && $2 ~ /^v/ { print $2; exit }' "$mod/go.mod"
}

ibc_version=$(required github.com/cosmos/ibc-go/v10)
[[ -n $ibc_version ]] || die "no github.com/cosmos/ibc-go/v10 requirement in $mod/go.mod"
bindir=$cache/cosmos-$ibc_version/bin

source_hash() {
	(
		cd "$mod"
		find . -type f \( -name go.mod -o -name go.sum -o \( -name '*.go' ! -name '*_test.go' \) \) -print0 |
			LC_ALL=C sort -z | xargs -0 sha256sum
		go env GOVERSION
	) | sha256sum | cut -c1-12
}

out_path() { echo "$bindir/$NAME-$(source_hash)"; }

build() {
	local out
	out=$(out_path)
	if [[ -x $out ]]; then
		echo "$out"
		return 0
	fi
	mkdir -p "$bindir" "$cache/log"
	exec 9>"$bindir/.build.lock"
	flock 9
	if [[ -x $out ]]; then
		echo "$out"
		return 0
	fi
	local log=$cache/log/cosmos-build.log
	local tmp
	tmp=$(mktemp "$bindir/.$NAME.XXXXXX")
	trap 'rm -f "${tmp:-}"' EXIT
	local hash=${out##*-}
	local v=github.com/cosmos/cosmos-sdk/version
	echo "cosmos.sh: building $NAME (ibc-go $ibc_version, sources $hash), log: $log" >&2
	local start=$SECONDS
	if ! (cd "$mod" && nice -n 10 go build \
		-ldflags "-s -w -X $v.Name=$NAME -X $v.AppName=$NAME -X $v.Version=ibc-go-$ibc_version-$hash" \
		-o "$tmp" ./cmd/liaison-simd) >"$log" 2>&1; then
		die "building $NAME failed: $(grep -v '^\s*$' "$log" | tail -n 1) (full log: $log)"
	fi
	chmod 755 "$tmp"
	mv -f "$tmp" "$out"
	echo "cosmos.sh: built $out in $((SECONDS - start)) s" >&2
	# Keep the newest few builds.
	# shellcheck disable=SC2012 # our own file names: NAME-<hex>
	ls -1t "$bindir/$NAME"-* 2>/dev/null | tail -n +$((KEEP + 1)) | xargs -r rm -f
	echo "$out"
}

proto() {
	command -v protoc >/dev/null || die "protoc is not on PATH (Debian: apt-get install protobuf-compiler)"
	local modcache tools gen
	modcache=$(go env GOMODCACHE)
	tools=$cache/cosmos-tools
	local gogo sdk cproto
	gogo=$(required github.com/cosmos/gogoproto)
	sdk=$(required github.com/cosmos/cosmos-sdk)
	cproto=$(required github.com/cosmos/cosmos-proto)
	[[ -n $gogo && -n $sdk && -n $cproto ]] || die "go.mod lacks gogoproto, cosmos-sdk or cosmos-proto"
	gen=$tools/bin/protoc-gen-gocosmos-$gogo
	if [[ ! -x $gen ]]; then
		mkdir -p "$tools/bin"
		(
			cd "$tools"
			printf 'module liaison.local/cosmos-tools\n\ngo 1.26\n\nrequire github.com/cosmos/gogoproto %s\n' "$gogo" >go.mod
			printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/cosmos/gogoproto/protoc-gen-gocosmos"\n' >tools.go
			GOFLAGS=-mod=mod go mod tidy
			go build -o "$gen" github.com/cosmos/gogoproto/protoc-gen-gocosmos
		) >&2 || die "building protoc-gen-gocosmos $gogo failed"
	fi
	local out
	out=$(mktemp -d)
	trap 'rm -rf "${out:-}"' EXIT
	# Make sure the imported modules are in the module cache.
	(cd "$mod" && go mod download github.com/cosmos/gogoproto github.com/cosmos/cosmos-sdk \
		github.com/cosmos/cosmos-proto github.com/cosmos/ibc-go/v10)
	(
		cd "$mod"
		PATH=$(dirname "$gen"):$PATH protoc \
			--plugin=protoc-gen-gocosmos="$gen" \
			-I proto \
			-I "$modcache/github.com/cosmos/gogoproto@$gogo" \
			-I "$modcache/github.com/cosmos/cosmos-proto@$cproto/proto" \
			-I "$modcache/github.com/cosmos/cosmos-sdk@$sdk/proto" \
			-I "$modcache/github.com/cosmos/ibc-go/v10@$ibc_version/proto" \
			--gocosmos_out=plugins=grpc,Mgoogle/protobuf/any.proto=github.com/cosmos/gogoproto/types/any:"$out" \
			proto/liaison/records/v1/*.proto
	)
	cp "$out"/github.com/liaison-gw/liaison/adapters/cosmos/module/types/*.pb.go "$mod/types/"
	echo "cosmos.sh: regenerated $(cd "$out" && find . -name '*.pb.go' | wc -l) files in $mod/types" >&2
}

case "${1:-}" in
build) build ;;
bin)
	out=$(out_path)
	[[ -x $out ]] || die "$NAME for these sources is not built ($out); run scripts/cosmos.sh build"
	echo "$out"
	;;
proto) proto ;;
*) die "usage: cosmos.sh build|bin|proto (got '${1:-}')" ;;
esac
