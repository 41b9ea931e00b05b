/**
 * The runc driver of {@code ReplicaRuntime}: {@code RuncRuntime} runs each replica as a runc
 * container on an overlay of its image's layers, in its own network namespace on a host bridge,
 * with cgroup limits, as a child of the JVM so its exit code is kept; replicas outlive Berth and
 * are adopted by the next runtime over the same state directory. {@code RuncConfig} says where its
 * state lives and which subnet and bridge it uses. The server builds it unless {@code --runtime
 * none} (docs/runtime-runc.md).
 */
package dev.berth.runtime.runc;
