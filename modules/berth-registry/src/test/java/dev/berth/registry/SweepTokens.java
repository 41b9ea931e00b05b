package dev.berth.registry;

import static dev.berth.registry.LoginServers.basic;
import static dev.berth.registry.RegistryAuthorizationSweepTest.FULL;
import static dev.berth.registry.RegistryAuthorizationSweepTest.REPO;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import dev.berth.api.Principal;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.acr.Registry;
import dev.berth.http.Json;
import dev.berth.identity.BuiltInRoles;
import dev.berth.registry.RegistryAuthorizationSweepTest.Attack;
import dev.berth.registry.RegistryAuthorizationSweepTest.Target;
import dev.berth.registry.auth.internal.AcrJwt;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code Authorization} header of each {@link Attack} on each registry of the sweep. Forged
 * tokens are an unforged one (full access to the swept repository and the catalog, signed as the
 * token service signs) changed in one way each; the valid ones short of an action come from the
 * real token service, and each is checked to hold what its role gives. Immutable once built.
 */
final class SweepTokens {

  /**
   * Repository Contributor's data actions allowed only under {@code team-a/}, in the form the Azure
   * portal writes such a condition.
   */
  static final String TEAM_A_ONLY;

  static {
    List<String> guards = new ArrayList<>();
    for (String a :
        List.of(
            "content/read", "content/write", "content/delete", "metadata/read", "metadata/write")) {
      guards.add(
          "!(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/" + a + "'})");
    }
    TEAM_A_ONLY =
        "(("
            + String.join(" AND ", guards)
            + ") OR (@Request[Microsoft.ContainerRegistry/registries/repositories:name]"
            + " StringStartsWithIgnoreCase 'team-a/'))";
  }

  private final Map<Target, Map<Attack, String>> headers = new EnumMap<>(Target.class);
  private final Map<Target, String> unforged = new EnumMap<>(Target.class);

  SweepTokens(LoginServers servers, Map<Target, Registry> registries, Principal owner)
      throws Exception {
    for (Target t : Target.values()) {
      headers.put(t, new EnumMap<>(Attack.class));
    }
    Registry rbac = registries.get(Target.RBAC);
    Registry open = registries.get(Target.ANONYMOUS_PULL);
    Registry abac = registries.get(Target.ABAC);
    servers.setAdminPassword(rbac, "admin-secret");
    servers.setAdminPassword(open, "admin-secret"); // its admin user is disabled
    put(Target.RBAC, Attack.BAD_BASIC, basic(rbac.name(), "not-the-admin-secret"));
    put(Target.ANONYMOUS_PULL, Attack.BAD_BASIC, basic(open.name(), "admin-secret"));

    Principal doomed = servers.servicePrincipal("deleted-later");
    for (Target t : List.of(Target.RBAC, Target.ANONYMOUS_PULL)) {
      Registry r = registries.get(t);
      forge(servers, t, r, owner);
      put(t, Attack.REFRESH_TOKEN, "Bearer " + servers.refreshToken(r, owner));
      servers.assignRole(r, doomed, BuiltInRoles.OWNER, null);
      String token = servers.accessToken(r, servers.refreshToken(r, doomed), FULL);
      assertThat(held(token, REPO)).containsExactly("*");
      put(t, Attack.DELETED_PRINCIPAL, "Bearer " + token);
    }
    assertThat(servers.directory.deleteServicePrincipal(doomed.appId())).isTrue();

    // Valid tokens short of an action, as the token service grants them.
    put(Target.RBAC, Attack.ACR_PULL_WRITING, role(servers, rbac, BuiltInRoles.ACR_PULL, "pull"));
    put(Target.RBAC, Attack.READER_WRITING, role(servers, rbac, BuiltInRoles.READER, "pull"));
    put(Target.RBAC, Attack.ACR_PUSH_DELETING, role(servers, rbac, BuiltInRoles.ACR_PUSH, "push"));
    List<String> teamA = new ArrayList<>();
    for (String a : List.of("content/read", "content/write", "content/delete", "metadata/read")) {
      teamA.add("repositories/team-a/api/" + a);
    }
    servers.scopeMapToken(rbac, "team-a-ci", "ci-secret", teamA.toArray(String[]::new));
    String ci = basic("team-a-ci", "ci-secret");
    assertThat(
            held(
                servers.accessTokenWithBasic(rbac, ci, "repository:team-a/api:pull"), "team-a/api"))
        .containsExactly("pull");
    String ciToken = servers.accessTokenWithBasic(rbac, ci, FULL);
    assertThat(held(ciToken, REPO)).isEmpty();
    put(Target.RBAC, Attack.SCOPE_MAP_OTHER_REPOSITORY, "Bearer " + ciToken);
    put(Target.RBAC, Attack.SCOPE_MAP_BASIC_OTHER_REPOSITORY, ci);
    String teamAToken =
        servers.accessToken(rbac, servers.refreshToken(rbac, owner), "repository:team-a/api:*");
    assertThat(held(teamAToken, "team-a/api")).containsExactly("*");
    put(Target.RBAC, Attack.OWNER_TOKEN_FOR_OTHER_REPOSITORY, "Bearer " + teamAToken);

    Principal limited = servers.servicePrincipal("team-a-contributor");
    servers.assignRole(abac, limited, BuiltInRoles.REPOSITORY_CONTRIBUTOR, TEAM_A_ONLY);
    String refresh = servers.refreshToken(abac, limited);
    assertThat(held(servers.accessToken(abac, refresh, "repository:team-a/api:pull"), "team-a/api"))
        .as("the condition parses and grants team-a/")
        .containsExactly("pull");
    String abacToken = servers.accessToken(abac, refresh, FULL);
    assertThat(held(abacToken, REPO)).isEmpty();
    put(Target.ABAC, Attack.ABAC_TEAM_A, "Bearer " + abacToken);
  }

