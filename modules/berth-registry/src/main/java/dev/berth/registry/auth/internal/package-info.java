/**
 * Private to {@code dev.berth.registry.auth}: the registry's own JWTs ({@code AcrJwt}), the caller
 * a checked credential turned out to be ({@code Caller}), the credential checks in ACR's order
 * ({@code Credentials}), the authorization maths of the Docker token spec over admin user, scope
 * maps, Azure roles and ABAC conditions ({@code RegistryPermissions}, {@code AbacCondition}), the
 * 401 challenge and error envelope, and the parsing of auth requests (docs/registry-auth.md).
 */
package dev.berth.registry.auth.internal;
