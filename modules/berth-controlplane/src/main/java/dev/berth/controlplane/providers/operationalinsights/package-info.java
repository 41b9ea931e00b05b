/**
 * A minimal {@code Microsoft.OperationalInsights} resource provider on the ARM side: Log Analytics
 * workspaces (create, get, list, delete) and their shared keys, so that {@code az containerapp env
 * create} can make the workspace it names in an environment's logs configuration. Logs are never
 * sent to a workspace: they stay in Berth (docs/provider-operationalinsights.md).
 */
package dev.berth.controlplane.providers.operationalinsights;
