package dev.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Principal;
import dev.berth.api.Principal.PrincipalType;
import dev.berth.api.ResourceId;
import dev.berth.http.Json;
import dev.berth.store.memory.InMemoryResourceStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real azure-identity {@code ManagedIdentityCredential} (MSAL4J's App Service source) gets
 * tokens from {@link ManagedIdentityEndpoint}. MSAL reads {@code IDENTITY_ENDPOINT} and {@code
 * IDENTITY_HEADER} from the process environment only (its override hook is package-private), so the
 * client runs in a child JVM ({@link ManagedIdentityProbe}) with exactly those two variables set.
 */
class ManagedIdentityCredentialIT {

  static final String TENANT = "72f988bf-0000-4000-8000-000000000001";
  static final String ARM_SCOPE = "https://management.azure.com/.default";
  static final BoundIdentity SYSTEM = BoundIdentity.system(principal("0a", "web"));
  static final BoundIdentity PULL =
      BoundIdentity.userAssigned(principal("0b", "pull"), AppDocumentsFixture.uami("pull"));

  @TempDir Path dir;

  TestServer server;
  ReplicaIdentityTable replicas;
  ResourceId web;
  String secret;

  @BeforeEach
  void start() throws Exception {
    IdentityConfig config =
        IdentityConfig.of(TENANT, URI.create("https://127.0.0.1:8443"), dir.resolve("keys"));
    SigningKeys keys = SigningKeys.loadOrCreate(config.keyDirectory());
    // The production path: the app's documents, the table the reconciler fills, the endpoint.
    InMemoryResourceStore store = new InMemoryResourceStore();
    web = AppDocumentsFixture.app(store, "web", SYSTEM, List.of(PULL));
    replicas = new ReplicaIdentityTable(AppIdentities.of(store));
    secret = ReplicaIdentityTable.newSecret();
    // The probe JVM connects from loopback: that is this replica's address.
    replicas.put(
        "web--abc-1", ReplicaIdentityTable.fingerprint(secret), web, Optional.of("127.0.0.1"));
    server =
        TestServer.start(
            new ManagedIdentityEndpoint(config, new TokenIssuer(config, keys), replicas).routes());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void azureIdentityGetsTokensForTheSystemAndAUserAssignedIdentity() throws Exception {
    List<String> answers =
        probe(
            secret,
            "-|" + ARM_SCOPE,
            PULL.principal().appId() + "|" + ARM_SCOPE,
            "-|https://containerregistry.azure.net/.default");

    assertThat(answers).hasSize(3).allSatisfy(a -> assertThat(a).startsWith("OK "));
    JsonNode system = claims(answers.get(0));
    assertThat(system.path("oid").asText()).isEqualTo(SYSTEM.principal().objectId());
    assertThat(system.path("aud").asText()).isEqualTo("https://management.azure.com");
    assertThat(claims(answers.get(1)).path("oid").asText()).isEqualTo(PULL.principal().objectId());
    assertThat(claims(answers.get(2)).path("aud").asText())
        .isEqualTo("https://containerregistry.azure.net");
  }

  @Test
  void azureIdentityReportsTheEndpointsErrorDescription() throws Exception {
    List<String> answers =
        probe(
            secret,
            "aaaaaaaa-0000-4000-8000-0000000000ff|" + ARM_SCOPE,
            "-|https://vault.azure.net/.default");
    List<String> wrongSecret = probe(secret + "x", "-|" + ARM_SCOPE);

    assertThat(answers.get(0))
        .startsWith("ERR ")
        .contains(
            "No user-assigned identity with client_id 'aaaaaaaa-0000-4000-8000-0000000000ff'");
    assertThat(answers.get(1)).startsWith("ERR ").contains("'https://vault.azure.net'");
    assertThat(wrongSecret.get(0)).startsWith("ERR ").contains("does not belong to a running");
  }

  @Test
  void azureIdentityFromAnotherAddressThanTheReplicasGetsTheForbiddenDescription()
      throws Exception {
    // The replica holding this header runs at 127.0.0.2; the probe asks from 127.0.0.1.
    replicas.put(
        "web--abc-1", ReplicaIdentityTable.fingerprint(secret), web, Optional.of("127.0.0.2"));

    List<String> answers = probe(secret, "-|" + ARM_SCOPE);

    assertThat(answers.get(0)).startsWith("ERR ").contains("does not belong to a running");
  }

  /** Runs {@link ManagedIdentityProbe} with a replica's environment; returns its answer lines. */
  private List<String> probe(String identityHeader, String... requests) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ManagedIdentityProbe.class.getName());
    command.addAll(List.of(requests));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    // Any other managed-identity or Azure variable would send MSAL to another source.
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("IDENTITY_")
                    || k.startsWith("MSI_")
                    || k.startsWith("IMDS_")
                    || k.startsWith("AZURE_"));
    env.put(ManagedIdentityEndpoint.ENDPOINT_ENV, server.base() + ManagedIdentityEndpoint.PATH);
    env.put(ManagedIdentityEndpoint.HEADER_ENV, identityHeader);
    Path stderr = dir.resolve("probe.err");
    Path stdout = dir.resolve("probe.out");
    builder.redirectError(stderr.toFile());
    // To files, so that the timeout below bounds a probe that hangs (reading a pipe to its end
    // would wait for it forever).
    builder.redirectOutput(stdout.toFile());
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the probe did not finish in 120 s: " + Files.readString(stderr));
    }
    String out = Files.readString(stdout, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(Files.readString(stderr)).isZero();
    List<String> answers =
        out.lines().filter(l -> l.startsWith("OK ") || l.startsWith("ERR ")).toList();
    assertThat(answers).as(out + Files.readString(stderr)).hasSize(requests.length);
    return answers;
  }

  private static JsonNode claims(String answer) throws Exception {
    String payload = answer.substring(3).split("\\.")[1];
    return Json.parse(Base64.getUrlDecoder().decode(payload));
  }

  private static Principal principal(String n, String name) {
    return new Principal(
        "00000000-0000-4000-8000-0000000000" + n,
        TENANT,
        "aaaaaaaa-0000-4000-8000-0000000000" + n,
        PrincipalType.ServicePrincipal,
        name);
  }
}
