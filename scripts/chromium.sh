#!/usr/bin/env bash
# chromium.sh: print the path of a headless-capable Chromium, installing
# Debian's chromium package with apt-get when it is missing. The explorer's
# browser tests (internal/httpapi, TestExplorer*) drive it with chromedp;
# they find it through LIAISON_CHROMIUM, which `make test` sets from this.
#
# apt-get installs for the machine (it needs root; CI runs as root). A
# flock makes a concurrent caller wait.
set -euo pipefail

die() { echo "chromium.sh: $*" >&2; exit 1; }

for name in chromium chromium-browser; do
	if p=$(command -v "$name"); then
		echo "$p"
		exit 0
	fi
done
[[ $(id -u) == 0 ]] || die "chromium is missing and installing it needs root: apt-get install chromium"
cache=${LIAISON_CACHE:-$HOME/.cache/liaison}
mkdir -p "$cache/log"
log=$cache/log/chromium-apt.log
exec 9>"$cache/chromium.lock"
flock 9
if ! command -v chromium >/dev/null; then
	echo "chromium.sh: installing Debian's chromium package (log: $log)" >&2
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } >"$log" 2>&1 ||
		die "apt-get install chromium failed; see $log"
fi
command -v chromium || die "the chromium package installed no chromium"
