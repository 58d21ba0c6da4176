#!/usr/bin/env bash
# apt-tool.sh PACKAGE COMMAND [COMMAND...]: print the path of the first
# COMMAND on PATH, installing Debian's PACKAGE with apt-get when none is.
# scripts/chromium.sh and scripts/promtool.sh call it.
#
# apt-get installs for the machine, not into the Liaison cache: it needs
# root (CI runs as root). A flock makes a concurrent caller wait. The log
# of the install is $LIAISON_CACHE/log/PACKAGE-apt.log.
set -euo pipefail

die() { echo "apt-tool.sh: $*" >&2; exit 1; }

(($# >= 2)) || die "usage: apt-tool.sh PACKAGE COMMAND [COMMAND...]"
pkg=$1
shift
find_cmd() {
	local name
	for name in "$@"; do
		if command -v "$name"; then return 0; fi
	done
	return 1
}

find_cmd "$@" && exit 0
[[ $(id -u) == 0 ]] || die "$1 is missing and installing it needs root: apt-get install $pkg"
cache=${LIAISON_CACHE:-$HOME/.cache/liaison}
mkdir -p "$cache/log"
log=$cache/log/$pkg-apt.log
exec 9>"$cache/$pkg-apt.lock"
flock 9
if ! find_cmd "$@" >/dev/null; then
	echo "apt-tool.sh: installing Debian's $pkg package for $1 (log: $log)" >&2
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg"; } >"$log" 2>&1 ||
		die "apt-get install $pkg failed; see $log"
fi
find_cmd "$@" || die "the $pkg package installed no $1"
