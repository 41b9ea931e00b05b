package dev.berth.runtime.image.internal;

import static dev.berth.testing.Fuzz.frequency;
import static dev.berth.testing.Fuzz.joined;
import static dev.berth.testing.Fuzz.qt;
import static dev.berth.testing.Fuzz.unchecked;
import static dev.berth.testing.Fuzz.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.core.Gen;

/**
 * Random layers built from hostile pieces — {@code ../} names, absolute names, symbolic links out
 * of the root followed by writes through them, hard links out of the root, device nodes, whiteouts
 * beside and above the root — unpacked as root: nothing outside the layer's directory changes, no
 * inode outside is linked in, no device but the 0:0 whiteout appears, and every failure is an
 * {@link IOException} within seconds.
 */
class LayerUnpackerFuzzTest {

  private static Path base;
  private static Path outside;
  private static ExecutorService executor;

  /** A tar entry: its type, name, link target, and device numbers for devices. */
  record Entry(char type, String name, String link, int major, int minor) {}

  @BeforeAll
  static void prepare() throws IOException {
    assertThat(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))
        .as("this test needs root: whiteouts are 0:0 character devices made with mknod")
        .isEqualTo(0);
    base = Files.createTempDirectory("unpack-fuzz");
    outside = base.resolve("outside");
    Files.createDirectories(outside.resolve("dir"));
    Files.writeString(outside.resolve("secret"), "secret");
    Files.writeString(outside.resolve("dir/inner"), "inner");
    executor = Executors.newVirtualThreadPerTaskExecutor();
  }

  @AfterAll
  static void cleanUp() throws IOException {
    executor.shutdownNow();
    FileTrees.delete(base);
  }

  // Each unpack has 20 s; a hang found costs that again for each smaller layer tried, so few.
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void noLayerReachesOutsideItsRoot() {
    qt(400)
        .withShrinkCycles(5)
        .forAll(layers())
        .checkAssert(unchecked(LayerUnpackerFuzzTest::staysInsideItsRoot));
  }

  private static void staysInsideItsRoot(List<Entry> entries) throws Exception {
    Map<String, String> before = snapshot(outside);
    Path root = Files.createTempDirectory(base, "root");
    Path blob = Files.createTempFile(base, "blob", ".tar");
    Files.write(blob, tar(entries));

    Future<?> run =
        executor.submit(
            () -> {
              new LayerUnpacker(new OverlayFiles(), true).unpack(blob, root);
              return null;
            });
    try {
      run.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause())
          .as("only an IOException may end an unpack")
          .isInstanceOf(IOException.class);
    }

    assertThat(snapshot(outside)).as("the world outside the layer").isEqualTo(before);
    try (Stream<Path> siblings = Files.list(base)) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .as("nothing lands beside the root")
          .allMatch(n -> n.equals("outside") || n.startsWith("root") || n.startsWith("blob"));
    }
    for (Path p : walk(root)) {
      int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      int type = mode & 0170000;
      if (type == 0060000 || type == 0020000) {
        assertThat(type).as("block device %s", p).isEqualTo(0020000);
        assertThat(Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS))
            .as("only 0:0 character devices (whiteouts): %s", p)
            .isEqualTo(0L);
      }
      if (type == 0100000) {
        Object inode = Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        assertThat(inodesOutside()).as("hard link to outside: %s", p).doesNotContain(inode);
      }
    }
    FileTrees.delete(root);
    Files.delete(blob);
  }

  /** Small vocabularies, weighted so that hostile pairs (a link, then a write through it) occur. */
  private static Gen<List<Entry>> layers() {
    Gen<String> segment =
        frequency(
            weighted(4, arbitrary().constant("a")),
            weighted(2, arbitrary().constant("b")),
            weighted(1, arbitrary().pick("etc", "..", ".", ".wh.a", ".wh..wh..opq", ".wh..")));
    Gen<String> name =
        frequency(
                weighted(6, arbitrary().constant("")),
                weighted(1, arbitrary().pick("/", "./", "../", "/../")))
            .zip(joined(lists().of(segment).ofSizeBetween(1, 3), "/"), (prefix, p) -> prefix + p);
    Gen<String> link =
        frequency(
            weighted(2, name),
            weighted(3, arbitrary().constant("OUTSIDE")),
            weighted(
                2,
                arbitrary().pick("OUTSIDE/secret", "OUTSIDE/dir", "../outside/secret", "/", ".")));
    Gen<Character> type =
        frequency(
            weighted(3, arbitrary().constant('0')),
            weighted(3, arbitrary().constant('2')),
            weighted(2, arbitrary().pick('5', '1')),
            weighted(1, arbitrary().pick('3', '4', '6')));
    Gen<int[]> device = arbitrary().pick(new int[] {0, 0}, new int[] {1, 3}, new int[] {8, 0});
    Gen<Entry> entry = type.zip(name, link, device, (t, n, l, d) -> new Entry(t, n, l, d[0], d[1]));
    return lists().of(entry).ofSizeBetween(1, 8);
  }

  private static byte[] tar(List<Entry> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Entry e : entries) {
        TarArchiveEntry t = new TarArchiveEntry(e.name(), (byte) e.type(), true);
        String link = e.link().replace("OUTSIDE", outside.toString());
        byte[] content = new byte[0];
        switch (e.type()) {
          case '1', '2' -> t.setLinkName(link);
          case '3', '4' -> {
            t.setDevMajor(e.major());
            t.setDevMinor(e.minor());
          }
          case '0' -> content = "pwned".getBytes(StandardCharsets.UTF_8);
          default -> {}
        }
        t.setMode(e.type() == TarConstants.LF_DIR ? 0755 : 0644);
        t.setSize(content.length);
        tar.putArchiveEntry(t);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  /** Every path under {@code dir} (links not followed) with its type, size and content. */
  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> all = new TreeMap<>();
    for (Path p : walk(dir)) {
      String what =
          Files.isSymbolicLink(p)
              ? "link " + Files.readSymbolicLink(p)
              : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                  ? "file "
                      + Files.readString(p)
                      + " "
                      + Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS)
                  : "dir";
      all.put(
          dir.relativize(p).toString(),
          what + " " + Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS));
    }
    return all;
  }

  private static List<Object> inodesOutside() throws IOException {
    List<Object> inodes = new ArrayList<>();
    for (Path p : walk(outside)) {
      inodes.add(Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS));
    }
    return inodes;
  }

  private static List<Path> walk(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.toList();
    }
  }
}
