#!/usr/bin/env bash
# fuzz.sh [MODULE_DIR...]: run every `go test -fuzz` target of the given Go
# modules (default: the main module), one target at a time, for $FUZZTIME
# each (default 30s). Targets are discovered, not listed: packages whose
# test files (as `go list` selects them, build tags included) define a
# func Fuzz..., then `go test -list` for their exact names, so a new
# target is picked up without editing anything.
#
#   FUZZTIME=5s scripts/fuzz.sh . adapters/fabric/chaincode
#
# A target that fails does not stop the others; the script exits 1 at the
# end, naming them. New crashers land in the package's testdata/fuzz/ as
# `go test` writes them.
set -euo pipefail

GO=${GO:-go}
FUZZTIME=${FUZZTIME:-30s}

die() { echo "fuzz.sh: $*" >&2; exit 1; }

[[ $# -gt 0 ]] || set -- .
ran=0
failed=()
for mod in "$@"; do
	[[ -f $mod/go.mod ]] || die "$mod is not a Go module"
	# One line per package: its import path, then its test files.
	pkgs=$(cd "$mod" && $GO list -f '{{.ImportPath}}{{range .TestGoFiles}} {{$.Dir}}/{{.}}{{end}}{{range .XTestGoFiles}} {{$.Dir}}/{{.}}{{end}}' ./...)
	while read -r pkg files; do
		[[ -n $files ]] || continue
		# shellcheck disable=SC2086 # files is a list of paths without spaces
		grep -qE '^func Fuzz[A-Za-z0-9_]*\(' $files || continue
		if ! list=$(cd "$mod" && $GO test -list '^Fuzz' -run '^$' "$pkg" </dev/null); then
			failed+=("$pkg (listing its targets)")
			continue
		fi
		targets=$(grep -E '^Fuzz' <<<"$list" || true)
		for target in $targets; do
			echo "== $pkg $target ($FUZZTIME)"
			ran=$((ran + 1))
			if ! (cd "$mod" && $GO test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" -timeout 0 "$pkg" </dev/null); then
				failed+=("$pkg $target")
			fi
		done
	done <<<"$pkgs"
done

echo "fuzz.sh: $ran targets, ${#failed[@]} failed"
if [[ ${#failed[@]} -gt 0 ]]; then
	printf '  %s\n' "${failed[@]}" >&2
	exit 1
fi
