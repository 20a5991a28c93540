#!/bin/bash
# What a feature costs end to end: src/bench/relay.sh with one flag (off) and another (on), alternately, ROUNDS
# times each, so both see the same machine. Prints every run and the medians (end-to-end rate and gateway CPU per
# message). policy.sh and auth.sh call it with their flags.
#
#   src/bench/compare.sh NAME OFF-FLAG ON-FLAG [messages=10000] [sessions=20] [size=4096] [rounds=2]
set -euo pipefail
NAME=$1 OFF_FLAG=$2 ON_FLAG=$3
N=${4:-10000} S=${5:-20} L=${6:-4096} ROUNDS=${7:-2}
cd "$(dirname "$0")"
OFF=() ON=()
for _ in $(seq 1 "$ROUNDS"); do
  off=$(./relay.sh "$N" "$S" "$L" "$OFF_FLAG" | tail -1); echo "$off"; OFF+=("$off")
  on=$(./relay.sh "$N" "$S" "$L" "$ON_FLAG" | tail -1); echo "$on"; ON+=("$on")
done
python3 - "$NAME" "${#OFF[@]}" "${OFF[@]}" "${ON[@]}" <<'PY'
import re, statistics, sys
name, n = sys.argv[1], int(sys.argv[2]); off, on = sys.argv[3:3 + n], sys.argv[3 + n:]
def rates(lines, what):
    return [float(re.search(what + r" ([\d.]+)", l).group(1)) for l in lines]
e_off, e_on = statistics.median(rates(off, "end-to-end")), statistics.median(rates(on, "end-to-end"))
c_off, c_on = statistics.median(rates(off, "CPU")), statistics.median(rates(on, "CPU"))
print(f"{name} off: end-to-end {e_off:.0f} msg/s, CPU {c_off:.2f} ms/msg; {name} on: end-to-end {e_on:.0f} msg/s,"
      f" CPU {c_on:.2f} ms/msg; throughput cost {100 * (1 - e_on / e_off):.1f}%, CPU cost {100 * (c_on / c_off - 1):.1f}%")
PY
