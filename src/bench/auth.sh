#!/bin/bash
# What sender authentication costs end to end: relay.sh with DKIM-signed 4 KB messages from a trusted client
# (--signed: nothing checked) and from an untrusted one (--auth: SPF, DKIM and DMARC checked against a loopback
# DNS server), alternately (see compare.sh).
#
#   src/bench/auth.sh [messages=10000] [sessions=20] [size=4096] [rounds=2]
exec "$(dirname "$0")/compare.sh" auth --signed --auth "$@"
