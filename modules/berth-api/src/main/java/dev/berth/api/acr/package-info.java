/**
 * The container registry model that the registry decides with and the pull diagnosis explains with,
 * so the two cannot disagree: {@code Registry} (one registry's ARM document read once, with ACR's
 * defaults), {@code NetworkRules} (the one address check), {@code RegistryLogins} and {@code
 * PasswordHashes} (admin and repository-scoped token logins, one salted-hash recipe and one expiry
 * rule), {@code ScopeMaps} (what a token may do), {@code AccessDecision} (granted by what, or
 * refused and why) and {@code AcrDocuments} (where the control plane keeps a registry's secrets).
 * The control plane's Microsoft.ContainerRegistry provider writes these documents; the registry
 * module and the reconciler's pull diagnosis read them (docs/registry-auth.md,
 * docs/provider-containerregistry.md).
 */
package dev.berth.api.acr;
