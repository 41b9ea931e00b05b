package dev.berth.runtime.image;

/**
 * Progress of one pull, for the revision's system events ({@code PullingImage}, {@code
 * ImagePulled}). Called on the pulling thread; implementations must be quick.
 */
public interface PullListener {

  PullListener NONE = new PullListener() {};

  /** A layer is being downloaded (it was not in the cache). */
  default void layerStarted(String digest, long size) {}

  /** A layer is in the cache (downloaded and unpacked now, or found there). */
  default void layerReady(String digest, boolean wasCached) {}
}
