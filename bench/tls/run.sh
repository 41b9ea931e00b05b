#!/usr/bin/env bash
# Bulk encryption rate of the two TLS engines Berth's listeners can run on (the JDK's and
# netty-tcnative's BoringSSL), in memory, with an ECDSA P-256 key like Berth's. Prints MB/s per round.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
. "$root/bin/lib/java.sh"
lib="$root/modules/berth-server/target/lib"
[ -d "$lib" ] || (cd "$root" && ./mvnw -B -q -DskipTests package)
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$JAVA_HOME/bin/keytool" -genkeypair -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA -alias bench \
  -dname CN=localhost -keystore "$work/keys.p12" -storetype PKCS12 -storepass benchpass -keypass benchpass >/dev/null 2>&1
echo "machine: $(nproc) cores, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -cp "$lib/*" "$root/bench/tls/EngineThroughput.java" "$work/keys.p12" benchpass 2>&1 | grep -v '^WARNING'
