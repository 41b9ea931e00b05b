package dev.berth.server;

import dev.berth.api.files.PrivateFiles;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.store.ResourceStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key Berth seals secrets with, found at start: the file {@code --secrets-key-file} (or {@code
 * BERTH_SECRETS_KEY_FILE}) names, kept apart from the data directory as a KMS would keep it; else
 * {@code keys/secrets.key} in the data directory, made (0600) at first start. Before anything is
 * sealed with it, every sealed value already in the store must name it: a wrong or lost key stops
 * the start with a message, rather than sealing new secrets with a key the old ones do not open.
 * Then values an older Berth stored in clear are sealed. Stateless.
 */
final class SecretsKey {

  private static final Logger LOG = LoggerFactory.getLogger(SecretsKey.class);

  private SecretsKey() {}

  /**
   * The sealer for this start; the store's clear secrets are sealed with it on the way.
   *
   * @throws IOException naming the key file and what is wrong with it, or the key ids the store's
   *     secrets were sealed with when this key is not theirs
   */
  static SecretSealer open(ServerConfig config, ResourceStore store) throws IOException {
    Optional<Path> external = config.secretsKeyFile();
    Path file = external.orElse(config.dataDir().secretsKey());
    boolean exists = Files.exists(file);
    if (external.isPresent() && !exists) {
      throw new IOException("the secrets key file " + file + " does not exist");
    }
    String fresh = exists ? null : SecretSealer.newEncodedKey();
    SecretSealer sealer = exists ? read(file) : SecretSealer.fromEncoded(fresh);
    TreeSet<String> used = StoredSecrets.keyIds(store);
    used.remove(sealer.keyId());
    if (!used.isEmpty()) {
      throw new IOException(
          "the secrets in "
              + config.storeName()
              + " were sealed with key "
              + String.join(", ", used)
              + ", but "
              + (exists ? "the key in " + file + " is " + sealer.keyId() : "there is no " + file)
              + ". Start with the key they were sealed with (--secrets-key-file or"
              + " BERTH_SECRETS_KEY_FILE); without it they cannot be opened.");
    }
    if (!exists) {
      // Written before anything is sealed with it: no sealed value ever exists without its key.
      PrivateFiles.writeString(file, fresh + "\n");
      LOG.info("made the secrets key {} ({})", file, sealer.keyId());
    }
    int sealed = StoredSecrets.sealClearValues(store, sealer);
    if (sealed > 0) {
      LOG.warn("sealed {} secrets an earlier Berth had stored in clear", sealed);
    }
    return sealer;
  }

  private static SecretSealer read(Path file) throws IOException {
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (mode.stream()
          .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
        LOG.warn("the secrets key {} can be read by other users: chmod 600 it", file);
      }
      return SecretSealer.fromEncoded(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IOException("the secrets key file " + file + " is not a key: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException("cannot read the secrets key file " + file + ": " + e.getMessage(), e);
    }
  }
}
