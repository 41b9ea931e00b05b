package dev.berth.ingress;

/**
 * The port through which the ingress asks for a revision to be scaled up when a request finds it
 * with no ready replica (Knative's activator pokes its autoscaler the same way). The server wires
 * it to the reconciler, which decides at once for a revision at zero. Implementations return
 * quickly and are thread-safe.
 */
@FunctionalInterface
public interface Activations {

  /** Does nothing: for an ingress with no scaler behind it (tests). */
  Activations NONE = revision -> {};

  /**
   * Requests are waiting for {@code revision} (its resource id) and none of its replicas is ready.
   */
  void requested(String revision);
}
