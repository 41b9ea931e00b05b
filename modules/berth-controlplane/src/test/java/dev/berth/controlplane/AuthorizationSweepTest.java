package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.internal.ArmRoute;
import dev.berth.controlplane.internal.RouteTable;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.Fakes;
import dev.berth.controlplane.support.Providers;
import dev.berth.http.Route;
import dev.berth.identity.BuiltInRoles;
import dev.berth.identity.IdentityConfig;
import dev.berth.identity.SigningKeys;
import dev.berth.identity.TokenIssuer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every ARM route, generated from the route table and the registered resource types, against each
 * way in without the right to it — no token, an expired one, one signed by another key, {@code alg:
 * none}, another audience, a deleted principal's, a Reader writing, a Contributor of another group
 * — over real HTTP through the real chain (real JWT verification, the real authorizer over the
 * store). Each must be refused with 401 or 403 and the code that says why; 0 bypasses. A route or
 * resource type the generator cannot make a request for fails the test, so new routes join the
 * sweep.
 */
class AuthorizationSweepTest {

  private static final String RG1 = "/subscriptions/" + SUB + "/resourceGroups/rg1";
  private static final String ACR =
      RG1 + "/providers/Microsoft.ContainerRegistry/registries/acrone";
  private static final String APP = RG1 + "/providers/Microsoft.App/containerApps/app1";
  private static final String REVISION = APP + "/revisions/app1--rev1";

  /** One resource of each type, in rg1 (requests are refused before anyone looks it up). */
  private static final Map<String, String> SAMPLES =
      Map.of(
          "microsoft.containerregistry/registries", ACR,
          "microsoft.containerregistry/registries/scopemaps", ACR + "/scopeMaps/mapone",
          "microsoft.containerregistry/registries/tokens", ACR + "/tokens/tokone",
          "microsoft.managedidentity/userassignedidentities",
              RG1 + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1",
          "microsoft.app/managedenvironments",
              RG1 + "/providers/Microsoft.App/managedEnvironments/env1",
          "microsoft.app/containerapps", APP,
          "microsoft.app/containerapps/revisions", REVISION,
          "microsoft.app/containerapps/revisions/replicas", REVISION + "/replicas/r1",
          "microsoft.operationalinsights/workspaces",
              RG1 + "/providers/Microsoft.OperationalInsights/workspaces/ws01");

  /** Routes any authenticated caller may call; their handlers show only what the caller may see. */
  private static final Set<String> OPEN_TO_AUTHENTICATED =
      Set.of(
          "subscriptions.list",
          "tenants.list",
          "subscriptions.get",
          "locations.list",
          "providers.list",
          "providers.get",
          // Azure's "what may I do here": the caller's own permissions, never another's.
          "permissions.list");

  private static List<ResourceType> types;
  private static ArmServer arm;
  private static String operation;
  private static String spAppId;
  private static List<Request> requests;
  private static Map<Attack, String> tokens;

  /** One request the sweep sends, and the route it must reach. */
  record Request(String route, String method, String url) {
    boolean writes() {
      return !method.equals("GET") && !method.equals("HEAD");
    }

    @Override
    public String toString() {
      return route + " " + method + " " + url;
    }
  }

  /** A way in without the right to the route, and how ARM must refuse it. */
  enum Attack {
    NO_TOKEN(401, "AuthenticationFailed"),
    EXPIRED(401, "ExpiredAuthenticationToken"),
    OTHER_KEY(401, "InvalidAuthenticationToken"),
    ALG_NONE(401, "InvalidAuthenticationToken"),
    WRONG_AUDIENCE(401, "InvalidAuthenticationTokenAudience"),
    DELETED_PRINCIPAL(401, "InvalidAuthenticationToken"),
    READER_WRITING(403, "AuthorizationFailed"),
    CONTRIBUTOR_OF_ANOTHER_GROUP(403, "AuthorizationFailed");

    final int status;
    final String code;

    Attack(int status, String code) {
      this.status = status;
      this.code = code;
    }

    /** Whether this attack is meant for the request (a Reader may read, for one). */
    boolean appliesTo(Request r) {
      return switch (this) {
        case READER_WRITING ->
            (r.writes() && !r.url().endsWith("/checkNameAvailability"))
                || r.route().equals("containerApps.logstream");
        case CONTRIBUTOR_OF_ANOTHER_GROUP -> !OPEN_TO_AUTHENTICATED.contains(r.route());
        default -> true;
      };
    }
  }

