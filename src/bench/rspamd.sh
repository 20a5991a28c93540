#!/bin/bash
# Content filtering with Rspamd, side by side with Postfix using the same Rspamd as a milter, in one run:
#   1. gateway  -> Rspamd's normal worker (POST /checkv2), shipped routes (our rules and attachments as well)
#   2. Postfix  -> Rspamd's proxy worker as a milter (smtpd_milters = inet:127.0.0.1:PORT, self-scanning)
#   3. Postfix alone, and 4. the gateway without Rspamd, for reference
# One Rspamd, one scanning process for each side (the normal worker for the gateway, the self-scanning proxy for
# Postfix), Debian's configuration with a private local.d (loopback ports, a dnsmasq on loopback answering NXDOMAIN
# for everything, as the internet is not reachable here; fuzzy checks off). Needs root (Postfix, rspamd users).
#
#   src/bench/rspamd.sh [messages=5000] [sessions=20] [size=4096]
set -euo pipefail
N=${1:-5000} S=${2:-20} L=${3:-4096}
cd "$(dirname "$0")/../.."
if [ ! -x /usr/bin/rspamd ] || [ ! -x /usr/sbin/dnsmasq ] || [ ! -x /usr/sbin/smtp-source ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rspamd dnsmasq-base postfix >/dev/null
fi
[ -f target/mail-gateway.jar ] || mvn -B -q package -DskipTests
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DIR=$(mktemp -d) DNS_PORT=$(free_port) NORMAL=$(free_port) PROXY=$(free_port)
mkdir -p "$DIR"/local/override.d "$DIR"/local/local.d "$DIR"/db "$DIR"/run "$DIR"/log
chown -R _rspamd:_rspamd "$DIR"; chmod 755 "$DIR"
/usr/sbin/dnsmasq --keep-in-foreground --port="$DNS_PORT" --listen-address=127.0.0.1 --bind-interfaces \
  --no-resolv --no-hosts --user=nobody --address='/#/' &
DNSMASQ=$!
cat > "$DIR/local/override.d/worker-normal.inc" <<EOT
bind_socket = "127.0.0.1:$NORMAL";
count = 1;
EOT
cat > "$DIR/local/override.d/worker-proxy.inc" <<EOT
bind_socket = "127.0.0.1:$PROXY";
count = 1;
milter = yes;
timeout = 120s;
upstream "local" { default = yes; self_scan = yes; }
EOT
echo 'enabled = false;' > "$DIR/local/override.d/worker-controller.inc"
echo 'enabled = false;' > "$DIR/local/override.d/worker-fuzzy.inc"
printf 'dns {\n  nameserver = ["127.0.0.1:%s"];\n  timeout = 1s;\n}\nhs_cache_dir = "%s";\n' "$DNS_PORT" \
  "$DIR/db" > "$DIR/local/override.d/options.inc"
printf 'type = "file";\nfilename = "%s/log/rspamd.log";\nlevel = "warning";\n' "$DIR" \
  > "$DIR/local/override.d/logging.inc"
echo 'enabled = false;' > "$DIR/local/local.d/fuzzy_check.conf"
chown -R _rspamd:_rspamd "$DIR"
/usr/bin/rspamd -f -u _rspamd -g _rspamd -c /etc/rspamd/rspamd.conf --var=CONFDIR=/etc/rspamd \
  --var=LOCAL_CONFDIR="$DIR/local" --var=DBDIR="$DIR/db" --var=RUNDIR="$DIR/run" --var=LOGDIR="$DIR/log" \
  > "$DIR/rspamd.out" 2>&1 &
RSPAMD=$!
trap 'kill $RSPAMD $DNSMASQ 2>/dev/null; wait $RSPAMD 2>/dev/null || true; postconf -X smtpd_milters milter_default_action 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 1 240); do
  curl -s "http://127.0.0.1:$NORMAL/ping" 2>/dev/null | grep -q pong && break; sleep 0.5
done
curl -s "http://127.0.0.1:$NORMAL/ping" | grep -q pong || { cat "$DIR/rspamd.out"; exit 1; }
(exec 3<>/dev/tcp/127.0.0.1/"$PROXY") || { echo "rspamd's proxy is not listening"; exit 1; }

# Rspamd's own CPU per scan (all its processes, user + system), for where the time goes: the runs above scan their
# warm-up too (relay.sh 2000 messages, postfix-anchor.sh 100)
rspamd_cpu() { local t=0; for p in $(pgrep -u _rspamd rspamd); do
  read -r _ _ _ _ _ _ _ _ _ _ _ _ _ UT ST _ < <(cut -d" " -f1-17 /proc/$p/stat); t=$((t + UT + ST)); done; echo $t; }
per_scan() { python3 -c "import os,sys; print(f'{(int(sys.argv[1])/os.sysconf(\"SC_CLK_TCK\"))*1000/int(sys.argv[2]):.2f}')" "$1" "$2"; }
r0=$(rspamd_cpu)
src/bench/relay.sh "$N" "$S" "$L" --rspamd="http://127.0.0.1:$NORMAL" | tail -1
r1=$(rspamd_cpu)
echo "  rspamd CPU $(per_scan $((r1 - r0)) $((N + 2000))) ms/scan (the gateway's scans)"
[ -z "${GATEWAY_ONLY:-}" ] || exit 0 # GATEWAY_ONLY=1: the first line only (e.g. to profile the gateway)
postconf -e "smtpd_milters = inet:127.0.0.1:$PROXY" "milter_default_action = accept"
r0=$(rspamd_cpu)
../shared/tools/postfix-anchor.sh "$N" "$S" "$L" | tail -1 | sed 's/^postfix:/postfix + rspamd milter:/'
r1=$(rspamd_cpu)
echo "  rspamd CPU $(per_scan $((r1 - r0)) $((N + 100))) ms/scan (Postfix's scans)"
postconf -X smtpd_milters milter_default_action
../shared/tools/postfix-anchor.sh "$N" "$S" "$L" | tail -1
src/bench/relay.sh "$N" "$S" "$L" | tail -1
