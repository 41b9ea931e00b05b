package dev.berth.server;

import static dev.berth.server.AgreementWorld.PULL_ID;
import static dev.berth.server.AgreementWorld.PULL_ID_PRINCIPAL;
import static dev.berth.server.AgreementWorld.SYSTEM_PRINCIPAL;
import static dev.berth.server.AgreementWorld.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.identity.BuiltInRoles;
import dev.berth.reconciler.diagnosis.Finding;
import dev.berth.server.AgreementWorld.Entry;
import dev.berth.server.AgreementWorld.Outcome;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One suite for the registry's verdicts and the pull diagnosis' findings: each case sets up the
 * documents, pulls with the production image puller from the production registry (token service,
 * authorizer, distribution API), and diagnoses the failure with the production diagnosis over the
 * ports the server fills from that registry. The registry's HTTP answer (status and ACR code) and
 * the diagnosis' finding must agree: a refusal is explained by exactly the expected cause, and a
 * pull the registry authorizes (it answers 404 NAME_UNKNOWN: no image is ever pushed) gets no cause
 * beyond the missing repository.
 *
 * <p>It lives in berth-server because only the server sees both the registry and the reconciler;
 * the pure verdicts they share are unit-tested in berth-api ({@code dev.berth.api.acr}).
 */
class PullVerdictAgreementTest {

  private static final String MISSING_IMAGE = "Repository api does not exist in myacr";
  private static final String NO_IDENTITY = "{\"type\":\"None\"}";
  private static final String USER_ASSIGNED =
      """
      {"type":"UserAssigned","tenantId":"%s",
       "userAssignedIdentities":{"%s":{"principalId":"%s","clientId":"4024ab25-56a8-4370-aea6-6389221caf29"}}}"""
          .formatted(TENANT, PULL_ID, PULL_ID_PRINCIPAL);
  private static final String BOTH =
      """
      {"type":"SystemAssigned,UserAssigned","tenantId":"%s","principalId":"%s",
       "userAssignedIdentities":{"%s":{"principalId":"%s","clientId":"4024ab25-56a8-4370-aea6-6389221caf29"}}}"""
          .formatted(TENANT, SYSTEM_PRINCIPAL, PULL_ID, PULL_ID_PRINCIPAL);
  private static final String TEAM_A_ONLY =
      "@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringStartsWithIgnoreCase"
          + " 'team-a/'";
  private static final Entry PULL_ID_ENTRY = new Entry.Identity(PULL_ID.value());

  /**
   * One case: the documents, how the app pulls, what the registry must answer, and the causes the
   * diagnosis must find (with the first one's explanation, when given).
   */
  record Case(
      String name,
      Consumer<AgreementWorld> arrange,
      String identity,
      Entry entry,
      int status,
      String code,
      List<String> causes,
      String explanation) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case refused(
      String name,
      Consumer<AgreementWorld> arrange,
      String identity,
      Entry entry,
      int status,
      String code,
      String cause,
      String explanation) {
    return new Case(name, arrange, identity, entry, status, code, List.of(cause), explanation);
  }

  private static Case granted(
      String name, Consumer<AgreementWorld> arrange, String identity, Entry entry) {
    return new Case(name, arrange, identity, entry, 404, "NAME_UNKNOWN", List.of(), null);
  }

  private static Consumer<AgreementWorld> acrPull(String principal) {
    return w -> w.grant(principal, BuiltInRoles.ACR_PULL, null);
  }

  private static Consumer<AgreementWorld> abac(Consumer<AgreementWorld> then) {
    return w ->
        then.accept(w.registry(p -> p.put("roleAssignmentMode", "AbacRepositoryPermissions")));
  }