  @BeforeAll
  static void world() throws Exception {
    arm =
        ArmServer.withTypes(
            store -> {
              types = Providers.all(store, Duration.ofSeconds(1));
              return types;
            });
    for (String rg : new String[] {"rg1", "rg2", "gone"}) {
      arm.put(
          "/subscriptions/" + SUB + "/resourceGroups/" + rg + "?api-version=2021-04-01",
          "owner",
          "{\"location\":\"local\"}");
    }
    Reply delete =
        arm.send(
            "DELETE",
            "/subscriptions/" + SUB + "/resourceGroups/gone?api-version=2021-04-01",
            "owner",
            null);
    operation =
        ResourceId.parse(URI.create(delete.header("Azure-AsyncOperation")).getPath()).name();
    spAppId =
        arm.send(
                "POST",
                "/providers/Berth.Identity/servicePrincipals?api-version=2025-01-01",
                "owner",
                "{\"displayName\":\"x\"}")
            .json()
            .at("/properties/appId")
            .asText();
    Principal c2 =
        arm.principal(
            "c2",
            BuiltInRoles.CONTRIBUTOR,
            ResourceId.parse("/subscriptions/" + SUB + "/resourceGroups/rg2"));
    requests = generate(arm.routes());
    tokens = tokens(c2);
  }

  @AfterAll
  static void stop() throws Exception {
    arm.close();
  }

  private static Map<Attack, String> tokens(Principal c2) {
    Map<Attack, String> t = new LinkedHashMap<>();
    IdentityConfig past =
        arm.identity.withClock(Clock.offset(Clock.systemUTC(), Duration.ofHours(-3)));
    t.put(Attack.EXPIRED, issue(past, arm.keys, Fakes.OWNER, ArmServer.AUDIENCE));
    t.put(
        Attack.OTHER_KEY,
        issue(arm.identity, SigningKeys.ephemeral(), Fakes.OWNER, ArmServer.AUDIENCE));
    String valid = arm.jwt(Fakes.OWNER);
    String none =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    t.put(Attack.ALG_NONE, none + "." + valid.split("\\.")[1] + ".");
    t.put(
        Attack.WRONG_AUDIENCE,
        issue(arm.identity, arm.keys, Fakes.OWNER, IdentityConfig.REGISTRY_AUDIENCE));
    Principal deleted =
        new Principal(
            UUID.randomUUID().toString(),
            Fakes.TENANT,
            UUID.randomUUID().toString(),
            Principal.PrincipalType.ServicePrincipal,
            "deleted");
    t.put(Attack.DELETED_PRINCIPAL, arm.jwt(deleted));
    t.put(Attack.READER_WRITING, arm.jwt(Fakes.READER));
    t.put(Attack.CONTRIBUTOR_OF_ANOTHER_GROUP, arm.jwt(c2));
    return t;
  }

  private static String issue(IdentityConfig c, SigningKeys keys, Principal p, String aud) {
    return new TokenIssuer(c, keys).issue(p, aud, TokenIssuer.Version.V2).accessToken();
  }

  // ---- the generator ----------------------------------------------------------------------

  private static List<Request> generate(RouteTable table) {
    List<Request> out = new ArrayList<>();
    for (Route<ArmRoute> e : table.extensions().routes()) {
      for (String scope : List.of("", "/subscriptions/" + SUB, RG1, ACR)) {
        out.add(new Request(e.payload().name(), e.method(), scope + fill(e.template())));
      }
    }
    for (Route<ArmRoute> e : table.plain().routes()) {
      String name = e.payload().name();
      if (e.payload().anonymous()) {
        continue;
      }
      if (e.template().endsWith("/providers/{namespace}/{rest...}")) {
        boolean inGroup = e.template().startsWith("/subscriptions/{subscriptionId}/resourcegroups");
        out.addAll(generic(name, e.method(), inGroup));
      } else {
        out.add(new Request(name, e.method(), fill(e.template())));
      }
    }
    return out;
  }

  private static String fill(String template) {
    // The one operation there is was started by a resource group delete.
    boolean polling = template.contains("/operation");
    return template
        .replace("{subscriptionId}", SUB)
        .replace("{resourceGroupName}", "rg1")
        .replace("{namespace}", polling ? "Microsoft.Resources" : "Microsoft.App")
        .replace("{location}", "local")
        .replace("{operationId}", operation)
        .replace("{resourceName}", "app1")
        .replace("{revision}", "app1--rev1")
        .replace("{replica}", "r1")
        .replace("{container}", "api")
        .replace("{appId}", spAppId)
        .replace("{userName}", "swept")
        .replace("{name}", UUID.randomUUID().toString());
  }

