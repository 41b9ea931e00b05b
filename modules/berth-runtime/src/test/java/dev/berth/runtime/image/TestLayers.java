package dev.berth.runtime.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds layer tarballs for tests: {@code layer().file("etc/motd", "hi").gzip()}. */
public final class TestLayers {

  private final List<TarArchiveEntry> entries = new ArrayList<>();
  private final List<byte[]> contents = new ArrayList<>();

  public static TestLayers layer() {
    return new TestLayers();
  }

  public TestLayers dir(String name, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
    entry.setMode(040000 | mode);
    return add(entry, new byte[0]);
  }

  public TestLayers file(String name, String content) {
    return file(name, content, 0644, 0, 0);
  }

  public TestLayers file(String name, String content, int mode, int uid, int gid) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setMode(0100000 | mode);
    entry.setSize(bytes.length);
    entry.setIds(uid, gid);
    entry.setModTime(1_600_000_000_000L);
    return add(entry, bytes);
  }

  public TestLayers symlink(String name, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
    entry.setLinkName(target);
    return add(entry, new byte[0]);
  }

  public TestLayers hardlink(String name, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK);
    entry.setLinkName(target);
    return add(entry, new byte[0]);
  }

  private TestLayers add(TarArchiveEntry entry, byte[] content) {
    entries.add(entry);
    contents.add(content);
    return this;
  }

  /** The plain tar, with its end-of-archive marker. */
  public byte[] tar() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      write(tar);
    }
    return out.toByteArray();
  }

  /**
   * The tar as a writer that was never closed leaves it (umoci#436): no padding after the last
   * entry, no end-of-archive records. The last entry must be a file whose content does not end in a
   * zero byte.
   */
  public byte[] tarWithoutEnd() throws IOException {
    byte[] tar = tar();
    int end = tar.length;
    while (end > 0 && tar[end - 1] == 0) {
      end--;
    }
    return Arrays.copyOf(tar, end);
  }

  public byte[] gzip() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(out)) {
      gzip.write(tar());
    }
    return out.toByteArray();
  }

  private void write(TarArchiveOutputStream tar) throws IOException {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    for (int i = 0; i < entries.size(); i++) {
      tar.putArchiveEntry(entries.get(i));
      tar.write(contents.get(i));
      tar.closeArchiveEntry();
    }
  }
}
