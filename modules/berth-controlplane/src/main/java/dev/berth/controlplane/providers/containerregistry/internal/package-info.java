/**
 * Private to {@code dev.berth.controlplane.providers.containerregistry}: the hooks of registries,
 * scope maps and tokens; the checks and defaults of a registry's {@code sku} and {@code
 * properties}; globally unique registry names; the admin user's sealed credentials and the token
 * passwords kept as salted hashes; new random passwords; and a test implementation of {@code
 * LoginServers} (docs/provider-containerregistry.md).
 */
package dev.berth.controlplane.providers.containerregistry.internal;
