#!/usr/bin/env bash
# Deploy latency and memory of Berth's container apps, against the floor of the same steps done by
# hand in the same run:
#   Berth:  PUT a container app (HTTP), until its long-running operation says Succeeded — the
#           revision pulled the image (by password), its replica runs and its TCP probe on :8080
#           passed — first with the image's layer not yet cached (Berth's first pull since it
#           started), then cached, then an image whose layer is new (a JVM that has pulled before).
#   floor:  skopeo copy + tar unpack (not cached) or skopeo inspect (cached: the manifest is
#           still resolved, as Berth does), overlay mount, netns + veth on a bridge (ip -batch),
#           `runc run -d`, curl until HTTP 200. Its last steps, runc run until the port answers,
#           are also reported alone: the cold-start floor.
# Then Berth's RSS idle and with 50 replicas running. Needs root, runc, skopeo, iproute2, curl,
# busybox-static. Bounded: everything it starts is stopped by PID or deleted by name it created.
# KEEP_LOG=FILE keeps Berth's log (for a profile of where a deploy's time goes). NEW_LAYERS=N deploys N
# images with a new layer in turn instead of one; FIRST_PULLS=N times Berth's puller in N fresh JVMs
# per TLS engine (FirstPulls.java). RUNS (cached rounds, 5), REPLICAS (50), POLLER (java|curl).
# STORE=postgresql keeps Berth's resources in a throw-away PostgreSQL cluster (Debian's binaries, on
# 127.0.0.1, fsync on as SQLite's synchronous=FULL) instead of SQLite: run it beside a default run.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
. "$root/bin/lib/java.sh"
runs="${RUNS:-5}"
port="${BERTH_PORT:-18643}"
replicas="${REPLICAS:-50}"
for tool in runc skopeo ip curl; do
  command -v "$tool" >/dev/null || { echo "bench/deploy needs $tool" >&2; exit 1; }
done
[ -x /bin/busybox ] || { echo "bench/deploy needs /bin/busybox (busybox-static)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bench/deploy needs root (runc, namespaces)" >&2; exit 1; }