  /** The header of {@code attack} on {@code target}; null for {@link Attack#NO_TOKEN}. */
  String of(Target target, Attack attack) {
    if (attack == Attack.NO_TOKEN) {
      return null;
    }
    assertThat(headers.get(target)).as(attack + " on " + target).containsKey(attack);
    return headers.get(target).get(attack);
  }

  /** What each forged token of {@code target} was made from, unchanged: it must be served. */
  String unforged(Target target) {
    return "Bearer " + unforged.get(target);
  }

  private void put(Target t, Attack a, String header) {
    headers.get(t).put(a, header);
  }

  /** The forged access tokens of {@code r}, each the unforged one changed in one way. */
  private void forge(LoginServers servers, Target t, Registry r, Principal owner) throws Exception {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put(
        "access",
        List.of(
            Map.of("type", "repository", "name", REPO, "actions", List.of("*")),
            Map.of("type", "registry", "name", "catalog", "actions", List.of("*"))));
    claims.put("roles", List.of());
    claims.put("grant_type", "access_token");
    claims.put("oid", owner.objectId());
    Duration lifetime = Duration.ofMinutes(75);
    AcrJwt now = new AcrJwt(servers.keys, Clock.systemUTC());
    String token = now.sign(owner.objectId(), r, lifetime, claims);
    unforged.put(t, token);
    String payload = token.split("\\.")[1];

    AcrJwt past = new AcrJwt(servers.keys, Clock.offset(Clock.systemUTC(), Duration.ofHours(-3)));
    put(t, Attack.EXPIRED, "Bearer " + past.sign(owner.objectId(), r, lifetime, claims));

    RSAKey other = new RSAKeyGenerator(2048).keyID(servers.keys.signingKey().getKeyID()).generate();
    JWSObject resigned =
        new JWSObject(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(JOSEObjectType.JWT)
                .keyID(other.getKeyID())
                .build(),
            new Payload(new Base64URL(payload)));
    resigned.sign(new RSASSASigner(other));
    put(t, Attack.OTHER_KEY, "Bearer " + resigned.serialize());

    String none =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    put(t, Attack.ALG_NONE, "Bearer " + none + "." + payload + ".");

    Registry elsewhere = copy(r, "otheracr.registry.example", r.storageKey());
    put(
        t,
        Attack.WRONG_AUDIENCE,
        "Bearer " + now.sign(owner.objectId(), elsewhere, lifetime, claims));
    Registry earlier = copy(r, r.loginServer(), AcrDocuments.newStorageKey(r.name()));
    put(
        t,
        Attack.OTHER_INSTANCE,
        "Bearer " + now.sign(owner.objectId(), earlier, lifetime, claims));
  }

  /**
   * A token of a principal holding only {@code role}, asked for everything; it must hold {@code
   * has} and not delete.
   */
  private static String role(LoginServers servers, Registry r, String role, String has)
      throws Exception {
    Principal p = servers.servicePrincipal("role-" + role);
    servers.assignRole(r, p, role, null);
    String token = servers.accessToken(r, servers.refreshToken(r, p), FULL);
    assertThat(held(token, REPO)).contains(has).doesNotContain("delete", "*");
    return "Bearer " + token;
  }

  private static Registry copy(Registry r, String loginServer, String storageKey) {
    return new Registry(
        r.id(),
        storageKey,
        loginServer,
        r.adminUserEnabled(),
        r.anonymousPullEnabled(),
        r.network(),
        r.armAudienceAccepted(),
        r.abacMode());
  }

  /** The actions an access token holds on repository {@code name}. */
  static Set<String> held(String token, String name) throws Exception {
    Set<String> actions = new TreeSet<>();
    JsonNode claims = Json.parse(AcrJwt.decodePayloadLikeJavaSdk(token));
    for (JsonNode a : claims.path("access")) {
      if (a.path("type").asText().equals("repository") && a.path("name").asText().equals(name)) {
        a.path("actions").forEach(x -> actions.add(x.asText()));
      }
    }
    return actions;
  }
}
