#!/usr/bin/env bash
# Push and pull of a 256 MB image with skopeo, Berth's registry against the CNCF registry
# (Debian's docker-registry) started here on loopback, same run, same TLS certificate; then the
# latency of a manifest GET on both. Prints medians over RUNS runs and the ratios. Bounded: every
# server it starts is stopped by PID at the end.
set -euo pipefail
export BERTH_RUNTIME=none  # no replicas in this benchmark
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
. "$root/bin/lib/java.sh"
# An even number of runs: each registry goes first in exactly half of them. Whichever goes first in
# a round measured faster on this machine (by up to a third), so an odd count would favour one.
runs="${RUNS:-10}"
runs=$(( (runs + 1) / 2 * 2 ))
pause="${PAUSE:-0}"  # seconds of idle before each timed copy
size_mb="${SIZE_MB:-256}"
layers="${LAYERS:-4}"
berth_port="${BERTH_PORT:-18543}"
cncf_port="${CNCF_PORT:-18500}"
# BLOBS=azurite: Berth keeps its blobs in Azurite (the Azure Storage emulator, from npm ci; on disk
# in the work folder) through its Azure Blob Storage driver, instead of its data directory.
blobs="${BLOBS:-file}"
for tool in skopeo docker-registry; do
  command -v "$tool" >/dev/null || { echo "bench/registry needs $tool (apt-get install $tool)" >&2; exit 1; }
done

work="$(mktemp -d)"
# skopeo writes the pulled copies to memory: the client's own disk writes are not what is measured,
# and here they made single pulls vary by a third.
pulled="$(mktemp -d -p /dev/shm)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; rm -rf "$work" "$pulled"; }
trap cleanup EXIT

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# --- images: $layers uncompressed layers of random bytes, $size_mb MB in all, OCI layout --------
# Every push gets an image of its own, so no run finds its blobs already in the registry.
make_image() {
  local layout="$1" layer_json="" diff_ids="" per_layer=$((size_mb / layers)) i d s
  mkdir -p "$layout/blobs/sha256"
  for i in $(seq 1 "$layers"); do
    mkdir -p "$layout.rootfs$i"
    head -c "${per_layer}M" /dev/urandom > "$layout.rootfs$i/data$i.bin"
    tar -C "$layout.rootfs$i" -cf "$layout.layer$i.tar" "data$i.bin"
    rm -rf "$layout.rootfs$i"
    d=$(sha256sum "$layout.layer$i.tar" | cut -d' ' -f1); s=$(stat -c %s "$layout.layer$i.tar")
    mv "$layout.layer$i.tar" "$layout/blobs/sha256/$d"
    layer_json+="${layer_json:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$d\",\"size\":$s}"
    diff_ids+="${diff_ids:+,}\"sha256:$d\""
  done
  printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[%s]}}' "$diff_ids" > "$layout.config"
  d=$(sha256sum "$layout.config" | cut -d' ' -f1); s=$(stat -c %s "$layout.config")
  mv "$layout.config" "$layout/blobs/sha256/$d"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' "$d" "$s" "$layer_json" > "$layout.manifest"
  d=$(sha256sum "$layout.manifest" | cut -d' ' -f1); s=$(stat -c %s "$layout.manifest")
  mv "$layout.manifest" "$layout/blobs/sha256/$d"
  echo '{"imageLayoutVersion":"1.0.0"}' > "$layout/oci-layout"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}' "$d" "$s" > "$layout/index.json"
}

# --- Berth, with one registry (admin user on) ----------------------------------------------------
export BERTH_SKIP_BUILD=1 BERTH_CONFIG_DIR="$work/berth-config"
[ -f "$root/modules/berth-server/target/berth-server-0.1.0-SNAPSHOT.jar" ] || (cd "$root" && ./mvnw -B -q -DskipTests package)
berth_blobs=()
if [ "$blobs" = azurite ]; then
  azurite="$root/node_modules/.bin/azurite-blob"
  [ -x "$azurite" ] || { echo "BLOBS=azurite needs $azurite: run npm ci at the repository root" >&2; exit 1; }
  azurite_port="${AZURITE_PORT:-18510}"
  "$azurite" --location "$work/azurite" --blobHost 127.0.0.1 --blobPort "$azurite_port" --silent \
    > "$work/azurite.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$azurite_port/" && break; sleep 0.1; done
  # Azurite's published development key, not a secret.
  export AZURE_STORAGE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
  berth_blobs=(--blobs "azure-blob:http://127.0.0.1:$azurite_port/devstoreaccount1/berth")
elif [ "$blobs" != file ]; then
  echo "BLOBS is file or azurite, not $blobs" >&2; exit 2
fi
"$root/bin/berth" up --data-dir "$work/berth" --port "$berth_port" "${berth_blobs[@]}" > "$work/berth.log" 2>&1 &
pids+=($!); berth_pid=$!  # bin/berth execs the JVM: this is Berth's own PID
for _ in $(seq 1 300); do grep -q "^Berth is ready" "$work/berth.log" && break; sleep 0.1; done
grep -q "^Berth is ready" "$work/berth.log" || { cat "$work/berth.log" >&2; exit 1; }
berth() { "$root/bin/berth" "$@"; }
berth login --data-dir "$work/berth" >/dev/null
berth group create -n bench -l local >/dev/null
berth acr create -n benchacr -g bench --sku Premium --admin-enabled true >/dev/null
berth_server=$(berth acr show -n benchacr -g bench | sed -n 's/.*"loginServer": *"\([^"]*\)".*/\1/p')
berth_password=$(berth acr credential show -n benchacr -g bench | sed -n 's/.*"value": *"\([^"]*\)".*/\1/p' | head -1)
certs="$work/certs"; mkdir -p "$certs"; cp "$work/berth/tls/ca.pem" "$certs/ca.crt"