work="$(mktemp -d)"
pids=()
floor_ids=()
cleanup() {
  set +e
  for id in "${floor_ids[@]}"; do
    runc --root "$work/floor-runc" kill "$id" KILL 2>/dev/null; sleep 0.1
    runc --root "$work/floor-runc" delete -f "$id" 2>/dev/null
    umount "$work/floor/$id/rootfs" 2>/dev/null; ip netns del "bfl-$id" 2>/dev/null
  done
  ip link del bfl0 2>/dev/null
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  # Berth leaves replicas running on purpose (the next start adopts them): stop ours by name.
  if [ -d "$work/berth/runtime/runc" ]; then
    for id in $(runc --root "$work/berth/runtime/runc" list -q 2>/dev/null); do
      runc --root "$work/berth/runtime/runc" kill "$id" KILL 2>/dev/null; sleep 0.05
      runc --root "$work/berth/runtime/runc" delete -f "$id" 2>/dev/null
      ip netns del "$id" 2>/dev/null
    done
  fi
  mount | awk -v w="$work" '$3 ~ "^"w {print $3}' | sort -r | xargs -r -n1 umount 2>/dev/null
  ip link del bbn0 2>/dev/null
  for h in /sys/fs/cgroup/*/; do
    for p in bbn bfl; do [ -d "$h$p" ] && { find "$h$p" -mindepth 1 -depth -type d -exec rmdir {} \; ; rmdir "$h$p"; }; done
  done 2>/dev/null
  [ -n "${pgbin:-}" ] && runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1
  [ -n "${KEEP_LOG:-}" ] && cp "$work/berth.log" "$KEEP_LOG"
  rm -rf "$work"
}
trap cleanup EXIT
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# --- the images: static busybox serving /www on :8080, one gzip layer each, OCI layouts -----------
# v1 is deployed in every round; v2 differs only in its page (so its layer is new to both caches) and
# is deployed once after the cached rounds: an uncached pull in a JVM that has already pulled.
declare -A ld ls_
image() {
  local tag="$1" img="$work/image-$1" diff_id cd_ cs md ms
  mkdir -p "$img/rootfs/bin" "$img/rootfs/www" "$img/layout/blobs/sha256"
  cp /bin/busybox "$img/rootfs/bin/busybox"
  for a in sh httpd sleep; do ln -s busybox "$img/rootfs/bin/$a"; done
  echo "hello from $tag" > "$img/rootfs/www/index.html"
  tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -C "$img/rootfs" -cf "$img/layer.tar" .
  diff_id=$(sha256sum "$img/layer.tar" | cut -d' ' -f1); gzip -n "$img/layer.tar"
  ld[$tag]=$(sha256sum "$img/layer.tar.gz" | cut -d' ' -f1); ls_[$tag]=$(stat -c %s "$img/layer.tar.gz")
  mv "$img/layer.tar.gz" "$img/layout/blobs/sha256/${ld[$tag]}"
  printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["httpd","-f","-p","8080","-h","/www"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$diff_id" > "$img/c"
  cd_=$(sha256sum "$img/c" | cut -d' ' -f1); cs=$(stat -c %s "$img/c"); mv "$img/c" "$img/layout/blobs/sha256/$cd_"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' "$cd_" "$cs" "${ld[$tag]}" "${ls_[$tag]}" > "$img/m"
  md=$(sha256sum "$img/m" | cut -d' ' -f1); ms=$(stat -c %s "$img/m"); mv "$img/m" "$img/layout/blobs/sha256/$md"
  echo '{"imageLayoutVersion":"1.0.0"}' > "$img/layout/oci-layout"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"%s"}}]}' "$md" "$ms" "$tag" > "$img/layout/index.json"
}
new_layers="${NEW_LAYERS:-1}"
new_tags=(); for k in $(seq 2 $((new_layers + 1))); do new_tags+=("v$k"); done
image v1; for tag in "${new_tags[@]}"; do image "$tag"; done

# --- Berth's store: SQLite in its data directory, or a PostgreSQL cluster of its own ---------------
store="${STORE:-sqlite}"
if [ "$store" = postgresql ]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$pgbin/initdb" ] || { echo "STORE=postgresql needs PostgreSQL (apt-get install postgresql)" >&2; exit 1; }
  chmod o+x "$work"; mkdir "$work/pg"; chown postgres "$work/pg"
  pgport=$((port + 7))
  runuser -u postgres -- "$pgbin/initdb" -D "$work/pg/data" -U berth --auth=trust -E UTF8 >/dev/null
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
    -o "-p $pgport -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
  psql -h 127.0.0.1 -p "$pgport" -U berth -d postgres -qc "CREATE DATABASE berth"
  export BERTH_STORE="postgresql://127.0.0.1:$pgport/berth?user=berth"
fi

# --- Berth with the runc runtime on its own bridge -----------------------------------------------
export BERTH_SKIP_BUILD=1 BERTH_CONFIG_DIR="$work/berth-config" BERTH_REPLICA_PREFIX=bbn
[ -f "$root/modules/berth-server/target/berth-server-0.1.0-SNAPSHOT.jar" ] || (cd "$root" && ./mvnw -B -q -DskipTests package)
"$root/bin/berth" up --data-dir "$work/berth" --port "$port" --runtime runc --replica-network 10.215.0.0/24 > "$work/berth.log" 2>&1 &
berth_pid=$!; pids+=($berth_pid)
for _ in $(seq 1 300); do grep -q "^Berth is ready" "$work/berth.log" && break; sleep 0.1; done
grep -q "^Berth is ready" "$work/berth.log" || { cat "$work/berth.log" >&2; exit 1; }
berth() { "$root/bin/berth" "$@"; }
berth login --data-dir "$work/berth" >/dev/null
berth group create -n bench -l local >/dev/null
berth acr create -n deployacr -g bench --sku Premium --admin-enabled true >/dev/null
server=$(berth acr show -n deployacr -g bench | sed -n 's/.*"loginServer": *"\([^"]*\)".*/\1/p')
password=$(berth acr credential show -n deployacr -g bench | sed -n 's/.*"value": *"\([^"]*\)".*/\1/p' | head -1)
certs="$work/certs"; mkdir -p "$certs"; cp "$work/berth/tls/ca.pem" "$certs/ca.crt"
for tag in v1 "${new_tags[@]}"; do
  skopeo --insecure-policy copy --quiet --dest-cert-dir "$certs" --dest-creds "deployacr:$password" oci:"$work/image-$tag/layout":$tag "docker://$server/web:$tag"
done
berth containerapp env create -n env -g bench -l local >/dev/null 2>&1

b() { sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p" "$work/berth/bootstrap.json" | head -1; }
base="https://127.0.0.1:$port"
token=$(curl -s --cacert "$certs/ca.crt" -d grant_type=client_credentials -d "client_id=$(b clientId)" \
  --data-urlencode "client_secret=$(b clientSecret)" --data-urlencode "scope=$base/.default" \
  "$base/$(b tenantId)/oauth2/v2.0/token" | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
group="/subscriptions/$(b subscriptionId)/resourceGroups/bench"
api="api-version=2025-01-01"
arm() { curl -s --cacert "$certs/ca.crt" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }

# PUT → poll Azure-AsyncOperation until Succeeded; prints the milliseconds. POLLER=java (default):
# one kept-alive HTTPS connection polled every 5 ms, as the SDKs poll (ArmPoller.java, started once);
# POLLER=curl: a curl process (its own TLS handshake) every 10 ms, the method before 2026-12-06.
poller="${POLLER:-java}"
if [ "$poller" = java ]; then
  coproc ARMPOLLER { ARM_TOKEN="$token" "$JAVA_HOME/bin/java" "$root/bench/deploy/ArmPoller.java" "$certs/ca.crt" "$base$group?api-version=2021-04-01"; }
  pids+=($ARMPOLLER_PID)
fi
deploy() {
  local name="$1" n="$2" tag="${3:-v1}" t0 op status
  local body
  body=$(printf '{"location":"local","properties":{"environmentId":"%s/providers/Microsoft.App/managedEnvironments/env","configuration":{"secrets":[{"name":"pw","value":"%s"}],"registries":[{"server":"%s","username":"deployacr","passwordSecretRef":"pw"}],"ingress":{"external":true,"targetPort":8080}},"template":{"terminationGracePeriodSeconds":1,"containers":[{"name":"web","image":"%s/web:%s","resources":{"cpu":0.25,"memory":"0.5Gi"}}],"scale":{"minReplicas":%s,"maxReplicas":%s}}}}' "$group" "$password" "$server" "$server" "$tag" "$n" "$n")
  if [ "$poller" = java ]; then
    printf '%s' "$body" > "$work/body.json"
    echo "PUT $base$group/providers/Microsoft.App/containerApps/$name?$api $work/body.json" >&"${ARMPOLLER[1]}"
    local answer; read -r answer <&"${ARMPOLLER[0]}"
    [ "${answer%% *}" = Succeeded ] || { echo "deploy of $name ended ${answer%% *}" >&2; exit 1; }
    echo "${answer##* }"
    return
  fi
  t0=$(now_ms)
  op=$(arm -X PUT -D - -o /dev/null -d "$body" "$base$group/providers/Microsoft.App/containerApps/$name?$api" | tr -d '\r' | sed -n 's/^[Aa]zure-[Aa]sync[Oo]peration: *//p')
  while :; do
    status=$(arm "$op" | sed -n 's/.*"status" *: *"\([A-Za-z]*\)".*/\1/p')
    [ "$status" = InProgress ] || break
    sleep 0.01
  done
  [ "$status" = Succeeded ] || { echo "deploy of $name ended $status: $(arm "$op")" >&2; exit 1; }
  echo $(( $(now_ms) - t0 ))
}
undeploy() {
  arm -X DELETE -o /dev/null "$base$group/providers/Microsoft.App/containerApps/$1?$api"
  for _ in $(seq 1 200); do
    [ "$(arm -o /dev/null -w '%{http_code}' "$base$group/providers/Microsoft.App/containerApps/$1?$api")" = 404 ] && break; sleep 0.05
  done
  # The reconciler stops the replica (1 s grace) after the documents are gone; the next round
  # starts once it is gone and the kernel has freed its namespace (its veth left the bridge).
  await_gone "Berth's replica" bbn0 "$work/berth/runtime/runc"
}
# Waits (at most 20 s) until runc under $3 runs no container and no veth is left on bridge $2: the
# round before is torn down, its namespaces freed by the kernel (which it does after `ip netns
# del` returns), so that no round starts while the last one's clean-up still runs.
await_gone() {
  for _ in $(seq 1 2000); do
    [ -z "$(runc --root "$3" list -q 2>/dev/null)" ] && [ -z "$(ip -o link show master "$2" 2>/dev/null)" ] && return 0
    sleep 0.01
  done
  echo "bench/deploy: $1 still there after 20 s" >&2; return 1
}

# --- the floor: the same steps by hand ------------------------------------------------------------
ip link add bfl0 type bridge; ip addr add 10.215.1.1/24 dev bfl0; ip link set bfl0 up
floor() {
  local i="$1" cached="$2" tag="${3:-v1}" id="f$1" dir t0 t_mount t_runc t_200
  dir="$work/floor/$id"; mkdir -p "$dir/upper" "$dir/work" "$dir/rootfs"
  t0=$(now_ms)
  if [ "$cached" = no ]; then
    rm -rf "$work/floor-image" "$work/floor-layer"; mkdir -p "$work/floor-layer"
    skopeo --insecure-policy copy --quiet --src-cert-dir "$certs" --src-creds "deployacr:$password" "docker://$server/web:$tag" oci:"$work/floor-image":$tag
    tar -xzf "$work/floor-image/blobs/sha256/${ld[$tag]}" -C "$work/floor-layer"
  else
    skopeo inspect --cert-dir "$certs" --creds "deployacr:$password" --raw "docker://$server/web:$tag" >/dev/null
  fi
  t_mount=$(now_ms)
  mount -t overlay overlay -o "lowerdir=$work/floor-layer,upperdir=$dir/upper,workdir=$dir/work" "$dir/rootfs"
  printf 'netns add bfl-%s\nlink add bflv%s type veth peer name eth0 netns bfl-%s\nlink set bflv%s master bfl0 up\n' "$id" "$i" "$id" "$i" > "$dir/b1"
  printf 'addr add 10.215.1.%s/24 dev eth0\nlink set eth0 up\nlink set lo up\nroute add default via 10.215.1.1\n' "$((i + 10))" > "$dir/b2"
  ip -batch "$dir/b1"; ip -n "bfl-$id" -batch "$dir/b2"
  cat > "$dir/config.json" <<JSON
{"ociVersion":"1.0.2","process":{"args":["httpd","-f","-p","8080","-h","/www"],"env":["PATH=/bin"],"cwd":"/","user":{"uid":0,"gid":0},
 "rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}],"noNewPrivileges":true},
 "root":{"path":"$dir/rootfs"},"hostname":"$id",
 "mounts":[{"destination":"/proc","type":"proc","source":"proc"},{"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]}],
 "linux":{"namespaces":[{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"network","path":"/var/run/netns/bfl-$id"}],
  "cgroupsPath":"/bfl/$id","resources":{"memory":{"limit":536870912},"cpu":{"quota":25000,"period":100000}}}}
JSON
  floor_ids+=("$id")
  t_runc=$(now_ms)
  runc --root "$work/floor-runc" run -d --bundle "$dir" "$id" >/dev/null 2>&1 </dev/null
  until curl -s -o /dev/null "http://10.215.1.$((i + 10)):8080/index.html"; do sleep 0.005; done
  t_200=$(now_ms)
  # The cold-start floor: runc run until the port answers, alone and with the overlay and netns.
  echo "$((t_200 - t_runc)) $((t_200 - t_mount))" >> "$work/cold-start"
  echo $(( t_200 - t0 ))
}
floor_stop() {
  local id="f$1"
  runc --root "$work/floor-runc" kill "$id" KILL 2>/dev/null || true; sleep 0.1
  runc --root "$work/floor-runc" delete -f "$id" 2>/dev/null || true
  umount "$work/floor/$id/rootfs"; ip netns del "bfl-$id"
  # As after Berth's rounds (undeploy): the next round does not start while the kernel still frees
  # this namespace and its veth. Without it Berth's next deploy, which makes its namespace early,
  # waited up to 0.5 s for that clean-up (the floor never followed a teardown so closely).
  await_gone "the floor's container" bfl0 "$work/floor-runc"
}

# --- measure: round 0 is the uncached one for both; the rest are cached ----------------------------
berth_cold=$(deploy app0 1); undeploy app0
floor_cold=$(floor 0 no); floor_stop 0
berth_warm=(); floor_warm=()
for i in $(seq 1 "$runs"); do
  berth_warm+=($(deploy "app$i" 1)); undeploy "app$i"
  floor_warm+=($(floor "$i" yes)); floor_stop "$i"
done
bw=$(printf '%s\n' "${berth_warm[@]}" | median); fw=$(printf '%s\n' "${floor_warm[@]}" | median)
# v2: a layer neither has, pulled by a Berth whose JVM has pulled before (scale-outs and cold starts
# of a new revision look like this, not like the first pull after a start).
# NEW_LAYERS=N deploys N such images in turn (v2 … vN+1): how the figure moves as the JVM warms.
berth_news=(); floor_news=()
for k in "${!new_tags[@]}"; do
  berth_news+=($(deploy "appnew$k" 1 "${new_tags[$k]}")); undeploy "appnew$k"
  floor_news+=($(floor $((90 + k)) no "${new_tags[$k]}")); floor_stop $((90 + k))
done
berth_new=${berth_news[0]}; floor_new=${floor_news[0]}
runc_200=$(awk '{print $1}' "$work/cold-start" | median); stack_200=$(awk '{print $2}' "$work/cold-start" | median)

rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$berth_pid/status"; }
idle_rss=$(rss)
t50=$(deploy many "$replicas")
many_rss=$(rss)
running=$(runc --root "$work/berth/runtime/runc" list -q | wc -l)

# FIRST_PULLS=N: N fresh JVMs per TLS engine, alternating, each pulling the new-layer images in turn
# with Berth's puller (bench/deploy/FirstPulls.java): how fast the first pulls of a JVM are on the
# JDK's engine and on BoringSSL's. After everything else, so the deploys above ran as before.
first_pulls=()
for _ in $(seq 1 "${FIRST_PULLS:-0}"); do
  for engine in jdk boringssl; do
    first_pulls+=("$(REGISTRY_PASSWORD="$password" "$JAVA_HOME/bin/java" \
      -cp "$root/modules/berth-server/target/berth-server-0.1.0-SNAPSHOT.jar:$root/modules/berth-server/target/lib/*" \
      "$root/bench/deploy/FirstPulls.java" "$engine" "$certs/ca.crt" deployacr \
      $(for tag in "${new_tags[@]}"; do printf '%s ' "$server/web:$tag"; done) 2>/dev/null)")
  done
done

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); busybox httpd image, 1 layer $((ls_[v1] / 1024)) KiB; runs: $runs (median ms); Berth's client: $poller; store: $store"
echo "not cached, fresh JVM: Berth $berth_cold ms, floor $floor_cold ms  (Berth / floor: $(awk -v a="$berth_cold" -v b="$floor_cold" 'BEGIN {printf "%.2f", a/b}'))"
echo "not cached, warm JVM: Berth $berth_new ms, floor $floor_new ms  (Berth / floor: $(awk -v a="$berth_new" -v b="$floor_new" 'BEGIN {printf "%.2f", a/b}'))"
[ "$new_layers" -gt 1 ] && echo "not cached, each new layer in turn: Berth ${berth_news[*]}; floor ${floor_news[*]}"
echo "cached:     Berth $bw ms, floor $fw ms  (Berth - floor: $(awk -v a="$bw" -v b="$fw" 'BEGIN {print a-b}') ms; runs Berth ${berth_warm[*]}, floor ${floor_warm[*]})"
echo "cold-start floor (median of all floor rounds): runc run -d until the port answers $runc_200 ms; with overlay mount and netns/veth first $stack_200 ms"
for line in "${first_pulls[@]}"; do echo "first pulls of a fresh JVM, ms each ($((${#new_tags[@]})) new layers): $line"; done
echo "memory: Berth RSS idle (after the runs) $idle_rss MB; with $running replicas running $many_rss MB (deployed in $t50 ms)"
