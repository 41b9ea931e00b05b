#!/usr/bin/env bash
# Opening Berth's SQLite store (bench/store/StoreOpen.java), fresh and existing, cold (the first
# open in a JVM, as a start of Berth pays it) and warm, against the bare sqlite-jdbc driver opening
# a file in WAL mode in the same run. RUNS rounds of four JVMs (driver × fresh/existing),
# interleaved; prints medians and ratios. Was a wall-clock assertion in SqliteResourceStoreTest:
# timings live here, not in unit tests.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
. "$root/bin/lib/java.sh"
runs="${RUNS:-7}"
rounds="${ROUNDS:-21}"
lib="$root/modules/berth-server/target/lib"
[ -d "$lib" ] || (cd "$root" && ./mvnw -B -q -DskipTests package)
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
open_in_jvm() {
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$lib/*" "$root/bench/store/StoreOpen.java" \
    "$@" 2>/dev/null | grep "^$1 $2 "
}

echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1 /proc/loadavg); $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); $(date -I)"
: > "$work/out"
for i in $(seq 1 "$runs"); do
  for driver in jdbc store; do
    dir="$work/$driver$i"
    open_in_jvm "$driver" fresh "$dir" "$rounds" >> "$work/out"
    # The existing database is one another JVM made: a second start of Berth.
    mkdir -p "$dir/existing" && cp "$dir/fresh0/berth.db" "$dir/existing/"
    open_in_jvm "$driver" existing "$dir" "$rounds" >> "$work/out"
  done
done
# Lines: driver kind cold X warm X.
col() { awk -v d="$1" -v k="$2" -v c="$3" '$1 == d && $2 == k {print $c}' "$work/out" | median; }
printf '%-15s %10s %11s %6s\n' "" "jdbc (ms)" "store (ms)" "ratio"
for kind in fresh existing; do
  for phase in "cold 4" "warm 6"; do
    set -- $phase
    j=$(col jdbc "$kind" "$2"); s=$(col store "$kind" "$2")
    printf '%-15s %10s %11s %6s\n' "$kind, $1" "$j" "$s" "$(awk -v a="$s" -v b="$j" 'BEGIN {printf "%.1f", a/b}')"
  done
done
