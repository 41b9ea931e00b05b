#!/usr/bin/env bash
# The apps' ingress over HTTPS in a fresh JVM, on each TLS engine Berth runs (the JDK's, BoringSSL):
# BenchIngress started anew for every sample, then curl's first request (process, handshake, one
# 64 KiB page), then 100 and 300 more on one kept-alive connection. Alternates the engines ROUNDS
# times (default 3). A static nginx on 127.0.0.1:18182 is the backend; the ingress listens on
# 18190. Bounded; everything it starts is stopped by PID.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
. "$root/bin/lib/java.sh"
rounds="${ROUNDS:-3}"
work=$(mktemp -d); chmod 755 $work; pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; wait $p 2>/dev/null; done; rm -rf $work' EXIT
host=app.bench.localhost
mkdir -p $work/www $work/nginx/tmp $work/nginx/logs
head -c 49152 /dev/urandom | base64 -w0 > $work/www/big.html  # 64 KiB
echo ok > $work/www/index.html
cat > $work/nginx/backend.conf <<CONF
daemon off; worker_processes 1; pid $work/nginx/backend.pid; error_log $work/nginx/logs/backend.err;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $work/nginx/tmp/body; proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fcgi; uwsgi_temp_path $work/nginx/tmp/uwsgi; scgi_temp_path $work/nginx/tmp/scgi;
  server { listen 127.0.0.1:18182; root $work/www; location / { } } }
CONF
"$(command -v nginx || echo /usr/sbin/nginx)" -e $work/nginx/logs/backend.err -p $work/nginx/ -c $work/nginx/backend.conf & pids+=($!)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=$host" -addext "subjectAltName=DNS:$host" -keyout $work/key.pem -out $work/cert.pem 2>/dev/null
(cd "$root" && ./mvnw -B -q -pl modules/berth-server -am package -DskipTests dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=$work/cp.txt >/dev/null)
cp="$root/modules/berth-server/target/classes:$root/modules/berth-ingress/target/classes:$root/modules/berth-api/target/classes:$(cat $work/cp.txt)"
for n in 1 100 300; do : > $work/k$n; for i in $(seq 1 $n); do printf 'url = "https://127.0.0.1:18190/big.html"\noutput = "/dev/null"\n' >> $work/k$n; done; done
sleep 0.5
for r in $(seq 1 "$rounds"); do for k in jdk boringssl; do
  $JAVA_HOME/bin/java -XX:+UseSerialGC -Xmx384m -Dio.netty.leakDetection.level=disabled -cp "$cp" $root/bench/ingress/BenchIngress.java 18190 $host 18182 ingress+tls-$k $work/cert.pem $work/key.pem > $work/b.log 2>&1 &
  p=$!; pids+=($p)
  for _ in $(seq 1 200); do grep -q ready $work/b.log && break; sleep 0.1; done
  t0=$(date +%s%3N); curl -sk -H "Host: $host" -K $work/k1; t1=$(date +%s%3N)
  curl -sk -H "Host: $host" -K $work/k100; t2=$(date +%s%3N)
  curl -sk -H "Host: $host" -K $work/k300; t3=$(date +%s%3N)
  echo "$k: first request $((t1-t0)) ms; next 100 (one connection) $((t2-t1)) ms; then 300 $((t3-t2)) ms"
  kill $p; wait $p 2>/dev/null || true
done; done
