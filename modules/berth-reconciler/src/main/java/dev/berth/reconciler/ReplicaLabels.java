package dev.berth.reconciler;

import java.util.Map;

/**
 * The labels the reconciler gives each replica it starts, which the runtime keeps with it: what a
 * replica belongs to, for whoever is handed only the replica (the runtime's extras, a restart that
 * finds it again). Stateless.
 */
public final class ReplicaLabels {

  /** The revision's resource id, as stored. */
  public static final String REVISION = "berth.revision";

  /** The container app's resource id, as stored. */
  public static final String APP = "berth.app";

  private ReplicaLabels() {}

  /** The app's resource id of a replica with {@code labels}; empty text when it has none. */
  public static String appOf(Map<String, String> labels) {
    return labels.getOrDefault(APP, "");
  }
}
