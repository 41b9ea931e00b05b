package dev.berth.reconciler.internal;

import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.ContainerApp.RegistryCredentials;
import dev.berth.api.app.ManagedEnvironment;
import dev.berth.api.secrets.SealedValueException;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.identity.AppIdentities;
import dev.berth.identity.AppIdentities.AppIdentity;
import dev.berth.identity.TokenIssuer;
import dev.berth.runtime.image.ImageReference;
import dev.berth.runtime.image.RegistryCredential;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Decides how a container's image is pulled, as Container Apps does: the app's {@code registries[]}
 * entry for the image's server names a managed identity (whose token has the management audience)
 * or a user name with a password secret; no entry means anonymous. Pulls leave from the
 * environment's outbound address. Thread-safe.
 */
public final class PullPlanner {

  /** Everything a pull needs. */
  public record Plan(
      ImageReference image,
      Optional<RegistryCredentials> registryEntry,
      RegistryCredential credential,
      Optional<InetAddress> sourceAddress) {}

  /** A pull that cannot even start; the message is the ACA-style detail. */
  public static final class Refusal extends Exception {
    private final Optional<ImageReference> image;
    private final Optional<RegistryCredentials> registryEntry;

    Refusal(String message, ImageReference image, Optional<RegistryCredentials> registryEntry) {
      super(message);
      this.image = Optional.ofNullable(image);
      this.registryEntry = registryEntry;
    }

    public Optional<ImageReference> image() {
      return image;
    }

    public Optional<RegistryCredentials> registryEntry() {
      return registryEntry;
    }
  }

  private final ResourceStore store;
  private final TokenIssuer issuer;
  private final String managementAudience;
  private final SecretSealer sealer;

  public PullPlanner(
      ResourceStore store, TokenIssuer issuer, String managementAudience, SecretSealer sealer) {
    this.store = store;
    this.issuer = issuer;
    this.managementAudience = managementAudience;
    this.sealer = sealer;
  }

  public Plan plan(ContainerApp app, String imageText) throws Refusal {
    ImageReference image;
    try {
      image = ImageReference.parse(imageText);
    } catch (IllegalArgumentException e) {
      throw new Refusal(e.getMessage(), null, Optional.empty());
    }
    Optional<RegistryCredentials> entry = app.registry(image.registry());
    return new Plan(image, entry, credential(app, image, entry), sourceAddress(app));
  }

  private RegistryCredential credential(
      ContainerApp app, ImageReference image, Optional<RegistryCredentials> entry) throws Refusal {
    if (entry.isEmpty()) {
      return new RegistryCredential.Anonymous();
    }
    RegistryCredentials e = entry.get();
    if (e.identity().isPresent()) {
      String identity = e.identity().get();
      AppIdentity chosen =
          AppIdentities.of(store)
              .named(app.id(), identity)
              .orElseThrow(
                  () ->
                      new Refusal(
                          "unable to pull image using Managed identity "
                              + identity
                              + " for registry "
                              + e.server(),
                          image,
                          entry));
      return new RegistryCredential.ManagedIdentity(
          identity,
          () ->
              issuer
                  .issue(chosen.principal(), managementAudience, TokenIssuer.Version.V1)
                  .accessToken());
    }
    if (e.username().isPresent()) {
      String secretName = e.passwordSecretRef().orElse("");
      Optional<String> opened;
      try {
        opened = SecretValues.open(app, secretName, sealer);
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
                          + e.server()
                          + " does not exist",
                      image,
                      entry));
      return new RegistryCredential.Basic(e.username().get(), password);
    }
    return new RegistryCredential.Anonymous();
  }

  private Optional<InetAddress> sourceAddress(ContainerApp app) {
    return app.environmentId().flatMap(store::get).flatMap(PullPlanner::outboundAddress);
  }

  /** The address an environment's pulls leave from: its stored {@code outboundAddress}. */
  public static Optional<InetAddress> outboundAddress(StoredResource environment) {
    return ManagedEnvironment.of(environment.id(), environment.body())
        .outboundAddress()
        .flatMap(
            a -> {
              try {
                return Optional.of(InetAddress.getByName(a));
              } catch (UnknownHostException e) {
                return Optional.empty();
              }
            });
  }
}
