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
"$root/bin/berth" up --data-dir "$work/berth" --port "$berth_port" > "$work/berth.log" 2>&1 &
pids+=($!)
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
pids+=($!)
for _ in $(seq 1 100); do curl -s --cacert "$certs/ca.crt" "https://localhost:$cncf_port/v2/" >/dev/null && break; sleep 0.1; done
cncf_server="localhost:$cncf_port"

# Each timed copy starts from a quiet disk: `sync` first, so that no copy pays for the write-back of the
# one before it (the CNCF registry leaves its pushed blobs to the page cache; Berth fsyncs them).
copy() { skopeo --insecure-policy copy --quiet "$@"; }
berth_push=(); berth_pull=(); cncf_push=(); cncf_pull=()
# Round 0 warms both servers up (Berth's JIT, both page caches) and is not counted.
for i in $(seq 0 "$runs"); do
  make_image "$work/cncf-image-$i"; make_image "$work/berth-image-$i"
  # Alternate which registry goes first, so neither always meets the warmer page cache.
  if [ $((i % 2)) = 0 ]; then
    layout="$work/cncf-image-$i"
    sync; sleep "$pause"; t0=$(now_ms); copy --dest-cert-dir "$certs" oci:"$layout":v1 "docker://$cncf_server/bench/big:run$i"; cncf_push+=($(( $(now_ms) - t0 )))
    sync; sleep "$pause"; t0=$(now_ms); copy --src-cert-dir "$certs" "docker://$cncf_server/bench/big:run$i" oci:"$pulled/out-cncf-$i":v1; cncf_pull+=($(( $(now_ms) - t0 )))
    layout="$work/berth-image-$i"
    sync; sleep "$pause"; t0=$(now_ms); copy --dest-cert-dir "$certs" --dest-creds "benchacr:$berth_password" oci:"$layout":v1 "docker://$berth_server/bench/big:run$i"; berth_push+=($(( $(now_ms) - t0 )))
    sync; sleep "$pause"; t0=$(now_ms); copy --src-cert-dir "$certs" --src-creds "benchacr:$berth_password" "docker://$berth_server/bench/big:run$i" oci:"$pulled/out-berth-$i":v1; berth_pull+=($(( $(now_ms) - t0 )))
  else
    layout="$work/berth-image-$i"
    sync; sleep "$pause"; t0=$(now_ms); copy --dest-cert-dir "$certs" --dest-creds "benchacr:$berth_password" oci:"$layout":v1 "docker://$berth_server/bench/big:run$i"; berth_push+=($(( $(now_ms) - t0 )))
    sync; sleep "$pause"; t0=$(now_ms); copy --src-cert-dir "$certs" --src-creds "benchacr:$berth_password" "docker://$berth_server/bench/big:run$i" oci:"$pulled/out-berth-$i":v1; berth_pull+=($(( $(now_ms) - t0 )))
    layout="$work/cncf-image-$i"
    sync; sleep "$pause"; t0=$(now_ms); copy --dest-cert-dir "$certs" oci:"$layout":v1 "docker://$cncf_server/bench/big:run$i"; cncf_push+=($(( $(now_ms) - t0 )))
    sync; sleep "$pause"; t0=$(now_ms); copy --src-cert-dir "$certs" "docker://$cncf_server/bench/big:run$i" oci:"$pulled/out-cncf-$i":v1; cncf_pull+=($(( $(now_ms) - t0 )))
  fi
  rm -rf "$pulled/out-cncf-$i" "$pulled/out-berth-$i" "$work/cncf-image-$i" "$work/berth-image-$i"
  if [ "$i" = 0 ]; then berth_push=(); berth_pull=(); cncf_push=(); cncf_pull=(); fi
done
bp=$(printf '%s\n' "${berth_push[@]}" | median); bl=$(printf '%s\n' "${berth_pull[@]}" | median)
cp_=$(printf '%s\n' "${cncf_push[@]}" | median); cl=$(printf '%s\n' "${cncf_pull[@]}" | median)

cncf_latency=$("$JAVA_HOME/bin/java" "$root/bench/registry/ManifestLatency.java" \
  "https://$cncf_server/v2/bench/big/manifests/run1" "$certs/ca.crt" 2000)
berth_latency=$("$JAVA_HOME/bin/java" "$root/bench/registry/ManifestLatency.java" \
  "https://$berth_server/v2/bench/big/manifests/run1" "$certs/ca.crt" 2000 "benchacr:$berth_password")

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); image ${size_mb} MB in $layers layers; runs: $runs (median ms)"
echo "each run, push CNCF/Berth: ${cncf_push[*]} / ${berth_push[*]}; pull CNCF/Berth: ${cncf_pull[*]} / ${berth_pull[*]}"
echo "push: CNCF $cp_ ms, Berth $bp ms  (Berth/CNCF x$(awk -v a="$bp" -v b="$cp_" 'BEGIN {printf "%.2f", a/b}'))"
echo "pull: CNCF $cl ms, Berth $bl ms  (Berth/CNCF x$(awk -v a="$bl" -v b="$cl" 'BEGIN {printf "%.2f", a/b}'))"
echo "manifest GET, CNCF:  $cncf_latency"
echo "manifest GET, Berth: $berth_latency"
