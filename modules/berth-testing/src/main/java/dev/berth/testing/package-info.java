/**
 * Test support shared by every module: running the real tools the tests drive (skopeo, podman,
 * runc, az, child JVMs) so that a hung tool fails its test instead of hanging the build, and fuzz
 * runs whose seed is printed so that a failure replays.
 */
package dev.berth.testing;
