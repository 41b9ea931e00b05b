package dev.berth.reconciler.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.runtime.image.ImageReference;
import java.util.Optional;
import java.util.Set;

/**
 * A revision's last failed pull, kept so that the diagnosis can be asked again later ({@code
 * containerapp diagnose}) and so that a change to what the pull depends on can wake the revision at
 * once ({@link PullWakeups}). Immutable.
 *
 * @param app the app's id
 * @param container the container whose image failed
 * @param image the image, when its reference parsed
 * @param registryEntry the registries[] entry used, if any
 * @param failure what the puller threw (or the refusal that kept the pull from starting)
 * @param registry the Berth registry that serves the image's server, if any
 * @param environment the app's environment (its outbound address is judged by network rules)
 * @param identities the keys ({@link ResourceId#key()}) of the user-assigned identities the app
 *     names, attached or in a registries[] entry
 * @param appInputs what of the app a pull reads (registries, secrets, identity), as it was: a write
 *     of the app that changes none of it (the control plane's own status writes) wakes nothing
 */
public record PullFailure(
    ResourceId app,
    String container,
    Optional<ImageReference> image,
    Optional<JsonNode> registryEntry,
    Exception failure,
    Optional<ResourceId> registry,
    Optional<ResourceId> environment,
    Set<String> identities,
    String appInputs) {

  /** What of an app's document a pull reads: its registries, secrets and identity. */
  public static String appInputs(JsonNode app) {
    JsonNode configuration = app.path("properties").path("configuration");
    return configuration.path("registries").toString()
        + configuration.path("secrets").toString()
        + app.path("identity").toString();
  }
}
