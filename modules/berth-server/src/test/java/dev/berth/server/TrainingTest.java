package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which busybox the start-up training may build a runnable image from. */
class TrainingTest {

  @Test
  void debiansBusyboxStaticIsAStaticExecutable() {
    Path busybox = Path.of("/bin/busybox");
    assertThat(busybox)
        .as("this test needs busybox-static (apt-get install busybox-static)")
        .exists();

    assertThat(Training.staticExecutable(busybox)).contains(busybox);
  }

  @Test
  void aDynamicallyLinkedExecutableIsNot() {
    Path sh = Path.of("/bin/sh").toAbsolutePath();

    assertThat(Training.staticExecutable(sh)).isEmpty();
  }

  @Test
  void aScriptOrAFileThatIsNotExecutableIsNot(@TempDir Path dir) throws Exception {
    Path script = Files.writeString(dir.resolve("run"), "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path copy = Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"));
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(Training.staticExecutable(script)).isEmpty();
    assertThat(Training.staticExecutable(copy)).isEmpty();
    assertThat(Training.staticExecutable(dir.resolve("missing"))).isEmpty();
  }
}
