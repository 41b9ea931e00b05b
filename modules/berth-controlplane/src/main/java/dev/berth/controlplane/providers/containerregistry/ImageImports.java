package dev.berth.controlplane.providers.containerregistry;

import dev.berth.api.Principal;
import dev.berth.api.acr.AccessDecision;
import dev.berth.api.acr.Registry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Copies an image from another registry into a Berth registry, for ACR's {@code importImage} action
 * ({@code az acr import}): the provider checks the request and runs the copy as a long-running
 * operation; the server implements it over the registry's storage. Implementations must be
 * thread-safe.
 *
 * @see <a
 *     href="https://learn.microsoft.com/rest/api/containerregistry/registries/import-image">Registries
 *     - Import Image</a>
 */
@FunctionalInterface
public interface ImageImports {

  /** No imports: every {@code importImage} fails, saying so. */
  ImageImports NONE =
      (target, request) -> {
        throw dev.berth.api.ArmException.of(
            dev.berth.api.ArmErrorCode.BadRequest, "This server does not import images.");
      };

  /**
   * Copies the image (an index with every image it lists) into {@code target}, then tags it; throw
   * an {@link dev.berth.api.ArmException} to fail the operation with ACR's words.
   */
  void copy(Registry target, Request request) throws Exception;

  /**
   * What Berth's registry {@code source} would answer {@code caller} pulling {@code repository},
   * decided by the data plane's own code: an import from it reads in the caller's name, so it may
   * read no more than a pull would. ARM's action check alone is not that in ABAC mode, where
   * AcrPull, Reader and Contributor grant no pull at all. Default: granted (no data plane here).
   */
  default AccessDecision pullDecision(Principal caller, Registry source, String repository) {
    return AccessDecision.granted("no data plane to ask");
  }

  /**
   * One import, checked: where from and where to.
   *
   * @param registryUri the source registry's host[:port] ({@code source.registryUri})
   * @param repository the source repository
   * @param reference its tag, or {@code sha256:…} digest
   * @param credentials the source registry's login ({@code source.credentials}), if any
   * @param targetTags {@code repository:tag} pairs to tag the copy with
   * @param untaggedRepositories repositories to copy into without a tag
   * @param force {@code mode: Force}: an existing target tag is moved; else the import fails
   * @param berthSource the source when it is one of Berth's own registries ({@code
   *     source.resourceId}): copied inside Berth, the caller's right to pull it checked by ARM's
   *     linked access check; {@code registryUri} is then its login server
   */
  record Request(
      String registryUri,
      String repository,
      String reference,
      Optional<Credentials> credentials,
      List<TargetTag> targetTags,
      List<String> untaggedRepositories,
      boolean force,
      Optional<Registry> berthSource) {

    public Request {
      Objects.requireNonNull(registryUri, "registryUri");
      targetTags = List.copyOf(targetTags);
      untaggedRepositories = List.copyOf(untaggedRepositories);
      Objects.requireNonNull(berthSource, "berthSource");
    }

    /** {@code registryUri/repository:tag} or {@code …@digest}, as people write it. */
    public String source() {
      return registryUri
          + "/"
          + repository
          + (reference.startsWith("sha256:") ? "@" : ":")
          + reference;
    }
  }

  /** A target {@code repository:tag}. */
  record TargetTag(String repository, String tag) {}

  /** A login at the source registry; the password never shows in {@link #toString()}. */
  record Credentials(String username, String password) {
    @Override
    public String toString() {
      return "Credentials[username=" + username + ", password=***]";
    }
  }
}
