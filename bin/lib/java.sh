# Sourced by bin/berth and bin/test: exports JAVA_HOME as a JDK of release 21 or newer —
# $JAVA_HOME if it is one, else a Temurin JDK under /usr/lib/jvm, else the java on PATH.
java_release() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
pick_java_home() {
  local candidate release
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-*-jdk-* \
                   "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    release="$(java_release "$candidate")"
    if [ -n "$release" ] && [ "${release%%.*}" -ge 21 ]; then echo "$candidate"; return 0; fi
  done
  echo "berth: needs a JDK of release 21 or newer; set JAVA_HOME to one" >&2
  return 1
}
JAVA_HOME="$(pick_java_home)" || exit 1
export JAVA_HOME
