/**
 * The apps' ingress: a Netty server that finds a container app by the request's {@code Host} in a
 * {@link dev.berth.ingress.RouteTable} and proxies the request to one of its replicas over pooled
 * keep-alive connections — docs/ingress.md.
 */
package dev.berth.ingress;
