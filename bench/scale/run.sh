#!/usr/bin/env bash
# Serverless scaling of a container app through Berth's ingress, each against its floor in the
# same run (issue 12, docs/benchmarks.md "Scaling"):
#   cold start: an app at zero replicas, from `curl` of its URL to the first response (the
#               activator holds it, the revision scales 0→1: runc, network, probe, route), against
#               the floor — the same image's layer already unpacked, overlay mount, netns + veth,
#               `runc run -d`, curl until it answers — ROUNDS times each, medians;
#   scale-out:  an app at 1 replica (2 requests per replica) gets a step of 10 clients looping on a
#               1 s request: the time until the first added replica serves, and until all 5 do;
#   memory:     Berth's RSS (peak, sampled every 200 ms) while 50 replicas of one app serve wrk at
#               64 connections through the ingress for DURATION.
# Needs root, runc, skopeo, iproute2, curl, wrk, busybox-static. Bounded; everything it starts is
# stopped by PID, or deleted by the name it created.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
. "$root/bin/lib/java.sh"
rounds="${ROUNDS:-5}"
duration="${DURATION:-10s}"
port="${BERTH_PORT:-18743}"
http_port="${INGRESS_PORT:-18780}"
for tool in runc skopeo ip curl wrk; do
  command -v "$tool" >/dev/null || { echo "bench/scale needs $tool" >&2; exit 1; }
done
[ -x /bin/busybox ] || { echo "bench/scale needs /bin/busybox (busybox-static)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bench/scale needs root (runc, namespaces)" >&2; exit 1; }

