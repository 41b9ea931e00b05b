package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.api.secrets.SecretSlot;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.memory.InMemoryResourceStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secrets key: made at first start, or read from a file of its own; checked against the store.
 */
class SecretsKeyTest {

  static final String RG = "/subscriptions/s1/resourceGroups/rg1/providers/";
  static final ResourceId APP = ResourceId.parse(RG + "Microsoft.App/containerApps/web");
  static final ResourceId REGISTRY =
      ResourceId.parse(RG + "Microsoft.ContainerRegistry/registries/acr");

  @TempDir Path tmp;
  InMemoryResourceStore store;
  ServerConfig config;

  @BeforeEach
  void aStoreAnOlderBerthWroteInClear() {
    store = new InMemoryResourceStore();
    config = ServerConfig.of(new DataDir(tmp.resolve("data")), "127.0.0.1", 0);
    ObjectNode app = Json.object().put("type", "Microsoft.App/containerApps");
    var secrets = app.putObject("properties").putObject("configuration").putArray("secrets");
    secrets.addObject().put("name", "db").put("value", "db-clear");
    secrets.addObject().put("name", "vault").put("keyVaultUrl", "https://v/secrets/x");
    store.put(APP, app, Precondition.NONE);
    store.put(REGISTRY, Json.object().put("type", AcrDocuments.REGISTRY_TYPE), Precondition.NONE);
    ObjectNode admin = Json.object().put("username", "acr");
    admin.putArray("passwords").addObject().put("name", "password").put("value", "admin-clear");
    store.put(AcrDocuments.adminCredentials(REGISTRY), admin, Precondition.NONE);
  }

  String stored(ResourceId id, String pointer) {
    return store.get(id).orElseThrow().body().at(pointer).asText();
  }

  @Test
  void aFirstStartMakesAPrivateKeyAndSealsWhatWasStoredInClear() throws Exception {
    SecretSealer sealer = SecretsKey.open(config, store);

    Path key = config.dataDir().secretsKey();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(SecretSealer.fromEncoded(Files.readString(key)).keyId()).isEqualTo(sealer.keyId());
    String db = stored(APP, "/properties/configuration/secrets/0/value");
    String admin = stored(AcrDocuments.adminCredentials(REGISTRY), "/passwords/0/value");
    assertThat(sealer.open(db, SecretSlot.appSecret(APP, "db"))).isEqualTo("db-clear");
    assertThat(sealer.open(admin, SecretSlot.adminPassword(REGISTRY, "password")))
        .isEqualTo("admin-clear");
    assertThat(store.get(APP).orElseThrow().body().toString()).doesNotContain("db-clear");
    assertThat(stored(APP, "/properties/configuration/secrets/1/keyVaultUrl"))
        .isEqualTo("https://v/secrets/x");

    // The next start reads the same key and has nothing left to seal.
    String etag = store.get(APP).orElseThrow().etag();
    assertThat(SecretsKey.open(config, store).keyId()).isEqualTo(sealer.keyId());
    assertThat(store.get(APP).orElseThrow().etag()).isEqualTo(etag);
  }

  @Test
  void aKeyFileOfItsOwnIsUsedAndNoKeyIsWrittenInTheDataDirectory() throws Exception {
    String encoded = SecretSealer.newEncodedKey();
    Files.createDirectories(tmp.resolve("kms"));
    Path external = Files.writeString(tmp.resolve("kms/secrets.key"), encoded);

    SecretSealer sealer = SecretsKey.open(config.withSecretsKeyFile(external), store);

    assertThat(sealer.keyId()).isEqualTo(SecretSealer.fromEncoded(encoded).keyId());
    assertThat(config.dataDir().secretsKey()).doesNotExist();
    assertThat(
            sealer.open(
                stored(APP, "/properties/configuration/secrets/0/value"),
                SecretSlot.appSecret(APP, "db")))
        .isEqualTo("db-clear");
  }

  @Test
  void aStoreSealedWithAnotherKeyOrALostKeyStopsTheStartAndNothingIsSealedAnew() throws Exception {
    SecretSealer first = SecretsKey.open(config, store);
    Path other = Files.writeString(tmp.resolve("other.key"), SecretSealer.newEncodedKey());
    String before = store.get(APP).orElseThrow().etag();

    assertThatThrownBy(() -> SecretsKey.open(config.withSecretsKeyFile(other), store))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("were sealed with key " + first.keyId())
        .hasMessageContaining("--secrets-key-file");

    Files.delete(config.dataDir().secretsKey());
    assertThatThrownBy(() -> SecretsKey.open(config, store))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("there is no " + config.dataDir().secretsKey());
    // No new key was made to seal with: the old secrets still open with the old key.
    assertThat(config.dataDir().secretsKey()).doesNotExist();
    assertThat(store.get(APP).orElseThrow().etag()).isEqualTo(before);
  }

  @Test
  void aMissingOrMalformedKeyFileIsNamed() throws Exception {
    Path missing = tmp.resolve("missing.key");
    Path malformed = Files.writeString(tmp.resolve("bad.key"), "not a key");

    assertThatThrownBy(() -> SecretsKey.open(config.withSecretsKeyFile(missing), store))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing + " does not exist");
    assertThatThrownBy(() -> SecretsKey.open(config.withSecretsKeyFile(malformed), store))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(malformed + " is not a key");
  }
}
