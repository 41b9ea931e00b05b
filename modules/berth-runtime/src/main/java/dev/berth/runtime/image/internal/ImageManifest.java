package dev.berth.runtime.image.internal;

import java.util.List;

/**
 * An image manifest resolved for linux/amd64.
 *
 * @param digest the digest of what the reference names (the index's, when it names an index): the
 *     digest a revision reports and {@code image@digest} pins
 * @param config the config blob
 * @param layers the layer blobs, lowest first
 */
record ImageManifest(String digest, Descriptor config, List<Descriptor> layers) {

  ImageManifest {
    layers = List.copyOf(layers);
  }
}