  static Stream<Case> cases() {
    Entry ciToken = new Entry.Password("ci", "tok-pass");
    return Stream.of(
        // --- policy
        refused(
            "an ARM-audience token while azureADAuthenticationAsArmPolicy is disabled",
            acrPull(PULL_ID_PRINCIPAL)
                .andThen(
                    w ->
                        w.registry(
                            p ->
                                p.withObject("policies")
                                    .putObject("azureADAuthenticationAsArmPolicy")
                                    .put("status", "disabled"))),
            USER_ASSIGNED,
            PULL_ID_ENTRY,
            401,
            "UNAUTHORIZED",
            "myacr refuses ARM-audience tokens",
            null),
        // --- identity
        refused(
            "no registries[] entry and no anonymous pull",
            w -> {},
            NO_IDENTITY,
            new Entry.None(),
            401,
            "UNAUTHORIZED",
            "No registry credentials for server %s",
            null),
        granted(
            "no registries[] entry, anonymous pull enabled",
            w -> w.registry(p -> p.put("anonymousPullEnabled", true)),
            NO_IDENTITY,
            new Entry.None()),
        refused(
            "the entry selects a system identity the app does not have",
            w -> {},
            USER_ASSIGNED,
            new Entry.Identity("system"),
            401,
            "UNAUTHORIZED",
            "App 'web' has no system-assigned identity",
            null),
        // --- role
        refused(
            "an identity with no role",
            w -> {},
            USER_ASSIGNED,
            PULL_ID_ENTRY,
            401,
            "UNAUTHORIZED",
            "The user-assigned identity pull-id cannot pull api from myacr",
            "It has no role on myacr that allows pull (AcrPull)."),
        granted("AcrPull", acrPull(PULL_ID_PRINCIPAL), USER_ASSIGNED, PULL_ID_ENTRY),
        granted(
            "Reader, whose */read holds pull/read",
            w -> w.grant(PULL_ID_PRINCIPAL, BuiltInRoles.READER, null),
            USER_ASSIGNED,
            PULL_ID_ENTRY),
        refused(
            "another identity of the app holds AcrPull",
            acrPull(PULL_ID_PRINCIPAL),
            BOTH,
            new Entry.Identity("system"),
            401,
            "UNAUTHORIZED",
            "The system-assigned identity cannot pull api from myacr",
            "It has no role on myacr that allows pull (AcrPull). The user-assigned identity pull-id"
                + " has AcrPull; point the registry at it."),
        // --- ABAC
        refused(
            "AcrPull on a registry in ABAC mode",
            abac(acrPull(PULL_ID_PRINCIPAL)),
            USER_ASSIGNED,
            PULL_ID_ENTRY,
            401,
            "UNAUTHORIZED",
            "The user-assigned identity pull-id cannot pull api from myacr",
            "Its AcrPull is not honoured: myacr is in ABAC mode (AbacRepositoryPermissions), where"
                + " pulls need Container Registry Repository Reader."),
        refused(
            "an ABAC condition that leaves the repository out",
            abac(w -> w.grant(PULL_ID_PRINCIPAL, BuiltInRoles.REPOSITORY_READER, TEAM_A_ONLY)),
            USER_ASSIGNED,
            PULL_ID_ENTRY,
            401,
            "UNAUTHORIZED",
            "The user-assigned identity pull-id cannot pull api from myacr",
            "Its Container Registry Repository Reader assignment has a condition that does not"
                + " cover repository 'api'."),
        granted(
            "Container Registry Repository Reader without a condition in ABAC mode",
            abac(w -> w.grant(PULL_ID_PRINCIPAL, BuiltInRoles.REPOSITORY_READER, null)),
            USER_ASSIGNED,
            PULL_ID_ENTRY),
        // --- scope-map token
        granted(
            "a token whose scope map pulls every repository",
            w -> w.token("ci", "_repositories_pull", "tok-pass", e -> {}),
            NO_IDENTITY,
            ciToken),
        refused(
            "a token whose scope map leaves the repository out",
            w ->
                w.scopeMap("web-only", "repositories/web/content/read")
                    .token("ci", "web-only", "tok-pass", e -> {}),
            NO_IDENTITY,
            ciToken,
            401,
            "UNAUTHORIZED",
            "Token 'ci' of myacr cannot pull api",
            null),
        refused(
            "a token disabled",
            w ->
                w.token("ci", "_repositories_pull", "tok-pass", e -> {})
                    .put(
                        AgreementWorld.REGISTRY.child("tokens", "ci"),
                        """
                        {"properties":{"scopeMapId":"%s","status":"disabled"}}"""
                            .formatted(
                                AgreementWorld.REGISTRY.child("scopeMaps", "_repositories_pull"))),
            NO_IDENTITY,
            ciToken,
            401,
            "UNAUTHORIZED",
            "Token 'ci' of myacr is disabled",
            null),
        // --- password expiry
        refused(
            "a token password that expired",
            w ->
                w.token(
                    "ci",
                    "_repositories_pull",
                    "tok-pass",
                    e -> e.put("expiry", "2020-01-01T00:00:00Z")),
            NO_IDENTITY,
            ciToken,
            401,
            "UNAUTHORIZED",
            "The password of token 'ci' in secret 'reg-pass' has expired",
            null),
        refused(
            "a token password whose expiry cannot be read",
            w ->
                w.token(
                    "ci", "_repositories_pull", "tok-pass", e -> e.put("expiry", "next tuesday")),
            NO_IDENTITY,
            ciToken,
            401,
            "UNAUTHORIZED",
            "The password of token 'ci' in secret 'reg-pass' has expired",
            null),
        granted(
            "a token password that expires later",
            w ->
                w.token(
                    "ci",
                    "_repositories_pull",
                    "tok-pass",
                    e -> e.put("expiry", "2999-01-01T00:00:00Z")),
            NO_IDENTITY,
            ciToken),
        refused(
            "the admin user disabled",
            w -> {},
            NO_IDENTITY,
            new Entry.Password("myacr", "admin-password"),
            401,
            "UNAUTHORIZED",
            "The admin user of myacr is disabled",
            null),
        granted(
            "the admin user with its second password",
            w -> w.registry(p -> p.put("adminUserEnabled", true)),
            NO_IDENTITY,
            new Entry.Password("myacr", "admin-password2")),
        // --- network rules
        refused(
            "publicNetworkAccess disabled",
            acrPull(PULL_ID_PRINCIPAL)
                .andThen(w -> w.registry(p -> p.put("publicNetworkAccess", "Disabled"))),
            USER_ASSIGNED,
            PULL_ID_ENTRY,
            403,
            "DENIED",
            "myacr has public network access disabled",
            null),
        refused(
            "defaultAction Deny and no ip rule for the outbound address",
            acrPull(PULL_ID_PRINCIPAL)
                .andThen(w -> w.registry(p -> denyWithRule(p, "Allow", "127.0.0.0/29"))),
            USER_ASSIGNED,
            PULL_ID_ENTRY,
            403,
            "DENIED",
            "myacr does not allow the environment's outbound address 127.0.0.12",
            null),
        granted(
            "defaultAction Deny and an ip rule covering the outbound address",
            acrPull(PULL_ID_PRINCIPAL)
                .andThen(w -> w.registry(p -> denyWithRule(p, "Allow", "127.0.0.8/29"))),
            USER_ASSIGNED,
            PULL_ID_ENTRY),
        refused(
            "defaultAction Deny and the covering rule marked Deny, an action ACR does not have",
            acrPull(PULL_ID_PRINCIPAL)
                .andThen(w -> w.registry(p -> denyWithRule(p, "Deny", "127.0.0.8/29"))),
            USER_ASSIGNED,
            PULL_ID_ENTRY,
            403,
            "DENIED",
            "myacr does not allow the environment's outbound address 127.0.0.12",
            null));
  }

