/**
 * The HTTP clients the {@code berth} commands use: {@code ArmClient} for the ARM-compatible API
 * (authenticated JSON, {@code nextLink} paging, long-running operations, ARM errors as {@code
 * ArmCallException}), {@code TokenClient} for client-credentials tokens, {@code RegistryClient} and
 * {@code RegistryBlobs} for a login server (the challenge, ACR's token exchange, {@code /acr/v1/}
 * calls and blob push and pull), and the TLS and transport beneath them, which log method, URL and
 * status but never headers or bodies. Used only by {@code dev.berth.cli} (docs/cli.md).
 */
package dev.berth.client;
