#!/bin/bash
# What the shipped spam defence before DATA costs end to end: relay.sh with the policy route off (--no-policy)
# and on (--policy: the client untrusted, DNS lists answered by a loopback DNS server, rate limits counting,
# greylisting off), alternately (see compare.sh).
#
#   src/bench/policy.sh [messages=10000] [sessions=20] [size=4096] [rounds=2]
exec "$(dirname "$0")/compare.sh" policy --no-policy --policy "$@"
