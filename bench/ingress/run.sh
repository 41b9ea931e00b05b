#!/usr/bin/env bash
# Berth's ingress (berth-ingress: a Netty reverse proxy, as `berth up` runs it) against nginx as a reverse proxy
# with upstream keep-alive, both in front of the same static backend, and against a direct request
# to that backend: wrk at 2 and 64 connections, targets interleaved within each round, medians of
# ROUNDS rounds. The method of the nginx anchor (docs/benchmarks.md, "Ingress").
#   ROUNDS (default 3), DURATION (wrk -d, default 10s), MVN_ARGS (e.g. -Dmaven.repo.local=…),
#   KINDS ("ingress" by default; "ingress ingress+metrics" also runs one that reports every
#   request to Berth's IngressMeters, to weigh what /metrics costs — it builds berth-server;
#   "ingress+tls-jdk ingress+tls-boringssl" run HTTPS on each TLS engine, beside nginx as an HTTPS
#   proxy ("nginx-tls"), all with one self-signed P-256 certificate; "ingress+leaks" runs one with
#   Netty's leak detector on, as the tests run it, to weigh what it costs),
#   BENCH_JAVA_OPTS (more JVM options for the ingress JVMs),
#   H2=1 (with +tls kinds: HTTP/2 through the HTTPS targets alone, nginx-tls with `http2`, loaded
#   by h2load — nghttp2's — instead of wrk: "2" is 2 connections of 1 stream each, "64" is 4
#   connections of 16 streams each, as HTTP/2 clients keep few connections; the p50 column then
#   holds h2load's mean).
# Besides requests per second, it reports each target's CPU time per request: its processes' user
# and system time over the wrk run (from /proc), nginx's workers included. At 64 connections the
# two cores are saturated, so it moves with the rate; at 2 it shows what a request costs apart.
# Installs wrk and nginx (Debian packages) if missing. Binds 127.0.0.1 only; every process it
# starts is stopped by its PID.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
. "$root/bin/lib/java.sh"
rounds="${ROUNDS:-3}"
duration="${DURATION:-10s}"
kinds="${KINDS:-ingress}"
h2="${H2:-}"
if [ -n "$h2" ]; then
  case "$kinds" in *+tls*) ;; *) echo "bench/ingress: H2=1 needs a +tls kind" >&2; exit 1;; esac
fi
host="app.bench.localhost"
backend_port=18082 nginx_port=18083 berth_base=18084 nginx_tls_port=18094

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -z "$h2" ] || command -v h2load >/dev/null || missing+=(nghttp2-client)
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { echo "bench/ingress: cannot install ${missing[*]}" >&2; exit 1; }
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