# --- the CNCF registry, on loopback with the same server certificate, no auth ------------------
cat > "$work/cncf.yml" <<YML
version: 0.1
log: {level: error}
storage:
  filesystem: {rootdirectory: $work/cncf-data}
  delete: {enabled: true}
http:
  addr: 127.0.0.1:$cncf_port
  tls: {certificate: $work/berth/tls/server.pem, key: $work/berth/tls/server-key.pem}
YML
docker-registry serve "$work/cncf.yml" > "$work/cncf.log" 2>&1 &
pids+=($!); cncf_pid=$!
for _ in $(seq 1 100); do curl -s --cacert "$certs/ca.crt" "https://localhost:$cncf_port/v2/" >/dev/null && break; sleep 0.1; done
cncf_server="localhost:$cncf_port"

# Each timed copy starts from a quiet disk: `sync` first, so that no copy pays for the write-back of the
# one before it (the CNCF registry leaves its pushed blobs to the page cache; Berth fsyncs them). Besides
# the wall time, each copy records the CPU time the registry's process spent on it (user + system, in
# clock ticks of 10 ms): skopeo's own work (its SHA-256 above all) sets most of a pull's wall time,
# whichever registry serves it, so the server's CPU is where the registries differ.
cpu_ms() { awk '{print ($14 + $15) * 10}' "/proc/$1/stat"; }
declare -A wall cpu
# timed REGISTRY push|pull ROUND
timed() {
  local registry="$1" op="$2" i="$3" pid server creds=() c0 t0
  if [ "$registry" = berth ]; then pid=$berth_pid server=$berth_server creds=("benchacr:$berth_password")
  else pid=$cncf_pid server=$cncf_server; fi
  local image="docker://$server/bench/big:run$i"
  sync; sleep "$pause"; c0=$(cpu_ms "$pid"); t0=$(now_ms)
  if [ "$op" = push ]; then
    skopeo --insecure-policy copy --quiet --dest-cert-dir "$certs" "${creds[@]/#/--dest-creds=}" \
      oci:"$work/$registry-image-$i":v1 "$image"
  else
    skopeo --insecure-policy copy --quiet --src-cert-dir "$certs" "${creds[@]/#/--src-creds=}" \
      "$image" oci:"$pulled/out-$registry-$i":v1
  fi
  wall[$registry-$op]+="$(( $(now_ms) - t0 )) "; cpu[$registry-$op]+="$(( $(cpu_ms "$pid") - c0 )) "
}
# Round 0 warms both servers up (Berth's JIT, both page caches) and is not counted.
for i in $(seq 0 "$runs"); do
  make_image "$work/cncf-image-$i"; make_image "$work/berth-image-$i"
  # Alternate which registry goes first, so neither always meets the warmer page cache.
  if [ $((i % 2)) = 0 ]; then order=(cncf berth); else order=(berth cncf); fi
  for registry in "${order[@]}"; do timed "$registry" push "$i"; timed "$registry" pull "$i"; done
  rm -rf "$pulled/out-cncf-$i" "$pulled/out-berth-$i" "$work/cncf-image-$i" "$work/berth-image-$i"
  if [ "$i" = 0 ]; then wall=(); cpu=(); fi
done
med() { printf '%s\n' $1 | median; }
cncf_latency=$("$JAVA_HOME/bin/java" "$root/bench/registry/ManifestLatency.java" \
  "https://$cncf_server/v2/bench/big/manifests/run1" "$certs/ca.crt" 2000)
berth_latency=$("$JAVA_HOME/bin/java" "$root/bench/registry/ManifestLatency.java" \
  "https://$berth_server/v2/bench/big/manifests/run1" "$certs/ca.crt" 2000 "benchacr:$berth_password")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); image ${size_mb} MB in $layers layers; runs: $runs (medians); Berth's blobs: $blobs"
for op in push pull; do
  echo "each $op, wall ms CNCF / Berth: ${wall[cncf-$op]}/ ${wall[berth-$op]}"
  echo "each $op, server CPU ms CNCF / Berth: ${cpu[cncf-$op]}/ ${cpu[berth-$op]}"
done
for op in push pull; do
  cw=$(med "${wall[cncf-$op]}"); bw=$(med "${wall[berth-$op]}"); cc=$(med "${cpu[cncf-$op]}"); bc=$(med "${cpu[berth-$op]}")
  echo "$op: wall CNCF $cw ms, Berth $bw ms (Berth/CNCF x$(ratio "$bw" "$cw")); server CPU CNCF $cc ms, Berth $bc ms (x$(ratio "$bc" "$cc"))"
done
echo "manifest GET, CNCF:  $cncf_latency"
echo "manifest GET, Berth: $berth_latency"
