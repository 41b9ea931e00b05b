package dev.berth.server.imports;

import dev.berth.api.ArmException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where an import reads the image from: another registry over the distribution API ({@link
 * SourceRegistry}), or one of Berth's own registries read in place ({@link BerthSource}). One per
 * import; not thread-safe.
 */
interface ImageSource {

  /** A manifest as the source holds it. */
  record Manifest(String mediaType, byte[] bytes) {}

  /** The manifest a tag or {@code sha256:} digest names. */
  Manifest manifest(String reference) throws IOException, InterruptedException;

  /** The blob's bytes; the caller closes the stream. */
  InputStream blob(String digest) throws IOException, InterruptedException;

  /** The error that fails the import, in ACR's words, saying {@code why}. */
  ArmException failed(String why);
}
