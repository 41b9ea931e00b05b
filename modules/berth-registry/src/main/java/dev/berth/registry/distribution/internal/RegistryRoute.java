package dev.berth.registry.distribution.internal;

/**
 * One route of the registry API as the shared router carries it: the access it declares, which is
 * granted or challenged before the handler runs, and the handler, which then only parses, calls the
 * storage and maps errors. Immutable and thread-safe.
 */
public record RegistryRoute(RouteAccess access, CallHandler handler) {}
