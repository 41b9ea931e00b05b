/**
 * Test support shared by every module: running the real tools the tests drive (skopeo, podman,
 * runc, az, child JVMs) so that a hung tool fails its test instead of hanging the build, fuzz runs
 * whose seed is printed so that a failure replays, and table tests ({@link
 * dev.berth.testing.TableTest}: rows of given, when, then; {@link dev.berth.testing.JsonChanges}
 * says what a step changed in a set of documents, {@link dev.berth.testing.ManualClock} lets time
 * pass without sleeping).
 */
package dev.berth.testing;
