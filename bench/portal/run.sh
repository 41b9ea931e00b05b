#!/usr/bin/env bash
# The portal's server time: a Berth with APPS container apps (no replicas: pages read the API, not
# the apps), one person signed in through the real sign-in, each main page timed N times in a row
# over one kept-alive HTTPS connection on loopback. Prints p50 and p95 per page. Bounded: the Berth
# it starts is stopped by PID at the end.
set -euo pipefail
export BERTH_RUNTIME=none
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
. "$root/bin/lib/java.sh"
apps="${APPS:-50}"
n="${N:-200}"
port="${BERTH_PORT:-18643}"
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

export BERTH_SKIP_BUILD=1 BERTH_CONFIG_DIR="$work/berth-config"
[ -f "$root/modules/berth-server/target/berth-server-0.1.0-SNAPSHOT.jar" ] || (cd "$root" && ./mvnw -B -q -DskipTests package)
"$root/bin/berth" up --data-dir "$work/berth" --port "$port" --ingress-http-port 0 --ingress-https-port 0 > "$work/berth.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do grep -q "^Berth is ready" "$work/berth.log" && break; sleep 0.1; done
grep -q "^Berth is ready" "$work/berth.log" || { cat "$work/berth.log" >&2; exit 1; }
berth() { "$root/bin/berth" "$@"; }
berth login --data-dir "$work/berth" >/dev/null
berth group create -n bench -l local >/dev/null
berth containerapp env create -n env -g bench -l local >/dev/null
for i in $(seq 1 "$apps"); do
  berth containerapp create -n "app$i" -g bench --environment env --image "mcr.microsoft.com/k8se/quickstart:latest" \
    --ingress external --target-port 80 --no-wait >/dev/null
done
berth acr create -n benchacr -g bench --sku Basic >/dev/null
password="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
principal=$(printf '%s' "$password" | berth user create --name bench --password-stdin | sed -n 's/.*"principalId": *"\([^"]*\)".*/\1/p')
subscription=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["subscriptionId"])' "$work/berth/bootstrap.json")
berth role assignment create --assignee "$principal" --role Owner --scope "/subscriptions/$subscription" >/dev/null
group="/subscriptions/$subscription/resourceGroups/bench"
app="$group/providers/Microsoft.App/containerApps/app1"
echo "portal server time, $apps apps, $n requests per page, $(nproc) cores, $(date -u +%F)"
"$JAVA_HOME/bin/java" "$root/bench/portal/PortalTiming.java" "https://127.0.0.1:$port" "$work/berth/tls/ca.pem" bench "$password" "$n" \
  /portal "/portal?q=app4" "/portal/resource$group" \
  "/portal/resource$app" "/portal/resource$app/revisions" "/portal/resource$app/containers" \
  "/portal/resource$app/identity" "/portal/resource$app/ingress" "/portal/resource$app/secrets" \
  "/portal/resource$group/providers/Microsoft.ContainerRegistry/registries/benchacr" \
  "/portal/resource$group/providers/Microsoft.ContainerRegistry/registries/benchacr/policies" \
  "/portal/resource$group/providers/Microsoft.ContainerRegistry/registries/benchacr/access-control" \
  "/portal/resource$group/providers/Microsoft.App/managedEnvironments/env/apps"
