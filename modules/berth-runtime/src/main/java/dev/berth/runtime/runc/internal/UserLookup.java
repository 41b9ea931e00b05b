package dev.berth.runtime.runc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Turns an image's {@code User} ({@code uid}, {@code uid:gid}, {@code name}, {@code name:group})
 * into numeric ids, reading names from the root file system's {@code /etc/passwd} and {@code
 * /etc/group} as the OCI image spec says, without following links out of the image. Stateless.
 */
public final class UserLookup {

  /** Numeric user and group ids. */
  public record Ids(long uid, long gid) {}

  private UserLookup() {}

  /**
   * @throws IOException naming the user or group that could not be resolved
   */
  public static Ids resolve(String user, Path rootfs) throws IOException {
    try {
      return lookUp(user, rootfs);
    } catch (NumberFormatException e) {
      throw new IOException(
          "the image's user '" + user + "' or its /etc/passwd or /etc/group entry is not a number");
    }
  }

  private static Ids lookUp(String user, Path rootfs) throws IOException {
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

  /** The most of /etc/passwd or /etc/group worth reading; real ones are a few KB. */
  static final long MAX_FILE = 1 << 20;

  private static Optional<String[]> entry(Path file, String key, int field) throws IOException {
    // The files belong to the image: a link (of etc/ or of the file) would be followed on the
    // host, to its own /etc/shadow or to /dev/zero, which never ends.
    if (Files.isSymbolicLink(file.getParent()) || Files.isSymbolicLink(file)) {
      throw new IOException(
          "the image's /"
              + file.getParent().getFileName()
              + "/"
              + file.getFileName()
              + " is a symbolic link; Berth reads users only from a regular file: use a numeric"
              + " uid");
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    if (Files.size(file) > MAX_FILE) {
      throw new IOException(
          "the image's /etc/" + file.getFileName() + " is larger than 1 MiB: use a numeric uid");
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
