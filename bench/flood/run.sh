#!/usr/bin/env bash
# A slow-connection flood against bin/berth up on loopback, spread over many source addresses
# (the case a per-address cap does not cover: it fills Berth's total cap), with another client
# timing ARM answers meanwhile; Berth's RSS idle, at peak and for 30 s after (bench/flood/Flood.java).
# FloodIT covers the one-address flood. Bounded: the Berth it starts is stopped by PID at the end.
#   CONNECTIONS (default 5000), SOURCES (default 20 addresses, 127.0.1.1-20), BERTH_JAVA_OPTS
#   (e.g. -XX:TrimNativeHeapInterval=0 to see RSS without native-heap trimming, or
#   -XX:NativeMemoryTracking=summary to see what grew), KEEP_LOG=FILE keeps Berth's log.
set -euo pipefail
export BERTH_RUNTIME=none
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
. "$root/bin/lib/java.sh"
connections="${CONNECTIONS:-5000}"
sources="${SOURCES:-20}"
port="${BERTH_PORT:-18743}"
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "${KEEP_LOG:-}" ]; then cp "$work/berth.log" "$KEEP_LOG" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
BERTH_AOT=0 "$root/bin/berth" up --data-dir "$work/berth" --port "$port" > "$work/berth.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do grep -q "Berth is ready" "$work/berth.log" && break; sleep 0.5; done
grep -q "Berth is ready" "$work/berth.log" || { cat "$work/berth.log"; exit 1; }

read -r tenant client secret < <(python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); print(b["tenantId"], b["clientId"], b["clientSecret"])' "$work/berth/bootstrap.json")
token="$(curl -sf --cacert "$work/berth/tls/ca.pem" "https://127.0.0.1:$port/$tenant/oauth2/v2.0/token" \
  -d grant_type=client_credentials -d "client_id=$client" --data-urlencode "client_secret=$secret" \
  -d "scope=https://127.0.0.1:$port/.default" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"

"$JAVA_HOME/bin/java" "$root/bench/flood/Flood.java" "$port" "$work/berth/tls/ca.pem" "$token" "$pid" "$connections" "$sources"
