package dev.berth.controlplane.internal;

import dev.berth.api.ResourceId;

/**
 * An ARM action at a scope, such as {@code Microsoft.Resources/subscriptions/resourceGroups/write}.
 */
public record Permission(String action, ResourceId scope) {}
