/**
 * The vocabulary every module shares, at the bottom of the module arrows: ARM resource ids ({@code
 * ResourceId}, parsed once, compared case-insensitively), the ARM error catalog ({@code
 * ArmErrorCode}, {@code ArmException}, {@code ArmErrors}) that handlers throw instead of choosing
 * an HTTP status, the caller ({@code Principal}) and the RBAC records ({@code RoleDefinition},
 * {@code RoleAssignment}). Plain values without I/O; every other module reads them, and the package
 * depends on nothing of Berth's (docs/architecture.md).
 */
package dev.berth.api;
