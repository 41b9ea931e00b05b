/**
 * The autoscaler: per revision, from the concurrency the ingress observes to the number of replicas
 * the revision should run ({@link dev.berth.autoscaler.Autoscaler}, {@link
 * dev.berth.autoscaler.ScaleSettings}, {@link dev.berth.autoscaler.ScaleDecision}). Pure maths: no
 * I/O, no threads, no clock; time is handed in. Knative's KPA decider (stable and panic windows)
 * with Container Apps' settings (docs/autoscaler.md).
 */
package dev.berth.autoscaler;
