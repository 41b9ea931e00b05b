/**
 * Runs container apps: {@code Reconciler} brings each revision the control plane wrote to running
 * replicas, level-triggered (a store change, a replica's exit, a timer or the periodic resync each
 * make a revision's worker look at the whole revision again), and writes back what it observes (the
 * revision's status in {@code RevisionStatus} words, replica documents, system and console logs
 * under {@code LogFiles}). On start it adopts the replicas the runtime still runs. It pulls with
 * the runtime's {@code ImagePuller}, runs with its {@code ReplicaRuntime}, fills identity's {@code
 * ReplicaIdentityTable}, and explains a failed pull through a {@code PullFailureExplainer}. The
 * server builds it from a {@code ReconcilerConfig} unless {@code --runtime none}
 * (docs/reconciler.md).
 */
package dev.berth.reconciler;