  /** The generic provider routes, for every registered type, in a group or a subscription. */
  private static List<Request> generic(String route, String method, boolean inGroup) {
    List<Request> out = new ArrayList<>();
    for (ResourceType t : types) {
      String item = SAMPLES.get(t.key());
      assertThat(item).as("a sample resource of " + t.type() + " for the sweep").isNotNull();
      ResourceId parent = ResourceId.parse(item).parent().orElseThrow();
      String collection =
          parent.type().equals(ResourceId.RESOURCE_GROUP_TYPE)
              ? RG1 + "/providers/" + t.type()
              : parent.value() + "/" + t.typePath().replaceAll(".*/", "");
      if (!inGroup) {
        if (method.equals("GET") && t.typePath().indexOf('/') < 0) {
          out.add(new Request(route, method, "/subscriptions/" + SUB + "/providers/" + t.type()));
        }
        if (method.equals("POST")) {
          for (ProviderAction a : t.providerActions()) {
            out.add(
                new Request(
                    route,
                    method,
                    "/subscriptions/" + SUB + "/providers/" + t.namespace() + "/" + a.name()));
          }
        }
        continue;
      }
      switch (method) {
        case "GET" -> {
          out.add(new Request(route, method, item));
          out.add(new Request(route, method, collection));
        }
        case "POST" -> {
          for (String action :
              List.of(
                  "listSecrets",
                  "listCredentials",
                  "restart",
                  "getAuthToken",
                  "sharedKeys",
                  "anything")) {
            out.add(new Request(route, method, item + "/" + action));
          }
        }
        default -> out.add(new Request(route, method, item));
      }
    }
    return out;
  }

  private static String apiVersion(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    if (u.contains("/providers/microsoft.authorization/")) {
      return "2022-04-01";
    }
    if (u.contains("/providers/berth.identity/")) {
      return "2025-01-01";
    }
    if (u.contains("/operationstatuses/") || u.contains("/operationresults/")) {
      return "2021-04-01";
    }
    if (u.contains("/providers/microsoft.containerregistry")) {
      return "2023-07-01";
    }
    if (u.contains("/providers/microsoft.operationalinsights")) {
      return "2022-10-01";
    }
    if (u.contains("/providers/microsoft.managedidentity")) {
      return "2023-01-31";
    }
    if (u.contains("/providers/microsoft.app/") && !u.endsWith("/register")) {
      return "2025-07-01";
    }
    return "2021-04-01";
  }

  /** A list answered with items of rg2 alone, the group the attacking Contributor holds. */
  private static boolean onlyItsOwnGroup(Request r, Reply reply) {
    if (!r.method().equals("GET") || reply.status() != 200 || reply.json() == null) {
      return false;
    }
    JsonNode items = reply.json().path("value");
    if (!items.isArray()) {
      return false;
    }
    String own = ("/subscriptions/" + SUB + "/resourceGroups/rg2").toLowerCase(Locale.ROOT);
    for (JsonNode item : items) {
      String id = item.path("id").asText().toLowerCase(Locale.ROOT);
      if (!(id.equals(own) || id.startsWith(own + "/"))) {
        return false;
      }
    }
    return true;
  }

  // ---- the sweep --------------------------------------------------------------------------

  @Test
  void everyRouteAndEveryResourceTypeIsSwept() {
    Set<String> swept = new LinkedHashSet<>();
    requests.forEach(r -> swept.add(r.route() + " " + r.method()));
    List<Route<ArmRoute>> all = new ArrayList<>(arm.routes().plain().routes());
    all.addAll(arm.routes().extensions().routes());
    for (Route<ArmRoute> e : all) {
      if (e.payload().anonymous()) {
        // Stream routes check their own tokens (StreamTokenSweepTest sweeps them).
        assertThat(e.payload().name())
            .as("the only anonymous routes")
            .matches("metadata|stream\\..+");
        continue;
      }
      assertThat(swept).contains(e.payload().name() + " " + e.method());
    }
    for (ResourceType t : types) {
      assertThat(requests).anyMatch(r -> r.url().startsWith(SAMPLES.get(t.key())));
    }
    assertThat(requests.size()).isGreaterThan(100);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Attack.class)
  void noRouteAnswersWithoutTheRightToIt(Attack attack) throws Exception {
    List<String> bypasses = new ArrayList<>();
    int checked = 0;
    for (Request r : requests) {
      if (!attack.appliesTo(r)) {
        continue;
      }
      checked++;
      String url = r.url() + "?api-version=" + apiVersion(r.url());
      String body = r.writes() ? "{}" : null;
      Reply reply;
      try {
        reply = arm.send(r.method(), url, tokens.get(attack), body);
      } catch (IOException e) {
        bypasses.add(r + " → no reply: " + e);
        continue;
      }
      if (attack == Attack.CONTRIBUTOR_OF_ANOTHER_GROUP && onlyItsOwnGroup(r, reply)) {
        // ARM filters a subscription's lists for a caller with a role inside it
        // (FilteredListsTest): fine, as long as nothing outside the caller's group shows.
        continue;
      }
      String code = reply.json() == null ? null : reply.json().at("/error/code").asText();
      boolean headOk = r.method().equals("HEAD") && reply.status() == attack.status;
      if (!headOk && (reply.status() != attack.status || !attack.code.equals(code))) {
        bypasses.add(r + " → " + reply.status() + " " + reply.raw().body());
      } else if (attack.status == 401 && reply.header("WWW-Authenticate") == null) {
        bypasses.add(r + " → 401 without a challenge");
      }
    }
    assertThat(bypasses).as(attack + ": " + checked + " requests").isEmpty();
    assertThat(checked).isGreaterThan(attack == Attack.READER_WRITING ? 40 : 90);
  }
}
