/**
 * Private to {@code dev.berth.controlplane}: the steps of the ARM request chain ({@code Step}:
 * request ids, api-version, authentication, authorization, body), the one route table ({@code
 * ArmRoutes}, {@code RouteTable}, {@code RouteMatching}), the generic resource handler and the
 * rules of ARM writes, the linked access check, lists and paging, long-running operations with
 * their retention and recovery, and the built-in handlers (resource groups, subscriptions, provider
 * registration, role definitions and assignments, Berth's service principals, cloud metadata)
 * (docs/controlplane.md).
 */
package dev.berth.controlplane.internal;
