/**
 * {@code main} and the wiring, the only package that sees every module: the {@code berth} launcher
 * ({@code Main}: {@code up}, {@code ca}, and the CLI's commands), configuration from options,
 * environment and defaults ({@code ServerConfig}), the data directory drawn once ({@code DataDir})
 * and kept owner-only and locked to one Berth, first-start bootstrap, the secrets key, the
 * construction and lifecycle of every subsystem in dependency order ({@code BerthServer}), the
 * front door that routes each request to a registry, the token service or the ARM API, the ports
 * the control plane and the pull diagnosis leave to the server (login servers, outbound addresses,
 * log streams, the registry's pull decision and tags), and the background chores. Nothing else
 * depends on it (docs/architecture.md).
 */
package dev.berth.server;
