#!/usr/bin/env bash
# chromium.sh: print the path of a headless-capable Chromium, installing
# Debian's chromium package when it is missing (scripts/apt-tool.sh). The
# explorer's browser tests drive it with chromedp; they find it through
# LIAISON_CHROMIUM, which `make test` sets from this.
exec "$(dirname "$0")/apt-tool.sh" chromium chromium chromium-browser
