/**
 * Test support shared by every module: running the real tools the tests drive (skopeo, podman,
 * runc, az, child JVMs) so that a hung tool fails its test instead of hanging the build, fuzz runs
 * whose seed is printed so that a failure replays, and a loopback HTTPS server with a throw-away
 * certificate authority for tests that stand up a service or put a handler on the wire.
 */
package dev.berth.testing;
