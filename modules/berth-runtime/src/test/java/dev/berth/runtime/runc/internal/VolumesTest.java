package dev.berth.runtime.runc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.ReplicaVolume;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An empty folder is made anew at each start, so a link a container left in it (a bundle whose
 * teardown failed, its replica name reused) is never followed as root.
 */
class VolumesTest {

  @TempDir Path dir;

  @Test
  void aLeftoverFolderWithALinkIsReplacedAndTheLinksTargetLeftAlone() throws Exception {
    Path bundle = dir.resolve("bundle");
    Path outside = Files.createDirectory(dir.resolve("outside"));
    Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwx------"));
    Path leftover = Files.createDirectories(bundle.resolve("volumes/0"));
    Files.createSymbolicLink(leftover.resolve("x"), outside);
    Files.writeString(leftover.resolve("old"), "from the last container");

    List<OciSpec.Bind> binds =
        Volumes.prepare(
            bundle,
            List.of(
                ReplicaVolume.emptyDir(
                    "scratch",
                    List.of(
                        new ReplicaVolume.Mount("/scratch", ""),
                        new ReplicaVolume.Mount("/x", "x/y")))));

    Path root = bundle.resolve("volumes/0");
    assertThat(binds)
        .containsExactly(
            new OciSpec.Bind("/scratch", root, false),
            new OciSpec.Bind("/x", root.resolve("x/y"), false));
    assertThat(root.resolve("old")).doesNotExist();
    assertThat(Files.isSymbolicLink(root.resolve("x"))).isFalse();
    assertThat(Files.isDirectory(root.resolve("x/y"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("x"))))
        .isEqualTo("rwxrwxrwx");
    assertThat(outside.resolve("y")).doesNotExist();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outside)))
        .isEqualTo("rwx------");
  }
}
