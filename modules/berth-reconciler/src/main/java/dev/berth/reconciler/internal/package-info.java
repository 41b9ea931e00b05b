/**
 * Private to {@code dev.berth.reconciler}: the keyed work queue, and one revision's pass cut into
 * phases — {@code RevisionWorker} (restart, adopt, reap, resize), image pulls and their plan,
 * replica starts from specs built by pure functions, identity headers, probes, and the status and
 * replica documents written with {@code If-Match} — with what it remembers of a revision between
 * passes, the app's system events and opening the app's sealed secrets (docs/reconciler.md).
 */
package dev.berth.reconciler.internal;
