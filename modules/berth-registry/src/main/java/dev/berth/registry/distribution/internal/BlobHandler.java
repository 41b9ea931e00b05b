package dev.berth.registry.distribution.internal;

import dev.berth.http.HttpExchange;
import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.blob.BlobReader;
import dev.berth.registry.blob.Digest;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET}/{@code HEAD}/{@code DELETE /v2/<name>/blobs/<digest>}: serves a blob the repository
 * links, whole or one {@code Range}, and unlinks it (the bytes stay for other repositories until a
 * garbage collection). Thread-safe.
 */
public final class BlobHandler {

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
  private final DistributionServices services;

  public BlobHandler(DistributionServices services) {
    this.services = services;
  }

  public void get(Call call) throws Exception {
    serve(call, true);
  }

  public void head(Call call) throws Exception {
    serve(call, false);
  }

  private void serve(Call call, boolean withBody) throws Exception {
    Digest digest = Names.digest(call.var("digest"));
    if (!services.repository(call).hasBlob(digest)) {
      throw unknown(digest);
    }
    Optional<BlobReader> opened = services.blobs().open(digest);
    if (opened.isEmpty()) {
      throw unknown(digest);
    }
    try (BlobReader blob = opened.get()) {
      HttpExchange ex = call.exchange();
      long size = blob.size();
      long from = 0;
      long to = size - 1;
      int status = 200;
      Optional<String> range = ex.header("Range");
      if (range.isPresent()) {
        long[] bounds = parseRange(range.get(), size);
        from = bounds[0];
        to = bounds[1];
        status = 206;
        ex.setHeader("Content-Range", "bytes " + from + "-" + to + "/" + size);
      }
      ex.setHeader("Docker-Content-Digest", digest.toString());
      ex.setHeader("Accept-Ranges", "bytes");
      ex.setHeader("ETag", "\"" + digest + "\"");
      long start = from;
      long length = to - from + 1;
      ex.stream(
          status,
          "application/octet-stream",
          length,
          out -> {
            if (withBody) {
              blob.copyTo(out, start, length);
            }
          });
    }
  }

  /** Parses {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} into inclusive bounds. */
  static long[] parseRange(String header, long size) {
    Matcher m = RANGE.matcher(header.strip());
    try {
      if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
        long from;
        long to;
        if (m.group(1).isEmpty()) {
          long suffix = Long.parseLong(m.group(2));
          from = Math.max(0, size - suffix);
          to = size - 1;
        } else {
          from = Long.parseLong(m.group(1));
          to = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
        }
        if (from <= to && from < size) {
          return new long[] {from, to};
        }
      }
    } catch (NumberFormatException e) {
      // falls through to the 416
    }
    throw new RegistryException(
        RegistryErrorCode.RANGE_INVALID,
        "requested range not satisfiable",
        header,
        Map.of("Content-Range", "bytes */" + size));
  }

  public void delete(Call call) throws Exception {
    Digest digest = Names.digest(call.var("digest"));
    if (!services.repository(call).unlinkBlob(digest)) {
      throw unknown(digest);
    }
    call.exchange().sendEmpty(202);
  }

  static RegistryException unknown(Digest digest) {
    return RegistryException.of(
        RegistryErrorCode.BLOB_UNKNOWN, "blob unknown to registry", digest.toString());
  }
}
