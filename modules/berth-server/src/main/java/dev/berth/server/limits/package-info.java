/**
 * How much one client, and all clients together, may hold of Berth's listeners, applied with
 * Jetty's own mechanisms where it has them: {@code Limits} (each number and why), and {@code
 * ListenerLimits}, which builds the Jetty server and every listener with caps on connections in
 * total and per source address, a deadline for the TLS handshake and request headers, idle
 * timeouts, bounded concurrent requests, and memory given back after a surge. {@code BerthServer}
 * builds its server through it (docs/security.md, "Limits"; measurements in docs/benchmarks.md).
 */
package dev.berth.server.limits;
