#!/usr/bin/env bash
# fabric.sh build|build-bft|bin|bin-bft: build the Hyperledger Fabric
# commands Liaison's end-to-end tests run, once, into the Liaison cache, and
# print the directory that holds them.
#
#   scripts/fabric.sh build       # Fabric 2.5.0 -> $LIAISON_CACHE/fabric-2.5.0/bin/
#   scripts/fabric.sh build-bft   # 3.0 snapshot with SmartBFT -> $LIAISON_CACHE/fabric-3.0-bft/bin/
#   scripts/fabric.sh bin         # print the 2.5.0 bin dir, fail if it is not built
#
# Each build makes peer, orderer, configtxgen, cryptogen and osnadmin, and
# copies Fabric's sampleconfig/ next to bin/ (as config/). The proxy serves
# Fabric only as pseudo-versions, so the build runs in a throw-away module
# under $LIAISON_CACHE that requires the exact version: never in the
# repository. A flock makes a concurrent caller wait and reuse the result.
# The log of the last build is kept in $LIAISON_CACHE/log/.
set -euo pipefail

readonly MODULE=github.com/hyperledger/fabric
readonly CMDS=(peer orderer configtxgen cryptogen osnadmin)

die() { echo "fabric.sh: $*" >&2; exit 1; }

cache=${LIAISON_CACHE:-$HOME/.cache/liaison}

# flavour NAME sets name, version and label for one of the two builds.
flavour() {
	case "$1" in
	2.5)
		name=fabric-2.5.0
		# The v2.5.0 release tag, as the module proxy names it.
		version=v1.4.0-rc1.0.20230401164317-bd8e24856939
		label=2.5.0
		;;
	bft)
		name=fabric-3.0-bft
		# A main-branch snapshot with SmartBFT (V3_0 channels).
		version=v1.4.0-rc1.0.20230405174026-695dd57e01c2
		label=3.0.0-snapshot-695dd57e
		;;
	esac
	dir=$cache/$name
}

built() {
	local c
	for c in "${CMDS[@]}"; do
		[[ -x $dir/bin/$c ]] || return 1
	done
	[[ -f $dir/config/core.yaml ]]
}

build() {
	if built; then
		echo "$dir/bin"
		return 0
	fi
	command -v go >/dev/null || die "go is not on PATH"
	mkdir -p "$cache/log" "$dir"
	exec 9>"$dir/.build.lock"
	flock 9
	if built; then
		echo "$dir/bin"
		return 0
	fi
	local log=$cache/log/$name.log
	# The tools module is kept between attempts (only its go.sum is slow
	# to make); bin/ is filled from a temp dir and moved in at the end.
	local src=$dir/src
	tmp=$(mktemp -d "$dir/.bin.XXXXXX")
	trap 'rm -rf "${tmp:-}"' EXIT
	echo "fabric.sh: building Fabric $label ($MODULE@$version), log: $log" >&2
	if ! build_in "$src" "$tmp" >"$log" 2>&1; then
		die "building Fabric $label failed: $(grep -v '^\s*$' "$log" | tail -n 1) (full log: $log)"
	fi
	chmod 755 "$tmp"
	rm -rf "${dir:?}/bin"
	mv "$tmp" "$dir/bin"
	echo "$dir/bin"
}

# build_in SRC OUT: make the tools module in SRC and build every command into OUT.
build_in() (
	set -euxo pipefail
	mkdir -p "$1"
	cd "$1"
	if [[ ! -f go.mod ]] || ! grep -q "$version" go.mod; then
		rm -f go.mod go.sum
		go mod init liaison.local/fabric-tools
		go mod edit -require="$MODULE@$version"
	fi
	{
		echo '//go:build tools'
		echo
		echo '// Package tools only pins the Fabric commands for go mod tidy.'
		echo 'package tools'
		echo
		echo 'import ('
		for c in "${CMDS[@]}"; do echo "	_ \"$MODULE/cmd/$c\""; done
		echo ')'
	} >tools.go
	go mod tidy
	local pkgs=() c
	for c in "${CMDS[@]}"; do pkgs+=("$MODULE/cmd/$c"); done
	go build -trimpath -o "$2/" \
		-ldflags "-X $MODULE/common/metadata.Version=$label" "${pkgs[@]}"
	# Fabric's own sample config (core.yaml, orderer.yaml, configtx.yaml):
	# the network scripts copy it and override it with env vars.
	local mod
	mod=$(go list -m -f '{{.Dir}}' "$MODULE")
	rm -rf "$dir/config"
	cp -r "$mod/sampleconfig" "$dir/config"
	chmod -R u+w "$dir/config"
)

show() {
	built || die "Fabric $label is not built: run scripts/fabric.sh ${1}"
	echo "$dir/bin"
}

case "${1:-}" in
build) flavour 2.5 && build ;;
build-bft) flavour bft && build ;;
bin) flavour 2.5 && show build ;;
bin-bft) flavour bft && show build-bft ;;
*) die "usage: fabric.sh build|build-bft|bin|bin-bft (got '${1:-}')" ;;
esac
