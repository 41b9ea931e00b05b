/**
 * Private to {@code dev.berth.runtime.runc}: the state directory's layout ({@code StateLayout}) and
 * the replica records kept there, the host network (bridge, namespaces, veths, the address pool),
 * the root file system (overlay, hosts, resolv.conf), the OCI runtime config and the container's
 * process (argv, env, user), the runc command line, cgroup and teardown clean-up, OOM kills from
 * the kernel log, and the preflight check of the host (docs/runtime-runc.md).
 */
package dev.berth.runtime.runc.internal;
