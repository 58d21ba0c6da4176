#!/usr/bin/env bash
# jaeger.sh build|bin: build the Jaeger v2 binary (cmd/jaeger, an
# OpenTelemetry Collector distribution with an OTLP receiver, in-memory
# storage and the query API) at the pinned version into the Liaison cache,
# once, and print its path. The OTLP tracing test (e2e/otlp_test.go) runs it.
#
#   scripts/jaeger.sh build   # -> $LIAISON_CACHE/jaeger-v1.76.0/bin/jaeger
#   scripts/jaeger.sh bin     # print that path; fail if it is not built
#
# The build runs in a throw-away tools module under the cache
# ($LIAISON_CACHE/jaeger-v1.76.0/mod, `go get -tool` at the exact version),
# never in the repository, under `nice -n 10`. A flock makes a concurrent
# caller wait and reuse the result. A binary that is already in the cache
# is reused without touching the network. The log of the last build is
# $LIAISON_CACHE/log/jaeger-v1.76.0.log.
set -euo pipefail

readonly VERSION=v1.76.0
readonly PKG=github.com/jaegertracing/jaeger/cmd/jaeger

die() { echo "jaeger.sh: $*" >&2; exit 1; }

cache=${LIAISON_CACHE:-$HOME/.cache/liaison}
dir=$cache/jaeger-$VERSION
out=$dir/bin/jaeger

build() {
	if [[ -x $out ]]; then
		echo "$out"
		return 0
	fi
	command -v go >/dev/null || die "go is not on PATH"
	mkdir -p "$dir/bin" "$cache/log"
	exec 9>"$dir/.build.lock"
	flock 9
	if [[ -x $out ]]; then
		echo "$out"
		return 0
	fi
	local log=$cache/log/jaeger-$VERSION.log
	local tmp
	tmp=$(mktemp "$dir/bin/.jaeger.XXXXXX")
	trap 'rm -f "${tmp:-}"' EXIT
	echo "jaeger.sh: building $PKG@$VERSION (first use only; several minutes), log: $log" >&2
	local start=$SECONDS
	# A fresh module each time, so a failed earlier attempt leaves nothing
	# behind. GOFLAGS=-mod=mod lets go get and go build write go.sum.
	if ! (
		rm -rf "$dir/mod" &&
			mkdir -p "$dir/mod" &&
			cd "$dir/mod" &&
			go mod init liaison.local/jaeger-tools &&
			GOFLAGS=-mod=mod go get -tool "$PKG@$VERSION" &&
			GOFLAGS=-mod=mod nice -n 10 go build -trimpath -o "$tmp" \
				-ldflags "-s -w -X github.com/jaegertracing/jaeger/internal/version.latestVersion=$VERSION" "$PKG"
	) >"$log" 2>&1; then
		die "building $PKG@$VERSION failed: $(grep -v '^\s*$' "$log" | tail -n 1) (full log: $log)"
	fi
	chmod 755 "$tmp"
	mv -f "$tmp" "$out"
	echo "jaeger.sh: built $out in $((SECONDS - start)) s" >&2
	echo "$out"
}

case "${1:-}" in
build) build ;;
bin)
	[[ -x $out ]] || die "jaeger $VERSION is not built ($out); run scripts/jaeger.sh build"
	echo "$out"
	;;
*) die "usage: jaeger.sh build|bin (got '${1:-}')" ;;
esac
