package dev.berth.runtime.image.internal;

import java.nio.file.Path;

/**
 * The on-disk layout of the image cache, drawn once. Immutable.
 *
 * <pre>
 * &lt;cacheDir&gt;/
 * ├── layers/
 * │   └── sha256/
 * │       └── &lt;hex&gt;/          one unpacked layer (overlay lowerdir form), never changed once renamed here
 * └── tmp/
 *     ├── &lt;hex&gt;-&lt;n&gt;.blob     a layer blob being downloaded (deleted after unpacking)
 *     └── &lt;hex&gt;-&lt;n&gt;/         a layer being unpacked, renamed atomically into layers/sha256/&lt;hex&gt;
 * </pre>
 *
 * <p>{@code tmp/} lives on the same file system as {@code layers/} so that the final rename is
 * atomic; whatever is left in it after a crash can be deleted.
 */
record CachePaths(Path root) {

  Path layer(String digest) {
    return root.resolve("layers").resolve("sha256").resolve(Digests.hex(digest));
  }

  Path tmp() {
    return root.resolve("tmp");
  }
}
