/**
 * Private to {@code dev.berth.reconciler.diagnosis}: the checks a diagnosis runs, each one thing a
 * person would check by hand (a missing registries[] entry, an identity not attached, a pull role
 * or ABAC condition, a password or token, a network rule, ARM-audience tokens, a missing repository
 * or tag), what they read once ({@code PullContext}, {@code AppFacts}), and the wording of findings
 * and of the CLI commands that fix them (docs/pull-diagnosis.md).
 */
package dev.berth.reconciler.diagnosis.internal;
