#!/usr/bin/env bash
# promtool.sh: print the path of promtool, installing Debian's prometheus
# package (which ships it) with apt-get when it is missing. `make
# test-ops` checks and unit-tests the alert rules in ops/prometheus with it.
#
# apt-get installs for the machine, not into the Liaison cache: it needs
# root (CI runs as root). A flock makes a concurrent caller wait. The
# package's own server is not started: Debian's maintainer scripts only
# enable it under systemd, which CI machines here do not run.
set -euo pipefail

die() { echo "promtool.sh: $*" >&2; exit 1; }

if p=$(command -v promtool); then
	echo "$p"
	exit 0
fi
[[ $(id -u) == 0 ]] || die "promtool is missing and installing it needs root: apt-get install prometheus"
cache=${LIAISON_CACHE:-$HOME/.cache/liaison}
mkdir -p "$cache/log"
log=$cache/log/promtool-apt.log
exec 9>"$cache/promtool.lock"
flock 9
if ! command -v promtool >/dev/null; then
	echo "promtool.sh: installing Debian's prometheus package for promtool (log: $log)" >&2
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; } >"$log" 2>&1 ||
		die "apt-get install prometheus failed; see $log"
fi
command -v promtool || die "the prometheus package installed no promtool"
