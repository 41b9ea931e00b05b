/**
 * The server's wiring of the apps' ingress: its HTTPS and HTTP listeners, the per-environment
 * wildcard certificates chosen by SNI, and the {@code RouteTable} kept from the store
 * (docs/ingress.md).
 */
package dev.berth.server.ingress;
