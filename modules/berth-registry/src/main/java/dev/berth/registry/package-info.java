/**
 * The data plane of the registries Berth hosts, seen from outside: {@code RegistryHttp} answers
 * everything a login server serves (the ACR token service under {@code /oauth2/}, the OCI
 * distribution and ACR metadata APIs under {@code /v2/} and {@code /acr/v1/}); {@code
 * RegistryDirectory} finds a registry by login server from the control plane's documents on every
 * call; {@code RegistryAccess} is the grant-or-challenge contract between the endpoints and the
 * access check ({@code AccessRequest}, {@code Grant}); {@code RegistryErrorCode} and {@code
 * RegistryException} are the registry's error catalog and envelope; {@code RepositoryName} is the
 * distribution spec's name grammar. The server builds these and routes a login server's requests to
 * {@code RegistryHttp} (docs/registry.md).
 */
package dev.berth.registry;