  private static void denyWithRule(ObjectNode p, String action, String value) {
    p.withObject("networkRuleSet")
        .put("defaultAction", "Deny")
        .putArray("ipRules")
        .addObject()
        .put("action", action)
        .put("value", value);
  }

  /**
   * {@code berth acr check-access} agrees with the registry's real answer: for every case whose app
   * pulls with an identity, it allows exactly when the registry lets the pull through (404: no
   * image is pushed), and when it denies, it names the status and code the registry answered.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void checkAccessAgreesWithTheRegistrysAnswer(Case c, @TempDir Path dir) throws Exception {
    if (!(c.entry() instanceof Entry.Identity identity)) {
      return; // check-access asks about identities; passwords and anonymous pulls are not one
    }
    try (AgreementWorld world = new AgreementWorld(dir)) {
      c.arrange().accept(world);
      Outcome outcome = world.pull(c.identity(), c.entry());

      // Asked after the pull, which stores the app (whose system identity is a principal).
      JsonNode answer = world.checkAccess(identity.reference());

      System.out.println("CHECK " + c.name() + " -> " + answer);
      boolean refused = outcome.error().status() == 401 || outcome.error().status() == 403;
      assertThat(answer.path("allowed").asBoolean())
          .as("check-access allows exactly when the registry does: %s", answer)
          .isEqualTo(!refused);
      assertThat(answer.path("decidedBy").asText()).isNotBlank();
      assertThat(answer.path("rule").asText()).isNotBlank();
      if (refused) {
        assertThat(answer.path("status").asInt()).isEqualTo(outcome.error().status());
        assertThat(outcome.error().registryCode()).contains(answer.path("code").asText());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theRegistrysAnswerAndTheDiagnosisAgree(Case c, @TempDir Path dir) throws Exception {
    try (AgreementWorld world = new AgreementWorld(dir)) {
      c.arrange().accept(world);

      Outcome outcome = world.pull(c.identity(), c.entry());

      System.out.println(
          "CASE "
              + c.name()
              + " -> "
              + outcome.error().status()
              + " "
              + outcome.error().registryCode()
              + " "
              + outcome.error().step()
              + " "
              + outcome.diagnosis().findings().stream().map(Finding::cause).toList());
      List<Finding> access =
          outcome.diagnosis().findings().stream()
              .filter(f -> !f.cause().equals(MISSING_IMAGE))
              .toList();
      assertThat(outcome.error().status())
          .as("the registry's status (%s)", outcome.error().getMessage())
          .isEqualTo(c.status());
      assertThat(outcome.error().registryCode()).as("the registry's code").contains(c.code());
      boolean refused = c.status() == 401 || c.status() == 403;
      assertThat(!access.isEmpty())
          .as("the diagnosis finds a cause exactly when the registry refuses: %s", access)
          .isEqualTo(refused);
      assertThat(access.stream().map(Finding::cause))
          .containsExactlyElementsOf(
              c.causes().stream().map(cause -> cause.formatted(world.loginServer)).toList());
      if (c.explanation() != null) {
        assertThat(access.get(0).explanation()).isEqualTo(c.explanation());
      }
    }
  }
}
