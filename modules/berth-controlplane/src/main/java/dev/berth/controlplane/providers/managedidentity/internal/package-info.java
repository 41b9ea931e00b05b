/**
 * Private to {@code dev.berth.controlplane.providers.managedidentity}: the hooks of user-assigned
 * identities ({@code IdentityHooks}), which assign their read-only ids once and delete their role
 * assignments with them (docs/provider-managedidentity.md).
 */
package dev.berth.controlplane.providers.managedidentity.internal;
