/**
 * The apps' ingress: a Jetty handler that finds a container app by the request's {@code Host} in a
 * {@link dev.berth.ingress.RouteTable} and proxies the request to one of its replicas (Jetty's own
 * reverse proxy over its {@code HttpClient}, with upstream keep-alive) — docs/ingress.md.
 */
package dev.berth.ingress;
