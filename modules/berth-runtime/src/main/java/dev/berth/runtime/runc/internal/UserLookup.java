package dev.berth.runtime.runc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Turns an image's {@code User} ({@code uid}, {@code uid:gid}, {@code name}, {@code name:group})
 * into numeric ids, reading names from the root file system's {@code /etc/passwd} and {@code
 * /etc/group} as the OCI image spec says.
 */
public final class UserLookup {

  /** Numeric user and group ids. */
  public record Ids(long uid, long gid) {}

  private UserLookup() {}

  /**
   * @throws IOException naming the user or group that could not be resolved
   */
  public static Ids resolve(String user, Path rootfs) throws IOException {
    if (user.isBlank()) {
      return new Ids(0, 0);
    }
    String[] parts = user.split(":", 2);
    Optional<String[]> passwd = Optional.empty();
    long uid;
    if (isNumber(parts[0])) {
      uid = Long.parseLong(parts[0]);
    } else {
      passwd = entry(rootfs.resolve("etc/passwd"), parts[0], 0);
      if (passwd.isEmpty()) {
        throw new IOException(
            "the image runs as user '"
                + parts[0]
                + "', but the image has no /etc/passwd entry for it: use a numeric uid");
      }
      uid = Long.parseLong(passwd.get()[2]);
    }
    if (parts.length == 2) {
      if (isNumber(parts[1])) {
        return new Ids(uid, Long.parseLong(parts[1]));
      }
      Optional<String[]> group = entry(rootfs.resolve("etc/group"), parts[1], 0);
      if (group.isEmpty()) {
        throw new IOException(
            "the image runs as group '"
                + parts[1]
                + "', but the image has no /etc/group entry for it: use a numeric gid");
      }
      return new Ids(uid, Long.parseLong(group.get()[2]));
    }
    if (passwd.isEmpty()) {
      passwd = entry(rootfs.resolve("etc/passwd"), Long.toString(uid), 2);
    }
    return new Ids(uid, passwd.map(fields -> Long.parseLong(fields[3])).orElse(0L));
  }

  private static Optional<String[]> entry(Path file, String key, int field) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(file);
    return lines.stream()
        .map(line -> line.split(":", -1))
        .filter(fields -> fields.length > 3 && fields[field].equals(key))
        .findFirst();
  }

  private static boolean isNumber(String text) {
    return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
  }
}
