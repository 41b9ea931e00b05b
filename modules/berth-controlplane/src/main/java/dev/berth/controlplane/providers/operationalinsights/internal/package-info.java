/**
 * Private to {@code dev.berth.controlplane.providers.operationalinsights}: the workspace hooks
 * (customer id, defaults, shared keys sealed at rest and the {@code sharedKeys} action).
 */
package dev.berth.controlplane.providers.operationalinsights.internal;
