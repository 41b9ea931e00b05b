#!/usr/bin/env bash
# Start-up to ready of `berth up`, first start (empty data dir) and second start (reuse), against a
# baseline measured in the same run: the same JVM printing its version, i.e. the floor any Java
# launcher pays. Prints medians over N runs and the ratios. Bounded: N runs, each stopped at once.
set -euo pipefail
export BERTH_RUNTIME=none  # no replicas in this benchmark
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
. "$root/bin/lib/java.sh"
runs="${RUNS:-7}"
port="${PORT:-18443}"
export BERTH_SKIP_BUILD=1
[ -f "$root/modules/berth-server/target/berth-server-0.1.0-SNAPSHOT.jar" ] || (cd "$root" && ./mvnw -B -q -DskipTests package)

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# One start: wall time from exec to the "Berth is ready" line, then stop it and wait.
start_once() {
  local dir="$1" out t0 pid
  out="$(mktemp)"
  t0=$(now_ms)
  "$root/bin/berth" up --data-dir "$dir" --port "$port" >"$out" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    grep -q "^Berth is ready" "$out" && break
    sleep 0.01
  done
  local t1; t1=$(now_ms)
  grep -q "^Berth is ready" "$out" || { cat "$out" >&2; kill -9 "$pid"; exit 1; }
  # SIGTERM: a non-interactive shell starts background jobs with SIGINT ignored.
  kill -TERM "$pid"; wait "$pid" || true
  rm -f "$out"
  echo $((t1 - t0))
}

baseline=(); first=(); second=()
for i in $(seq 1 "$runs"); do
  t0=$(now_ms); "$JAVA_HOME/bin/java" -version >/dev/null 2>&1; baseline+=($(( $(now_ms) - t0 )))
  dir="$(mktemp -d)"
  first+=("$(start_once "$dir")")
  second+=("$(start_once "$dir")")
  rm -rf "$dir"
done
b=$(printf '%s\n' "${baseline[@]}" | median)
f=$(printf '%s\n' "${first[@]}" | median)
s=$(printf '%s\n' "${second[@]}" | median)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "runs: $runs (median ms)"
echo "baseline (java -version):      $b ms"
echo "berth up, first start:         $f ms  (x$(awk -v a="$f" -v b="$b" 'BEGIN {printf "%.1f", a/b}'))"
echo "berth up, second start:        $s ms  (x$(awk -v a="$s" -v b="$b" 'BEGIN {printf "%.1f", a/b}'))"
