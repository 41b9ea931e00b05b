package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Principal;
import dev.berth.api.acr.Registry;
import dev.berth.http.Json;
import dev.berth.http.Route;
import dev.berth.identity.BuiltInRoles;
import dev.berth.registry.LoginServers.Seeded;
import dev.berth.registry.SweepRequests.Sweep;
import dev.berth.registry.distribution.internal.RegistryRoute;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every route of the registry's data plane, generated from {@link
 * dev.berth.registry.distribution.DistributionApi#routes()} with the path variables of a seeded
 * repository, against each way in without the right to it ({@link Attack}), over real HTTP through
 * the real {@code AcrAccess} and {@code AcrTokenService}. Each must be refused as ACR refuses it:
 * 401 {@code UNAUTHORIZED} and the exact challenge {@code Bearer realm=…,service=…,scope=<the
 * route's scope>}, with {@code error="invalid_token"} after a bad token and {@code
 * error="insufficient_scope"} after a valid one that lacks the action (containerd shows ACR's push
 * refusals as {@code server message: insufficient_scope}, nerdctl issue 2840). 0 bypasses. The
 * scope each route must ask for is derived here, from the distribution and ACR rules, not read back
 * from the server; a token holding exactly that scope must be served (2xx), so the sweep cannot
 * pass by refusing everything. A route the generator cannot build a request for fails the test, so
 * a route added later joins the sweep.
 */
class RegistryAuthorizationSweepTest {

  static final String REPO = "team-b/web";
  static final String FULL = "repository:" + REPO + ":* registry:catalog:*";

  /** The registries swept: roles as actions, anonymous pull enabled, ABAC repository roles. */
  enum Target {
    RBAC,
    ANONYMOUS_PULL,
    ABAC
  }

  /**
   * A way in without the right to a route, the registries it is tried on, and the {@code error} of
   * the challenge that must refuse it (none when no credential was understood).
   */
  enum Attack {
    NO_TOKEN(null, Target.RBAC, Target.ANONYMOUS_PULL, Target.ABAC),
    /** A wrong admin password; the right one while the admin user is disabled. */
    BAD_BASIC(null, Target.RBAC, Target.ANONYMOUS_PULL),
    EXPIRED(Attack.INVALID, Target.RBAC, Target.ANONYMOUS_PULL),
    /** Signed by another key under the key id of Berth's. */
    OTHER_KEY(Attack.INVALID, Target.RBAC, Target.ANONYMOUS_PULL),
    ALG_NONE(Attack.INVALID, Target.RBAC, Target.ANONYMOUS_PULL),
    /** {@code aud} another login server; signed by Berth's key for this registry's instance. */
    WRONG_AUDIENCE(Attack.INVALID, Target.RBAC, Target.ANONYMOUS_PULL),
    /** This login server, but another instance of the registry ({@code registry_instance}). */
    OTHER_INSTANCE(Attack.INVALID, Target.RBAC, Target.ANONYMOUS_PULL),
    /** A refresh token presented as an access token. */
    REFRESH_TOKEN(Attack.INVALID, Target.RBAC, Target.ANONYMOUS_PULL),
    /** An Owner's access token, its principal deleted since. */
    DELETED_PRINCIPAL(Attack.INVALID, Target.RBAC, Target.ANONYMOUS_PULL),
    ACR_PULL_WRITING(Attack.INSUFFICIENT, Target.RBAC),
    READER_WRITING(Attack.INSUFFICIENT, Target.RBAC),
    ACR_PUSH_DELETING(Attack.INSUFFICIENT, Target.RBAC),
    /** A repository-scoped token whose scope map names team-a/api only, as an access token. */
    SCOPE_MAP_OTHER_REPOSITORY(Attack.INSUFFICIENT, Target.RBAC),
    /** The same token's credentials as Basic, directly on the data plane. */
    SCOPE_MAP_BASIC_OTHER_REPOSITORY(Attack.INSUFFICIENT, Target.RBAC),
    /** An Owner's token asked for team-a/api only (so also without the catalog). */
    OWNER_TOKEN_FOR_OTHER_REPOSITORY(Attack.INSUFFICIENT, Target.RBAC),
    /** Repository Contributor under a condition limiting it to {@code team-a/}. */
    ABAC_TEAM_A(Attack.INSUFFICIENT, Target.ABAC);

    private static final String INVALID = "invalid_token";
    private static final String INSUFFICIENT = "insufficient_scope";
    final String error;
    private final List<Target> targets;

    Attack(String error, Target... targets) {
      this.error = error;
      this.targets = List.of(targets);
    }

    List<Target> targets() {
      return targets;
    }

