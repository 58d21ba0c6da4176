#!/usr/bin/env bash
# promtool.sh: print the path of promtool, installing Debian's prometheus
# package, which ships it, when it is missing (scripts/apt-tool.sh). `make
# test-ops` checks and unit-tests the alert rules in ops/prometheus with
# it. The package's own server is not started: Debian's maintainer scripts
# only enable it under systemd, which CI machines here do not run.
exec "$(dirname "$0")/apt-tool.sh" prometheus promtool
