/** The ingress' handlers: the host router and the replica proxy. */
package dev.berth.ingress.internal;
