package dev.berth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Writes the CLI's files that hold secrets (the profile, the registry auth file) the way Berth
 * writes its own: owner-only from the first moment, whole or not at all ({@link PrivateFiles}).
 * Stateless; concurrent writers of one file race (last rename wins).
 */
final class SecretFiles {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SecretFiles() {}

  /** Replaces {@code file} with {@code json}, pretty-printed. */
  static void writeJson(Path file, JsonNode json) {
    try {
      writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Replaces {@code file} with {@code content}, creating its directory (0700) when missing. */
  static void writeAtomically(Path file, byte[] content) {
    try {
      PrivateFiles.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
