package dev.berth.api.app;

/**
 * The {@code Microsoft.App} resource types and actions, named once for every module that writes or
 * reads them (docs/provider-app.md, "Store contract"). Constants only.
 */
public final class AppTypes {

  /** {@code Microsoft.App/managedEnvironments}, written by the control plane. */
  public static final String MANAGED_ENVIRONMENT = "Microsoft.App/managedEnvironments";

  /** {@code Microsoft.App/containerApps}: desired state, written by the control plane only. */
  public static final String CONTAINER_APP = "Microsoft.App/containerApps";

  /**
   * {@code Microsoft.App/containerApps/revisions}: made by the control plane, its status written by
   * the reconciler.
   */
  public static final String REVISION = "Microsoft.App/containerApps/revisions";

  /** {@code Microsoft.App/containerApps/revisions/replicas}: written by the reconciler only. */
  public static final String REPLICA = "Microsoft.App/containerApps/revisions/replicas";

  /** What placing a container app in an environment takes on the environment. */
  public static final String JOIN_ENVIRONMENT_ACTION =
      "Microsoft.App/managedEnvironments/join/action";

  private AppTypes() {}
}
