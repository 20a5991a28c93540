#!/bin/bash
# What the shipped content filter of our own costs end to end (no engine): relay.sh with the mail-filter steps
# taken out of a copy of the shipped routes (--no-content) and as shipped (--content: content rules with GTUBE,
# the attachment policy, the verdict and the X-Spam lines on every message), alternately (see compare.sh).
#
#   src/bench/content.sh [messages=10000] [sessions=20] [size=4096] [rounds=2]
exec "$(dirname "$0")/compare.sh" content --no-content --content "$@"
