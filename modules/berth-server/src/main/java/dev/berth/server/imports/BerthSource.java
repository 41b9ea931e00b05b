package dev.berth.server.imports;

import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.acr.Registry;
import dev.berth.controlplane.providers.containerregistry.ImageImports;
import dev.berth.registry.distribution.RepositoryReader;
import java.io.IOException;
import java.io.InputStream;

/**
 * An import's source that is one of Berth's own registries ({@code source.resourceId}): manifests
 * are read from its repository in place, with no token (the ARM layer has checked that the caller
 * may pull from it). Its blobs are never read: the registries share one content-addressed store, so
 * the copy links them. Not thread-safe (one per import).
 */
final class BerthSource implements ImageSource {

  private final RepositoryReader reader;
  private final Registry registry;
  private final ImageImports.Request request;

  BerthSource(RepositoryReader reader, Registry registry, ImageImports.Request request) {
    this.reader = reader;
    this.registry = registry;
    this.request = request;
  }

  @Override
  public Manifest manifest(String reference) throws IOException {
    return reader
        .manifest(registry.storageKey(), request.repository(), reference)
        .map(m -> new Manifest(m.mediaType(), m.bytes()))
        .orElseThrow(
            () ->
                failed(
                    "registry '"
                        + registry.name()
                        + "' has no manifest "
                        + reference
                        + " in repository '"
                        + request.repository()
                        + "'."));
  }

  @Override
  public InputStream blob(String digest) {
    // Only reached when the shared store lost a blob that a stored manifest names.
    throw failed("the blob " + digest + " is missing from the registry's storage.");
  }

  @Override
  public ArmException failed(String why) {
    return ArmException.of(
        ArmErrorCode.BadRequest, "Image import failed for '" + request.source() + "': " + why);
  }
}
