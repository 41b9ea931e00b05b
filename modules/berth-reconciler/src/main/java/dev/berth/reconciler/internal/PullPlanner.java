package dev.berth.reconciler.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.secrets.SealedValueException;
import dev.berth.identity.AppIdentities.AppIdentity;
import dev.berth.identity.TokenIssuer;
import dev.berth.runtime.image.ImageReference;
import dev.berth.runtime.image.RegistryCredential;
import dev.berth.store.ResourceStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Decides how a container's image is pulled, as Container Apps does: the app's {@code registries[]}
 * entry for the image's server names a managed identity (whose token has the management audience)
 * or a user name with a password secret; no entry means anonymous. Pulls leave from the
 * environment's outbound address.
 */
public final class PullPlanner {

  /** Everything a pull needs. */
  public record Plan(
      ImageReference image,
      Optional<JsonNode> registryEntry,
      RegistryCredential credential,
      Optional<InetAddress> sourceAddress) {}

  /** A pull that cannot even start; the message is the ACA-style detail. */
  public static final class Refusal extends Exception {
    private final Optional<ImageReference> image;
    private final Optional<JsonNode> registryEntry;

    Refusal(String message, ImageReference image, Optional<JsonNode> registryEntry) {
      super(message);
      this.image = Optional.ofNullable(image);
      this.registryEntry = registryEntry;
    }

    public Optional<ImageReference> image() {
      return image;
    }

    public Optional<JsonNode> registryEntry() {
      return registryEntry;
    }
  }

  private final ResourceStore store;
  private final TokenIssuer issuer;
  private final String managementAudience;

  public PullPlanner(ResourceStore store, TokenIssuer issuer, String managementAudience) {
    this.store = store;
    this.issuer = issuer;
    this.managementAudience = managementAudience;
  }

  public Plan plan(AppDocument app, String imageText) throws Refusal {
    ImageReference image;
    try {
      image = ImageReference.parse(imageText);
    } catch (IllegalArgumentException e) {
      throw new Refusal(e.getMessage(), null, Optional.empty());
    }
    Optional<JsonNode> entry = app.registry(image.registry());
    return new Plan(image, entry, credential(app, image, entry), sourceAddress(app));
  }

  private RegistryCredential credential(
      AppDocument app, ImageReference image, Optional<JsonNode> entry) throws Refusal {
    if (entry.isEmpty()) {
      return new RegistryCredential.Anonymous();
    }
    JsonNode e = entry.get();
    String identity = e.path("identity").asText("");
    if (!identity.isBlank()) {
      AppIdentity chosen =
          app.identity(identity, store)
              .orElseThrow(
                  () ->
                      new Refusal(
                          "unable to pull image using Managed identity "
                              + identity
                              + " for registry "
                              + e.path("server").asText(),
                          image,
                          entry));
      return new RegistryCredential.ManagedIdentity(
          identity,
          () ->
              issuer
                  .issue(chosen.principal(), managementAudience, TokenIssuer.Version.V1)
                  .accessToken());
    }
    String username = e.path("username").asText("");
    if (!username.isBlank()) {
      String secretName = e.path("passwordSecretRef").asText("");
      Optional<String> opened;
      try {
        opened = app.secret(secretName);
      } catch (SealedValueException unreadable) {
        throw new Refusal(unreadable.getMessage(), image, entry);
      }
      String password =
          opened.orElseThrow(
              () ->
                  new Refusal(
                      "secret '"
                          + secretName
                          + "' named by the registry entry for "
                          + e.path("server").asText()
                          + " does not exist",
                      image,
                      entry));
      return new RegistryCredential.Basic(username, password);
    }
    return new RegistryCredential.Anonymous();
  }

  private Optional<InetAddress> sourceAddress(AppDocument app) {
    return app.environmentId()
        .flatMap(store::get)
        .map(env -> env.body().path("properties").path("outboundAddress").asText(""))
        .filter(a -> !a.isBlank())
        .map(
            a -> {
              try {
                return InetAddress.getByName(a);
              } catch (UnknownHostException e) {
                return null;
              }
            });
  }
}
