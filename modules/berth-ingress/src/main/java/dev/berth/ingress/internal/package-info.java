/**
 * The ingress' data path on Netty: the connection guard, the per-connection {@code Frontend} and
 * its {@code Router}, the pooled {@code Upstream} connections to replicas, the activator and the
 * WebSocket tunnel.
 */
package dev.berth.ingress.internal;
