/**
 * Test support shared by every module: running the real tools the tests drive (skopeo, podman,
 * runc, az, child JVMs) so that a hung tool fails its test instead of hanging the build.
 */
package dev.berth.testing;