    /** Whether the request is one this attack lacks the right to. */
    boolean appliesTo(Sweep s) {
      String scope = s.scope() == null ? "" : s.scope();
      return switch (this) {
        case ACR_PULL_WRITING, READER_WRITING ->
            scope.endsWith(":pull,push") || scope.endsWith(":delete");
        case ACR_PUSH_DELETING -> scope.endsWith(":delete");
        case SCOPE_MAP_OTHER_REPOSITORY,
            SCOPE_MAP_BASIC_OTHER_REPOSITORY,
            OWNER_TOKEN_FOR_OTHER_REPOSITORY,
            ABAC_TEAM_A ->
            !scope.isEmpty();
        default -> true;
      };
    }
  }

  @TempDir static Path dir;
  static LoginServers servers;
  static final Map<Target, Registry> registries = new EnumMap<>(Target.class);
  static final Map<Target, Seeded> seeded = new EnumMap<>(Target.class);
  static final Map<Target, Principal> allowed = new EnumMap<>(Target.class);
  static SweepTokens tokens;
  static final AtomicInteger requests = new AtomicInteger();
  static final AtomicInteger checks = new AtomicInteger();
  static final AtomicInteger bypasses = new AtomicInteger();
  static final Map<Attack, Integer> perAttack = new ConcurrentSkipListMap<>();

  @BeforeAll
  static void world() throws Exception {
    servers = new LoginServers(dir, 3);
    Registry rbac = servers.add("myacr", p -> p.put("adminUserEnabled", true));
    Registry open = servers.add("openacr", p -> p.put("anonymousPullEnabled", true));
    Registry abac =
        servers.add("abacacr", p -> p.put("roleAssignmentMode", "AbacRepositoryPermissions"));
    registries.put(Target.RBAC, rbac);
    registries.put(Target.ANONYMOUS_PULL, open);
    registries.put(Target.ABAC, abac);
    Principal owner = servers.servicePrincipal("owner");
    servers.assignRole(rbac, owner, BuiltInRoles.OWNER, null);
    servers.assignRole(open, owner, BuiltInRoles.OWNER, null);
    Principal writer = servers.servicePrincipal("repository-contributor");
    servers.assignRole(abac, writer, BuiltInRoles.REPOSITORY_CONTRIBUTOR, null);
    servers.assignRole(abac, writer, BuiltInRoles.REPOSITORY_CATALOG_LISTER, null);
    allowed.put(Target.RBAC, owner);
    allowed.put(Target.ANONYMOUS_PULL, owner);
    allowed.put(Target.ABAC, writer);
    for (Target t : Target.values()) {
      Registry r = registries.get(t);
      String refresh = servers.refreshToken(r, allowed.get(t));
      String push = servers.accessToken(r, refresh, "repository:" + REPO + ":pull,push");
      seeded.put(t, servers.seed(r, REPO, "Bearer " + push));
    }
    tokens = new SweepTokens(servers, registries, owner);
  }

  @AfterAll
  static void report() throws Exception {
    System.out.printf(
        "registry authorization sweep: %d routes, %d requests, %d checks, %d bypasses%n",
        servers.routes.size(), requests.get(), checks.get(), bypasses.get());
    System.out.println("requests per attack: " + perAttack);
    servers.close();
  }

  // ---- the sweep ----------------------------------------------------------------------------

  @Test
  void everyRouteIsSweptWithTheScopeItMustNeed() {
    List<Sweep> sweep = SweepRequests.generate(servers.routes, seeded.get(Target.RBAC));
    Set<String> swept = new LinkedHashSet<>();
    sweep.forEach(s -> swept.add(s.method() + " " + s.template()));
    for (Route<RegistryRoute> e : servers.routes) {
      assertThat(swept).contains(e.method() + " " + e.template());
    }
    assertThat(sweep).hasSizeGreaterThanOrEqualTo(24);
    for (Attack a : Attack.values()) {
      assertThat(sweep.stream().filter(a::appliesTo)).as(a.name()).isNotEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Attack.class)
  void noRouteAnswersWithoutTheRightToIt(Attack attack) throws Exception {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Target target : attack.targets()) {
      Registry registry = registries.get(target);
      String authorization = tokens.of(target, attack);
      for (Sweep s : SweepRequests.generate(servers.routes, seeded.get(target))) {
        if (!attack.appliesTo(s)) {
          continue;
        }
        checked++;
        var reply = send(registry, s, authorization);
        if (attack == Attack.NO_TOKEN && target == Target.ANONYMOUS_PULL && s.reads()) {
          expectServed(target + " anonymous " + s, reply, wrong);
        } else {
          expectRefused(
              target + " " + s,
              reply,
              SweepRequests.challenge(registry, s.scope(), attack.error),
              s.method().equals("HEAD"),
              wrong);
        }
      }
    }
    perAttack.put(attack, checked);
    assertThat(wrong).as(attack + ": " + checked + " requests").isEmpty();
  }

