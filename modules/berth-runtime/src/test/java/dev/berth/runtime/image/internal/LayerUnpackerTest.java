package dev.berth.runtime.image.internal;

import static dev.berth.runtime.image.TestLayers.layer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testing.Exec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class LayerUnpackerTest {

  @TempDir Path dir;

  @Test
  void aTarWithoutItsEndMarkerUnpacksCompletely() throws Exception {
    byte[] tar = layer().file("a", "first").file("b/c", "last entry, unpadded").tarWithoutEnd();
    assertThat(tar.length % 512).isNotZero();

    Path root = unpack(tar, runningAsRoot());

    assertThat(root.resolve("a")).hasContent("first");
    assertThat(root.resolve("b/c")).hasContent("last entry, unpadded");
  }

  @Test
  void modesOwnersLinksAndTimesAreKept() throws Exception {
    assertRoot();
    byte[] tar =
        layer()
            .dir("bin", 0755)
            .file("bin/tool", "#!/bin/sh", 04755, 1000, 1001)
            .hardlink("bin/tool2", "bin/tool")
            .symlink("bin/sh", "/bin/busybox")
            .gzip();

    Path root = unpack(tar, true);

    Path tool = root.resolve("bin/tool");
    assertThat((Integer) Files.getAttribute(tool, "unix:mode") & 07777).isEqualTo(04755);
    assertThat(Files.getAttribute(tool, "unix:uid")).isEqualTo(1000);
    assertThat(Files.getAttribute(tool, "unix:gid")).isEqualTo(1001);
    assertThat(Files.getLastModifiedTime(tool).toMillis()).isEqualTo(1_600_000_000_000L);
    assertThat(Files.isSameFile(tool, root.resolve("bin/tool2"))).isTrue();
    assertThat(Files.readSymbolicLink(root.resolve("bin/sh"))).isEqualTo(Path.of("/bin/busybox"));
  }

  @Test
  void whiteoutsBecomeOverlayWhiteoutsAndOpaqueDirectories() throws Exception {
    assertRoot();
    byte[] tar = layer().file("etc/.wh.passwd", "").file("var/cache/.wh..wh..opq", "").gzip();

    Path root = unpack(tar, true);

    Path whiteout = root.resolve("etc/passwd");
    assertThat(Files.exists(whiteout, LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(Files.getAttribute(whiteout, "unix:mode", LinkOption.NOFOLLOW_LINKS))
        .satisfies(mode -> assertThat((Integer) mode & 0170000).isEqualTo(0020000));
    assertThat(Files.getAttribute(whiteout, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0L);
    assertThat(root.resolve("etc/.wh.passwd")).doesNotExist();
    assertThat(xattr(root.resolve("var/cache"), "trusted.overlay.opaque")).isEqualTo("y");
    assertThat(root.resolve("var/cache/.wh..wh..opq")).doesNotExist();
  }

  @Test
  void anEntryClimbingOutOfTheLayerIsRefused() throws Exception {
    byte[] tar = rawTar("../escaped", "x");

    assertThatThrownBy(() -> unpack(tar, false))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("points outside the layer");
    assertThat(dir.resolve("escaped")).doesNotExist();
  }

  @Test
  void anEntryBeneathASymlinkIsRefused() throws Exception {
    byte[] tar = layer().symlink("etc", "/etc").file("etc/evil", "x").tar();

    assertThatThrownBy(() -> unpack(tar, false))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("beneath the symbolic link 'etc'");
  }

  @Test
  void aLinkReplacingTheRootIsRefusedBeforeAnythingIsWrittenThroughIt() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    byte[] tar = rawTar(List.of(symlinkEntry(".", outside.toString()), fileEntry("planted", "x")));

    assertThatThrownBy(() -> unpack(tar, false))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("would replace the layer's root");
    assertThat(outside.resolve("planted")).doesNotExist();
  }

  @Test
  @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aFifoIsCreatedWithoutHangingTheUnpack() throws Exception {
    assertRoot();
    TarArchiveEntry fifo = new TarArchiveEntry("run/pipe", TarConstants.LF_FIFO, true);
    fifo.setMode(0644);

    Path root = unpack(rawTar(List.of(Map.entry(fifo, new byte[0]))), true);

    assertThat(Files.getAttribute(root.resolve("run/pipe"), "unix:mode"))
        .satisfies(mode -> assertThat((Integer) mode & 0170000).isEqualTo(0010000));
  }

  @Test
  @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aDirectoryLaterReplacedByAFifoDoesNotHangTheUnpack() throws Exception {
    assertRoot();
    // The layer LayerUnpackerFuzzTest found: a directory 'a', a file 'b', a file 'a' in place of
    // the directory, then a FIFO 'a' in place of the file.
    byte[] tar =
        rawTar(
            List.of(
                entry(TarConstants.LF_DIR, "a", 0755, ""),
                entry(TarConstants.LF_NORMAL, "b", 0644, "pwned"),
                entry(TarConstants.LF_NORMAL, "a", 0644, "pwned"),
                entry(TarConstants.LF_FIFO, "a", 0644, "")));

    Path root = unpack(tar, true);

    assertThat((Integer) Files.getAttribute(root.resolve("a"), "unix:mode"))
        .as("a FIFO with the FIFO entry's mode, not the directory's")
        .isEqualTo(0010644);
    assertThat(root.resolve("b")).hasContent("pwned");
  }

  @Test
  void aDirectoryLaterReplacedByASymlinkLeavesWhatTheLinkNamesAlone() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "secret");
    Files.setAttribute(secret, "unix:mode", 0600);
    byte[] tar =
        rawTar(
            List.of(
                entry(TarConstants.LF_DIR, "a", 0777, ""), symlinkEntry("a", secret.toString())));

    Path root = unpack(tar, false);

    assertThat(Files.readSymbolicLink(root.resolve("a"))).isEqualTo(secret);
    assertThat(Files.getAttribute(secret, "unix:mode")).isEqualTo(0100600);
  }

  @Test
  void aDirectoryBeneathAParentLaterReplacedByASymlinkLeavesTheLinksTargetAlone() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside/e"));
    Files.setAttribute(outside, "unix:mode", 0700);
    byte[] tar =
        rawTar(
            List.of(
                entry(TarConstants.LF_DIR, "d", 0755, ""),
                entry(TarConstants.LF_DIR, "d/e", 0777, ""),
                symlinkEntry("d", outside.getParent().toString())));

    unpack(tar, false);

    assertThat(Files.getAttribute(outside, "unix:mode")).isEqualTo(040700);
  }

  @Test
  @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void anEntryBeneathAFifoIsRefused() throws Exception {
    assertRoot();
    byte[] tar =
        rawTar(
            List.of(
                entry(TarConstants.LF_FIFO, "a", 0644, ""),
                entry(TarConstants.LF_NORMAL, "a/.wh..wh..opq", 0644, "")));

    assertThatThrownBy(() -> unpack(tar, true))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("lies beneath 'a', which is not a directory");
  }

  @Test
  void deviceNodesOtherThanWhiteoutsAreSkipped() throws Exception {
    assertRoot();
    TarArchiveEntry disk = new TarArchiveEntry("dev/sda", TarConstants.LF_BLK, true);
    disk.setDevMajor(8);
    TarArchiveEntry mem = new TarArchiveEntry("dev/mem", TarConstants.LF_CHR, true);
    mem.setDevMajor(1);
    mem.setDevMinor(1);

    Path root =
        unpack(rawTar(List.of(Map.entry(disk, new byte[0]), Map.entry(mem, new byte[0]))), true);

    assertThat(root.resolve("dev/sda")).doesNotExist();
    assertThat(root.resolve("dev/mem")).doesNotExist();
  }

  /** An entry of {@code type} as LayerUnpackerFuzzTest writes one: no trailing slash, bare mode. */
  private static Map.Entry<TarArchiveEntry, byte[]> entry(
      byte type, String name, int mode, String content) {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    e.setMode(mode);
    e.setSize(bytes.length);
    return Map.entry(e, bytes);
  }

  private static Map.Entry<TarArchiveEntry, byte[]> symlinkEntry(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    e.setLinkName(target);
    return Map.entry(e, new byte[0]);
  }

  private static Map.Entry<TarArchiveEntry, byte[]> fileEntry(String name, String content) {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    e.setSize(bytes.length);
    return Map.entry(e, bytes);
  }

  private static byte[] rawTar(List<Map.Entry<TarArchiveEntry, byte[]>> entries)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (var e : entries) {
        tar.putArchiveEntry(e.getKey());
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  private Path unpack(byte[] blob, boolean applyOwners) throws IOException {
    Path file = dir.resolve("blob");
    Files.write(file, blob);
    Path root = dir.resolve("layer");
    new LayerUnpacker(new OverlayFiles(), applyOwners).unpack(file, root);
    return root;
  }

  /** commons-compress normalises names on the way out; this writes one entry with a raw name. */
  private static byte[] rawTar(String name, String content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      TarArchiveEntry entry = new TarArchiveEntry(name, true);
      byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
      entry.setSize(bytes.length);
      tar.putArchiveEntry(entry);
      tar.write(bytes);
      tar.closeArchiveEntry();
    }
    return out.toByteArray();
  }

  private static String xattr(Path path, String name) throws Exception {
    return Exec.of("getfattr", "--absolute-names", "--only-values", "-n", name, path.toString())
        .timeout(Duration.ofSeconds(10))
        .run()
        .output()
        .strip();
  }

  private static boolean runningAsRoot() throws IOException {
    return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
  }

  private static void assertRoot() throws IOException {
    assertThat(runningAsRoot())
        .as(
            "this test needs root: overlay whiteouts are 0:0 character devices (mknod) and the"
                + " opaque mark is a trusted.* xattr (setfattr, apt package 'attr')")
        .isTrue();
  }
}
