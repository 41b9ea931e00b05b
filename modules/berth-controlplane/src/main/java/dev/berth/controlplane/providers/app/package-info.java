/**
 * The {@code Microsoft.App} resource provider on the ARM side: {@code AppProvider} hands the ARM
 * layer the types for managed environments and container apps, with their revisions and replicas as
 * server-managed children, and the container-app log-stream route. It writes desired state only —
 * the app, its revisions (created {@code Provisioning}) and its environment — and waits on the
 * revision the reconciler runs. The server implements its two ports: {@code OutboundAddresses} (an
 * environment's address) and {@code LogStreams} (a replica's log, an app's system events), and
 * hands in {@code LogStreamAccess}: where the streams az reads with a {@code getAuthToken} token
 * are served, and those tokens (docs/provider-app.md, "Log streams").
 */
package dev.berth.controlplane.providers.app;