  @Test
  void aTokenHoldingExactlyTheRoutesScopeIsServedOnEveryRoute() throws Exception {
    List<String> wrong = new ArrayList<>();
    int n = 0;
    for (Target target : Target.values()) {
      Registry registry = registries.get(target);
      String refresh = servers.refreshToken(registry, allowed.get(target));
      for (Route<RegistryRoute> e : servers.routes) {
        // Reads share the swept repository; each write gets one of its own, so that a delete or a
        // completed upload does not starve the routes after it.
        Seeded repo = seeded.get(target);
        if (!e.method().equals("GET") && !e.method().equals("HEAD")) {
          String name = "team-b/ok-" + n++;
          String push = servers.accessToken(registry, refresh, "repository:" + name + ":pull,push");
          repo = servers.seed(registry, name, "Bearer " + push);
        }
        Sweep s =
            SweepRequests.generate(servers.routes, repo).stream()
                .filter(x -> x.method().equals(e.method()) && x.template().equals(e.template()))
                .findFirst()
                .orElseThrow();
        String token = servers.accessToken(registry, refresh, s.scope() == null ? "" : s.scope());
        expectServed(target + " " + s, send(registry, s, "Bearer " + token), wrong);
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void theForgedTokensDifferFromAServedOneOnlyInWhatMakesThemForged() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Target target : List.of(Target.RBAC, Target.ANONYMOUS_PULL)) {
      Registry registry = registries.get(target);
      for (Sweep s : SweepRequests.generate(servers.routes, seeded.get(target))) {
        if (s.method().equals("GET") && !s.template().contains("uploads")) {
          expectServed(target + " " + s, send(registry, s, tokens.unforged(target)), wrong);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void aMountFromARepositoryTheCallerCannotReadIsRefusedAndMountsNothing() throws Exception {
    Registry registry = registries.get(Target.RBAC);
    String refresh = servers.refreshToken(registry, allowed.get(Target.RBAC));
    String all = servers.accessToken(registry, refresh, "repository:team-a/secret:pull,push");
    Seeded secret = servers.seed(registry, "team-a/secret", "Bearer " + all);
    String mine = servers.accessToken(registry, refresh, "repository:" + REPO + ":pull,push");
    String mount = "?mount=" + secret.layer() + "&from=team-a/secret";
    Sweep s =
        new Sweep(
            "POST",
            "/v2/{name}/blobs/uploads",
            "/v2/" + REPO + "/blobs/uploads/" + mount,
            null,
            null,
            "repository:" + REPO + ":pull,push repository:team-a/secret:pull");
    List<String> wrong = new ArrayList<>();
    expectRefused(
        "mount " + s,
        send(registry, s, "Bearer " + mine),
        SweepRequests.challenge(registry, s.scope(), "insufficient_scope"),
        false,
        wrong);
    var head =
        servers.send(
            registry,
            "HEAD",
            "/v2/" + REPO + "/blobs/" + secret.layer(),
            "Bearer " + mine,
            null,
            null);
    checks.incrementAndGet();
    assertThat(head.statusCode()).as("the secret layer was not mounted").isEqualTo(404);
    assertThat(wrong).isEmpty();
  }

  // ---- checks -------------------------------------------------------------------------------

  private static HttpResponse<byte[]> send(Registry registry, Sweep s, String authorization)
      throws Exception {
    requests.incrementAndGet();
    return servers.send(registry, s.method(), s.path(), authorization, s.body(), s.type());
  }

  private static void expectServed(String what, HttpResponse<byte[]> reply, List<String> wrong) {
    checks.incrementAndGet();
    if (reply.statusCode() / 100 != 2) {
      wrong.add(what + " → " + reply.statusCode() + " " + text(reply) + " (expected 2xx)");
    }
  }

  /** Status 401, code {@code UNAUTHORIZED} (no body to a HEAD) and exactly this challenge. */
  private static void expectRefused(
      String what, HttpResponse<byte[]> reply, String challenge, boolean head, List<String> wrong)
      throws Exception {
    String got = reply.statusCode() + " " + text(reply);
    checks.incrementAndGet();
    if (reply.statusCode() != 401) {
      if (reply.statusCode() != 403) {
        bypasses.incrementAndGet();
      }
      wrong.add(what + " → " + got + " (BYPASS: expected 401)");
      return;
    }
    if (!head) {
      checks.incrementAndGet();
      JsonNode body = Json.parse(reply.body());
      if (!body.at("/errors/0/code").asText().equals("UNAUTHORIZED")) {
        wrong.add(what + " → " + got + " (expected UNAUTHORIZED)");
      }
    }
    checks.incrementAndGet();
    String header = reply.headers().firstValue("WWW-Authenticate").orElse("(none)");
    if (!header.equals(challenge)) {
      wrong.add(what + " → challenge " + header + ", expected " + challenge);
    }
  }

  private static String text(HttpResponse<byte[]> reply) {
    String s = new String(reply.body(), StandardCharsets.UTF_8);
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
