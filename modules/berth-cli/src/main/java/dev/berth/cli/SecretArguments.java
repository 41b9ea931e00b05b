package dev.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a secret given on the command line comes from, so that it need not appear in the process
 * list or the shell's history: {@code @FILE} reads it from a file (az's convention for values),
 * {@code @-} from standard input (once per command), {@code @@…} is a value that starts with
 * {@code @}; anything else is the value itself. One trailing line break is dropped from what is
 * read ({@code echo s3cret > file}). Not thread-safe (one per command).
 */
final class SecretArguments {

  private final InputStream stdin;
  private String stdinUsedFor;

  SecretArguments(InputStream stdin) {
    this.stdin = stdin;
  }

  /**
   * The value {@code given} stands for.
   *
   * @param what names the value in errors, such as {@code --registry-password} or {@code secret
   *     'db'}
   * @throws CliFailure when the file cannot be read, stdin is asked for twice, or what was read is
   *     empty
   */
  String resolve(String given, String what) {
    if (given == null || !given.startsWith("@")) {
      return given;
    }
    if (given.startsWith("@@")) {
      return given.substring(1);
    }
    String read;
    String source;
    if (given.equals("@-")) {
      if (stdinUsedFor != null) {
        throw new CliFailure(
            "Only one value can come from standard input ('@-'): "
                + stdinUsedFor
                + " already reads it; give "
                + what
                + " as @FILE.");
      }
      stdinUsedFor = what;
      source = "standard input";
      try {
        read = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliFailure("Cannot read " + what + " from standard input: " + e.getMessage());
      }
    } else {
      Path file = Path.of(given.substring(1));
      source = "'" + file + "'";
      try {
        read = Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new CliFailure(
            "Cannot read "
                + what
                + " from "
                + source
                + ": no such file (write @@ for a value that starts with @).");
      } catch (IOException e) {
        throw new CliFailure("Cannot read " + what + " from " + source + ": " + e.getMessage());
      }
    }
    String value = dropOneLineBreak(read);
    if (value.isEmpty()) {
      throw new CliFailure("The value of " + what + " read from " + source + " is empty.");
    }
    return value;
  }

  private static String dropOneLineBreak(String s) {
    if (s.endsWith("\r\n")) {
      return s.substring(0, s.length() - 2);
    }
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }
}
