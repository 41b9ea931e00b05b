package dev.berth.runtime.runc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserLookupTest {

  @TempDir Path rootfs;

  @BeforeEach
  void etc() throws Exception {
    Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0::/:/bin/sh\napp:x:1000:1001::/:\n");
    Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nstaff:x:50:\n");
  }

  @Test
  void numericUsersNeedNoPasswdFile() throws Exception {
    assertThat(UserLookup.resolve("", rootfs)).isEqualTo(new UserLookup.Ids(0, 0));
    assertThat(UserLookup.resolve("123:456", rootfs)).isEqualTo(new UserLookup.Ids(123, 456));
    assertThat(UserLookup.resolve("1000", rootfs)).isEqualTo(new UserLookup.Ids(1000, 1001));
    assertThat(UserLookup.resolve("77", rootfs)).isEqualTo(new UserLookup.Ids(77, 0));
  }

  @Test
  void namesComeFromTheImagesPasswdAndGroup() throws Exception {
    assertThat(UserLookup.resolve("app", rootfs)).isEqualTo(new UserLookup.Ids(1000, 1001));
    assertThat(UserLookup.resolve("app:staff", rootfs)).isEqualTo(new UserLookup.Ids(1000, 50));
  }

  @Test
  void anUnknownNameIsAClearError() {
    assertThatThrownBy(() -> UserLookup.resolve("nobody", rootfs))
        .hasMessageContaining("user 'nobody'")
        .hasMessageContaining("use a numeric uid");
    assertThatThrownBy(() -> UserLookup.resolve("app:wheel", rootfs))
        .hasMessageContaining("group 'wheel'");
  }

  @Test
  void aPasswdLinkedOutOfTheImageIsNeverRead() throws Exception {
    Files.delete(rootfs.resolve("etc/passwd"));
    Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/dev/zero"));

    assertThatThrownBy(() -> UserLookup.resolve("app", rootfs))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("symbolic link");
  }

  @Test
  void anEtcDirectoryLinkedOutOfTheImageIsNeverRead() throws Exception {
    Path other = Files.createTempDirectory("host-etc");
    Files.writeString(other.resolve("passwd"), "app:x:0:0::/:/bin/sh\n");
    for (Path p : new Path[] {rootfs.resolve("etc/passwd"), rootfs.resolve("etc/group")}) {
      Files.delete(p);
    }
    Files.delete(rootfs.resolve("etc"));
    Files.createSymbolicLink(rootfs.resolve("etc"), other);

    assertThatThrownBy(() -> UserLookup.resolve("app", rootfs))
        .hasMessageContaining("symbolic link");
  }

  @Test
  void aNonNumericIdInPasswdIsAClearError() throws Exception {
    Files.writeString(rootfs.resolve("etc/passwd"), "app:x:lots:1::/:\n");

    assertThatThrownBy(() -> UserLookup.resolve("app", rootfs))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> UserLookup.resolve("99999999999999999999", rootfs))
        .isInstanceOf(IOException.class);
  }
}
