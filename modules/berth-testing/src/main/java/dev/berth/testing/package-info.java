/**
 * Test support shared by every module: running the real tools the tests drive (skopeo, podman,
 * runc, az, child JVMs) so that a hung tool fails its test instead of hanging the build, fuzz runs
 * whose seed is printed so that a failure replays, table tests ({@link
 * dev.berth.testing.TableTest}: rows of given, when, then; {@link dev.berth.testing.JsonChanges}
 * says what a step changed in a set of documents, {@link dev.berth.testing.ManualClock} lets time
 * pass without sleeping), and a loopback HTTPS server with a throw-away certificate authority for
 * tests that stand up a service or put a handler on the wire.
 */
package dev.berth.testing;