work="$(mktemp -d)"
chmod 755 "$work"  # nginx workers (www-data) read the page under it
pids=()
cleanup() {
  set +e
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

module=berth-ingress
case "$kinds" in *+metrics*|*+tls*) module=berth-server;; esac
echo "building $module…"
(cd "$root" && ./mvnw -B -q ${MVN_ARGS:-} -pl "modules/$module" -am package -DskipTests \
  dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/cp.txt" >/dev/null)
cp="$root/modules/$module/target/classes:$root/modules/berth-ingress/target/classes:$root/modules/berth-api/target/classes:$(cat "$work/cp.txt")"

# --- the static backend: nginx serving the anchor's 93-byte page; and nginx as the proxy --------
mkdir -p "$work/www" "$work/nginx/tmp" "$work/nginx/logs"
python3 -c "print('<html><body>berth anchor baseline: ok ' + 'x'*40 + '</body></html>')" > "$work/www/index.html"
common="access_log off; sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_timeout 65; default_type text/html;
  # nginx closes a connection after this many requests, HTTP/2 ones too, and h2load does not
  # reconnect: at 100 000 its 4 connections stopped at 400 000 requests, before the time was up.
  keepalive_requests 1000000000;
  client_body_temp_path $work/nginx/tmp/body; proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fcgi; uwsgi_temp_path $work/nginx/tmp/uwsgi; scgi_temp_path $work/nginx/tmp/scgi;"
cat > "$work/nginx/backend.conf" <<CONF
daemon off; worker_processes auto; pid $work/nginx/backend.pid; error_log $work/nginx/logs/backend.err;
events { worker_connections 4096; }
http { $common
  server { listen 127.0.0.1:$backend_port; root $work/www; location / { } } }
CONF
tls_server=""
case "$kinds" in *+tls*)
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=$host" \
    -addext "subjectAltName=DNS:$host" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
  chmod 644 "$work/key.pem"
  tls_server="server { listen 127.0.0.1:$nginx_tls_port ssl${h2:+ http2}; ssl_certificate $work/cert.pem;
    ssl_certificate_key $work/key.pem; ssl_protocols TLSv1.2 TLSv1.3;
    location / { proxy_pass http://be; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_set_header Host \$host; } }";;
esac
cat > "$work/nginx/proxy.conf" <<CONF
daemon off; worker_processes auto; pid $work/nginx/proxy.pid; error_log $work/nginx/logs/proxy.err;
events { worker_connections 4096; }
http { $common
  upstream be { server 127.0.0.1:$backend_port; keepalive 64; keepalive_requests 1000000000; }
  $tls_server
  server { listen 127.0.0.1:$nginx_port;
    location / { proxy_pass http://be; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host \$host; } } }
CONF
"$NGINX" -e "$work/nginx/logs/backend.err" -p "$work/nginx/" -c "$work/nginx/backend.conf" & pids+=($!)
declare -A procs=([direct]=$!)
"$NGINX" -e "$work/nginx/logs/proxy.err" -p "$work/nginx/" -c "$work/nginx/proxy.conf" & pids+=($!)
procs[nginx]=$! procs[nginx-tls]=$!

# --- Berth's ingress, one JVM per kind, with bin/berth's heap, collector and leak detector (off) ---
targets=()
[ -n "$h2" ] || targets+=("direct:$backend_port" "nginx:$nginx_port")
[ -n "$tls_server" ] && targets+=("nginx-tls:$nginx_tls_port")
port=$berth_base
for t in $kinds; do
  leaks=disabled; case "$t" in *+leaks*) leaks=simple;; esac
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx384m -Dio.netty.leakDetection.level=$leaks ${BENCH_JAVA_OPTS:-} -cp "$cp" "$root/bench/ingress/BenchIngress.java" \
    "$port" "$host" "$backend_port" "$t" "$work/cert.pem" "$work/key.pem" > "$work/berth-$t.log" 2>&1 & pids+=($!)
  procs[berth-$t]=$!
  targets+=("berth-$t:$port")
  port=$((port + 1))
done
for t in $kinds; do
  for _ in $(seq 1 120); do grep -q ready "$work/berth-$t.log" && break; sleep 0.5; done
  grep -q ready "$work/berth-$t.log" || { cat "$work/berth-$t.log"; exit 1; }
done
scheme() { case "$1" in *tls*) echo https;; *) echo http;; esac; }
for target in "${targets[@]}"; do
  code="$(curl -sk -o /dev/null -w '%{http_code}' -H "Host: $host" "$(scheme "${target%%:*}")://127.0.0.1:${target#*:}/index.html")"
  [ "$code" = 200 ] || { echo "bench/ingress: ${target%%:*} answered $code" >&2; exit 1; }
done

ticks() { # pid → CPU clock ticks of it and its children (nginx's workers), user and system
  local sum=0 p
  for p in "$1" $(pgrep -P "$1"); do sum=$((sum + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo "$sum"
}
load() { # name port conc → "rps p50_ms cpu_us_per_request"
  [ -z "$h2" ] || { load_h2 "$@"; return; }
  local threads_flag=1; [ "$3" -gt 2 ] && threads_flag=2
  local before; before="$(ticks "${procs[$1]}")"
  wrk -t"$threads_flag" -c"$3" -d"$duration" --latency -H "Host: $host" "$(scheme "$1")://127.0.0.1:$2/index.html" \
    > "$work/wrk.out"
  local cpu_us; cpu_us=$(( ($(ticks "${procs[$1]}") - before) * 1000000 / $(getconf CLK_TCK) ))
  awk -v cpu_us="$cpu_us" '/requests in/ {n=$1}
         /Requests\/sec/ {rps=$2}
           /^ +50%/ {v=$2; u=v; gsub(/[0-9.]/,"",u); gsub(/[a-z]/,"",v);
                     p50 = (u=="us") ? v/1000 : (u=="s") ? v*1000 : v}
           /Non-2xx|Socket errors/ {bad=1}
           END {printf "%s %.3f %.2f%s\n", rps, p50, cpu_us / n, bad ? " !" : ""}' "$work/wrk.out"
}

load_h2() { # as load, over HTTP/2 with h2load; the mean latency in place of the p50
  local clients=2 streams=1 threads=1
  [ "$3" -gt 2 ] && clients=4 streams=$(($3 / 4)) threads=2
  local before; before="$(ticks "${procs[$1]}")"
  h2load -t"$threads" -c"$clients" -m"$streams" -D"${duration%s}" -H ":authority: $host" \
    "https://127.0.0.1:$2/index.html" > "$work/h2load.out"
  local cpu_us; cpu_us=$(( ($(ticks "${procs[$1]}") - before) * 1000000 / $(getconf CLK_TCK) ))
  # Requests still in flight when the time is up count as failed: flag only more than those.
  awk -v cpu_us="$cpu_us" -v in_flight=$((clients * streams)) '/^finished in/ {rps=$4}
           /^requests:/ {n=$8; bad=($10 + $12 + $14 > in_flight)}
           /^status codes:/ {ok=$3}
           /^time for request:/ {v=$6; u=v; gsub(/[0-9.]/,"",u); gsub(/[a-z]/,"",v);
                                 mean = (u=="us") ? v/1000 : (u=="s") ? v*1000 : v}
           END {printf "%s %.3f %.2f%s\n", rps, mean, cpu_us / n, (bad || ok != n) ? " !" : ""}' "$work/h2load.out"
}

echo "machine: $(nproc) cores, $(uname -sr), $(free -g | awk '/Mem/ {print $2" GiB"}'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "warm-up: 10 s at 64 connections on each Berth JVM (untimed)"
for target in "${targets[@]}"; do
  case "$target" in berth-*) load "${target%%:*}" "${target#*:}" 64 >/dev/null;; esac
done
: > "$work/results"
for round in $(seq 1 "$rounds"); do
  n=${#targets[@]}
  for conc in 2 64; do
    for i in $(seq 0 $((n - 1))); do
      # Rotate the order every round, so no target always runs first or last.
      target="${targets[$(((i + round) % n))]}"
      read -r rps p50 cpu flag < <(load "${target%%:*}" "${target#*:}" "$conc")
      echo "round $round c$conc ${target%%:*}: $rps req/s, p50 $p50 ms, $cpu µs CPU/req ${flag:-}"
      echo "${target%%:*} $conc $rps $p50 $cpu" >> "$work/results"
    done
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "medians of $rounds rounds ($duration each):"
python3 - "$work/results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for name in dict.fromkeys(r[0] for r in rows):
    for conc in ("2", "64"):
        got = [r for r in rows if r[0] == name and r[1] == conc]
        med[name, conc] = tuple(statistics.median(float(r[i]) for r in got) for i in (2, 3, 4))
print(f"{'target':14} {'conns':>5} {'req/s':>9} {'p50 ms':>7} {'/direct':>7} {'/nginx':>7} {'+p50 ms':>8}"
      f" {'CPU µs/req':>10} {'/nginx':>7}")
for (name, conc), (rps, p50, cpu) in med.items():
    d_rps, d_p50, _ = med.get(("direct", conc), (float("nan"),) * 3)
    n_rps, _, n_cpu = med["nginx-tls" if "tls" in name and ("nginx-tls", conc) in med else "nginx", conc]
    print(f"{name:14} {conc:>5} {rps:9.0f} {p50:7.3f} {rps/d_rps:7.2f} {rps/n_rps:7.2f} {p50-d_p50:+8.3f}"
          f" {cpu:10.2f} {cpu/n_cpu:7.2f}")
print("(CPU µs/req: the target's own processes; for direct, the backend's)")
PY