work="$(mktemp -d)"
pids=()
floor_ids=()
cleanup() {
  set +e
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  for id in "${floor_ids[@]}"; do
    runc --root "$work/floor-runc" kill "$id" KILL 2>/dev/null; sleep 0.1
    runc --root "$work/floor-runc" delete -f "$id" 2>/dev/null
    umount "$work/floor/$id/rootfs" 2>/dev/null; ip netns del "bsf-$id" 2>/dev/null
  done
  ip link del bsf0 2>/dev/null
  if [ -d "$work/berth/runtime/runc" ]; then
    for id in $(runc --root "$work/berth/runtime/runc" list -q 2>/dev/null); do
      runc --root "$work/berth/runtime/runc" kill "$id" KILL 2>/dev/null; sleep 0.05
      runc --root "$work/berth/runtime/runc" delete -f "$id" 2>/dev/null
      ip netns del "$id" 2>/dev/null
    done
  fi
  mount | awk -v w="$work" '$3 ~ "^"w {print $3}' | sort -r | xargs -r -n1 umount 2>/dev/null
  ip link del bsc0 2>/dev/null
  for h in /sys/fs/cgroup/*/; do
    for p in bsc bsf; do [ -d "$h$p" ] && { find "$h$p" -mindepth 1 -depth -type d -exec rmdir {} \; ; rmdir "$h$p"; }; done
  done 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# --- the image: static busybox serving /www on :8080 (and a 1 s CGI), one gzip layer -------------
img="$work/image"; mkdir -p "$img/rootfs/bin" "$img/rootfs/www/cgi-bin" "$img/layout/blobs/sha256"
cp /bin/busybox "$img/rootfs/bin/busybox"
for a in sh httpd sleep; do ln -s busybox "$img/rootfs/bin/$a"; done
echo hello > "$img/rootfs/www/index.html"
printf '#!/bin/sh\necho "Content-Type: text/plain"\necho\nsleep 1\necho slow\n' > "$img/rootfs/www/cgi-bin/slow"
chmod 755 "$img/rootfs/www/cgi-bin/slow"
tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -C "$img/rootfs" -cf "$img/layer.tar" .
diff_id=$(sha256sum "$img/layer.tar" | cut -d' ' -f1); gzip -n "$img/layer.tar"
ld=$(sha256sum "$img/layer.tar.gz" | cut -d' ' -f1); ls_=$(stat -c %s "$img/layer.tar.gz"); mv "$img/layer.tar.gz" "$img/layout/blobs/sha256/$ld"
printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["httpd","-f","-p","8080","-h","/www"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$diff_id" > "$img/c"
cd_=$(sha256sum "$img/c" | cut -d' ' -f1); cs=$(stat -c %s "$img/c"); mv "$img/c" "$img/layout/blobs/sha256/$cd_"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' "$cd_" "$cs" "$ld" "$ls_" > "$img/m"
md=$(sha256sum "$img/m" | cut -d' ' -f1); ms=$(stat -c %s "$img/m"); mv "$img/m" "$img/layout/blobs/sha256/$md"
echo '{"imageLayoutVersion":"1.0.0"}' > "$img/layout/oci-layout"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}' "$md" "$ms" > "$img/layout/index.json"

# --- Berth with the runc runtime, its ingress on plain HTTP, and short scale windows --------------
export BERTH_SKIP_BUILD=1 BERTH_CONFIG_DIR="$work/berth-config" BERTH_REPLICA_PREFIX=bsc
export BERTH_INGRESS_HTTP_PORT="$http_port" BERTH_INGRESS_HTTPS_PORT=0
export BERTH_SCALE_COOLDOWN=PT2S BERTH_SCALE_POLLING_INTERVAL=PT1S BERTH_SCALE_STABLE_WINDOW=PT6S
[ -f "$root/modules/berth-server/target/berth-server-0.1.0-SNAPSHOT.jar" ] || (cd "$root" && ./mvnw -B -q -DskipTests package)
"$root/bin/berth" up --data-dir "$work/berth" --port "$port" --runtime runc --replica-network 10.216.0.0/24 > "$work/berth.log" 2>&1 &
berth_pid=$!; pids+=($berth_pid)
for _ in $(seq 1 300); do grep -q "^Berth is ready" "$work/berth.log" && break; sleep 0.1; done
grep -q "^Berth is ready" "$work/berth.log" || { cat "$work/berth.log" >&2; exit 1; }
berth() { "$root/bin/berth" "$@"; }
berth login --data-dir "$work/berth" >/dev/null
berth group create -n bench -l local >/dev/null
berth acr create -n scaleacr -g bench --sku Premium --admin-enabled true >/dev/null
server=$(berth acr show -n scaleacr -g bench | sed -n 's/.*"loginServer": *"\([^"]*\)".*/\1/p')
password=$(berth acr credential show -n scaleacr -g bench | sed -n 's/.*"value": *"\([^"]*\)".*/\1/p' | head -1)
certs="$work/certs"; mkdir -p "$certs"; cp "$work/berth/tls/ca.pem" "$certs/ca.crt"
skopeo --insecure-policy copy --quiet --dest-cert-dir "$certs" --dest-creds "scaleacr:$password" oci:"$img/layout":v1 "docker://$server/web:v1"
berth containerapp env create -n env -g bench -l local >/dev/null 2>&1

b() { sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p" "$work/berth/bootstrap.json" | head -1; }
base="https://127.0.0.1:$port"
token=$(curl -s --cacert "$certs/ca.crt" -d grant_type=client_credentials -d "client_id=$(b clientId)" \
  --data-urlencode "client_secret=$(b clientSecret)" --data-urlencode "scope=$base/.default" \
  "$base/$(b tenantId)/oauth2/v2.0/token" | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
group="/subscriptions/$(b subscriptionId)/resourceGroups/bench"
env_id="$group/providers/Microsoft.App/managedEnvironments/env"
api="api-version=2025-01-01"
arm() { curl -s --cacert "$certs/ca.crt" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
domain=$(arm "$base$env_id?$api" | jq -r .properties.defaultDomain)

# PUT and wait for Succeeded.
deploy() {
  local name="$1" min="$2" max="$3" per="$4" op status body
  body=$(printf '{"location":"local","properties":{"environmentId":"%s","configuration":{"secrets":[{"name":"pw","value":"%s"}],"registries":[{"server":"%s","username":"scaleacr","passwordSecretRef":"pw"}],"ingress":{"external":true,"targetPort":8080,"allowInsecure":true}},"template":{"terminationGracePeriodSeconds":1,"containers":[{"name":"web","image":"%s/web:v1","resources":{"cpu":0.25,"memory":"0.5Gi"}}],"scale":{"minReplicas":%s,"maxReplicas":%s,"rules":[{"name":"http","http":{"metadata":{"concurrentRequests":"%s"}}}]}}}}' "$env_id" "$password" "$server" "$server" "$min" "$max" "$per")
  op=$(arm -X PUT -D - -o /dev/null -d "$body" "$base$group/providers/Microsoft.App/containerApps/$name?$api" | tr -d '\r' | sed -n 's/^[Aa]zure-[Aa]sync[Oo]peration: *//p')
  while :; do
    status=$(arm "$op" | jq -r .status)
    [ "$status" = InProgress ] || break
    sleep 0.05
  done
  [ "$status" = Succeeded ] || { echo "deploy of $name ended $status: $(arm "$op")" >&2; exit 1; }
}
# The ready replicas of the app's latest revision.
ready() {
  local rev
  rev=$(arm "$base$group/providers/Microsoft.App/containerApps/$1?$api" | jq -r .properties.latestRevisionName)
  arm "$base$group/providers/Microsoft.App/containerApps/$1/revisions/$rev/replicas?$api" \
    | jq '[.value[] | select(.properties.containers[0].ready == true)] | length'
}
get() { curl -s -o /dev/null -w '%{http_code}' --max-time 60 -H "Host: $1.$domain" "http://127.0.0.1:$http_port${2:-/index.html}"; }

# --- the floor: the layer unpacked once; per round overlay, netns + veth, runc run, curl ----------
ip link add bsf0 type bridge; ip addr add 10.216.1.1/24 dev bsf0; ip link set bsf0 up
mkdir -p "$work/floor-layer"; tar -xzf "$img/layout/blobs/sha256/$ld" -C "$work/floor-layer"
floor() {
  local i="$1" id="f$1" dir t0
  dir="$work/floor/$id"; mkdir -p "$dir/upper" "$dir/work" "$dir/rootfs"
  cat > "$dir/config.json" <<JSON
{"ociVersion":"1.0.2","process":{"args":["httpd","-f","-p","8080","-h","/www"],"env":["PATH=/bin"],"cwd":"/","user":{"uid":0,"gid":0},
 "rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}],"noNewPrivileges":true},
 "root":{"path":"$dir/rootfs"},"hostname":"$id",
 "mounts":[{"destination":"/proc","type":"proc","source":"proc"},{"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]}],
 "linux":{"namespaces":[{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"network","path":"/var/run/netns/bsf-$id"}],
  "cgroupsPath":"/bsf/$id","resources":{"memory":{"limit":536870912},"cpu":{"quota":25000,"period":100000}}}}
JSON
  printf 'netns add bsf-%s\nlink add bsfv%s type veth peer name eth0 netns bsf-%s\nlink set bsfv%s master bsf0 up\n' "$id" "$i" "$id" "$i" > "$dir/b1"
  printf 'addr add 10.216.1.%s/24 dev eth0\nlink set eth0 up\nlink set lo up\nroute add default via 10.216.1.1\n' "$((i + 10))" > "$dir/b2"
  t0=$(now_ms)
  mount -t overlay overlay -o "lowerdir=$work/floor-layer,upperdir=$dir/upper,workdir=$dir/work" "$dir/rootfs"
  ip -batch "$dir/b1"; ip -n "bsf-$id" -batch "$dir/b2"
  floor_ids+=("$id")
  runc --root "$work/floor-runc" run -d --bundle "$dir" "$id" >/dev/null 2>&1 </dev/null
  until curl -s -o /dev/null "http://10.216.1.$((i + 10)):8080/index.html"; do sleep 0.002; done
  echo $(( $(now_ms) - t0 ))
}
floor_stop() {
  local id="f$1"
  runc --root "$work/floor-runc" kill "$id" KILL 2>/dev/null || true; sleep 0.1
  runc --root "$work/floor-runc" delete -f "$id" 2>/dev/null || true
  umount "$work/floor/$id/rootfs"; ip netns del "bsf-$id"
}

# --- cold start: rounds interleaved with the floor ----------------------------------------------
deploy cold 0 1 10
[ "$(get cold)" = 200 ] || { echo "the app does not answer" >&2; exit 1; }
berth_cold=(); floor_cold=()
for i in $(seq 1 "$rounds"); do
  for _ in $(seq 1 200); do [ "$(ready cold)" = 0 ] && [ -z "$(runc --root "$work/berth/runtime/runc" list -q)" ] && break; sleep 0.1; done
  sleep 0.5
  t0=$(now_ms); code=$(get cold); t=$(( $(now_ms) - t0 ))
  [ "$code" = 200 ] || { echo "cold start round $i answered $code" >&2; exit 1; }
  berth_cold+=("$t")
  floor_cold+=($(floor "$i")); floor_stop "$i"
done
bc=$(printf '%s\n' "${berth_cold[@]}" | median); fc=$(printf '%s\n' "${floor_cold[@]}" | median)

# --- scale-out: a step from 0 to 10 clients of a 1 s request, 2 per replica, 1..5 replicas ---------
deploy out 1 5 2
loaders=()
t0=$(now_ms)
for c in $(seq 1 10); do
  ( end=$(( $(now_ms) + 15000 )); while [ "$(now_ms)" -lt "$end" ]; do get out /cgi-bin/slow >/dev/null; done ) &
  loaders+=($!); pids+=($!)
done
first=""; all=""
while [ -z "$all" ] && [ $(( $(now_ms) - t0 )) -lt 15000 ]; do
  n=$(ready out)
  [ -z "$first" ] && [ "$n" -ge 2 ] && first=$(( $(now_ms) - t0 ))
  [ "$n" -ge 5 ] && all=$(( $(now_ms) - t0 ))
  sleep 0.05
done
for p in "${loaders[@]}"; do wait "$p" 2>/dev/null || true; done

# --- memory: 50 replicas serving wrk at 64 connections ---------------------------------------------
deploy many 50 50 10
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$berth_pid/status"; }
before=$(rss); peak=$before
wrk -t2 -c64 -d"$duration" -H "Host: many.$domain" "http://127.0.0.1:$http_port/index.html" > "$work/wrk.txt" &
wrk_pid=$!; pids+=($wrk_pid)
while kill -0 "$wrk_pid" 2>/dev/null; do r=$(rss); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.2; done
rps=$(awk '/Requests\/sec/ {print int($2)}' "$work/wrk.txt")
errors=$(awk '/Non-2xx|Socket errors/ {print}' "$work/wrk.txt" | tr '\n' ' ')
running=$(runc --root "$work/berth/runtime/runc" list -q | wc -l)

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); busybox httpd image; rounds: $rounds (median ms)"
echo "cold start: Berth $bc ms (first response through the ingress, from zero replicas), floor $fc ms (overlay + netns + runc run until it answers); Berth - floor: $(awk -v a="$bc" -v b="$fc" 'BEGIN {print a-b}') ms; rounds Berth ${berth_cold[*]}, floor ${floor_cold[*]}"
echo "scale-out: step to 10 clients of 1 s requests at 2 per replica: first added replica serving after ${first:-never} ms, all 5 after ${all:-never (15 s)} ms"
echo "memory: Berth RSS $before MB with $running replicas idle, peak $peak MB under wrk -c64 -d$duration through the ingress ($rps req/s${errors:+; $errors})"
