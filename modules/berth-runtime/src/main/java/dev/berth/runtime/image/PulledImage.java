package dev.berth.runtime.image;

import java.nio.file.Path;
import java.util.List;

/**
 * An image that is ready to run: its manifest digest (what a revision reports), its configuration
 * and its layers unpacked in the layer cache, lowest first (overlay's {@code lowerdir} lists them
 * in the reverse order).
 */
public record PulledImage(
    ImageReference reference, String manifestDigest, ImageConfig config, List<Path> layers) {

  public PulledImage {
    layers = List.copyOf(layers);
  }
}
