package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.client.ArmCallException;
import dev.berth.http.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A container registry's Access keys, Policies and Networking blades: each shows the registry's
 * settings and, to a person whose roles allow the change, the forms that PATCH the registry or call
 * its credential actions. The admin passwords appear only in the answer to an explicit Show or
 * Regenerate (a POST the API authorizes), never in a page loaded with GET. Thread-safe.
 */
public final class RegistryAccessPages {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WRITE = RegistryPages.TYPE + "/write";
  private static final String LIST_CREDENTIALS = RegistryPages.TYPE + "/listCredentials/action";
  private static final String REGENERATE = RegistryPages.TYPE + "/regenerateCredential/action";

  /** One admin password as the Access keys blade shows it: its name, and its value if revealed. */
  public record Password(String name, String value) {}

  private final Pages pages;

  RegistryAccessPages(Pages pages) {
    this.pages = pages;
  }

  List<Route<PageHandler>> routes() {
    String base = RegistryPages.BASE;
    return List.of(
        Route.of("GET", base + "/access-keys", r -> accessKeys(r, List.of())),
        Route.of("POST", base + "/access-keys/admin", this::setAdmin),
        Route.of("POST", base + "/access-keys/show", this::show),
        Route.of("POST", base + "/access-keys/regenerate", this::regenerate),
        Route.of("GET", base + "/policies", this::policies),
        Route.of("POST", base + "/policies", this::savePolicies),
        Route.of("GET", base + "/networking", this::networking),
        Route.of("POST", base + "/networking", this::saveNetworking),
        Route.of("POST", base + "/networking/ip-rules/add", r -> changeIpRule(r, true)),
        Route.of("POST", base + "/networking/ip-rules/remove", r -> changeIpRule(r, false)));
  }

  private void accessKeys(PortalRequest request, List<Password> revealed) {
    ResourceRef ref = RegistryPages.ref(request);
    JsonNode p = RegistryPages.registry(request, ref).path("properties");
    Permissions may = Permissions.at(request.arm(), ref.id());
    Map<String, Object> params = new HashMap<>();
    params.put("adminUserEnabled", p.path("adminUserEnabled").asBoolean());
    params.put("loginServer", p.path("loginServer").asText());
    params.put("revealed", revealed);
    params.put("canWrite", may.allows(WRITE));
    params.put("canShow", may.allows(LIST_CREDENTIALS));
    params.put("canRegenerate", may.allows(REGENERATE));
    Blades.send(
        pages, request, ref, RegistryPages.MENU, "access-keys", "registry/access-keys.jte", params);
  }

  private void setAdmin(PortalRequest request) {
    ResourceRef ref = RegistryPages.ref(request);
    boolean enabled = bool(request, "enabled");
    ObjectNode body = JSON.createObjectNode();
    body.putObject("properties").put("adminUserEnabled", enabled);
    request.arm().patch(ref.id() + RegistryPages.API, body);
    Blades.redirect(request, ref.href("access-keys"));
  }

  /** {@code listCredentials}: the one answer that holds the values, rendered once, never kept. */
  private void show(PortalRequest request) {
    ResourceRef ref = RegistryPages.ref(request);
    JsonNode creds = request.arm().post(ref.id() + "/listCredentials" + RegistryPages.API, null);
    accessKeys(request, passwords(creds));
  }

  private void regenerate(PortalRequest request) {
    ResourceRef ref = RegistryPages.ref(request);
    String name = request.form().get("name").orElse("");
    if (!name.equals("password") && !name.equals("password2")) {
      throw new ArmCallException(
          400, "InvalidParameter", "The password to regenerate is 'password' or 'password2'.");
    }
    ObjectNode body = JSON.createObjectNode().put("name", name);
    JsonNode creds =
        request.arm().post(ref.id() + "/regenerateCredential" + RegistryPages.API, body);
    accessKeys(request, passwords(creds));
  }

  private static List<Password> passwords(JsonNode creds) {
    List<Password> out = new ArrayList<>();
    for (JsonNode p : creds.path("passwords")) {
      out.add(new Password(p.path("name").asText(), p.path("value").asText()));
    }
    return out;
  }

  private void policies(PortalRequest request) {
    ResourceRef ref = RegistryPages.ref(request);
    JsonNode p = RegistryPages.registry(request, ref).path("properties");
    Permissions may = Permissions.at(request.arm(), ref.id());
    Map<String, Object> params = new HashMap<>();
    params.put("armPolicy", RegistryPages.armPolicy(p));
    params.put("anonymousPull", p.path("anonymousPullEnabled").asBoolean());
    List<String[]> others = new ArrayList<>();
    p.path("policies")
        .properties()
        .forEach(
            e -> {
              if (!e.getKey().equals("azureADAuthenticationAsArmPolicy")) {
                others.add(new String[] {e.getKey(), e.getValue().path("status").asText()});
              }
            });
    params.put("others", others);
    params.put("canWrite", may.allows(WRITE));
    Blades.send(
        pages, request, ref, RegistryPages.MENU, "policies", "registry/policies.jte", params);
  }

  private void savePolicies(PortalRequest request) {
    ResourceRef ref = RegistryPages.ref(request);
    String arm = request.form().get("armPolicy").orElse("");
    if (!arm.equals("enabled") && !arm.equals("disabled")) {
      throw new ArmCallException(
          400, "InvalidParameter", "Authentication as ARM is 'enabled' or 'disabled'.");
    }
    ObjectNode body = JSON.createObjectNode();
    ObjectNode props = body.putObject("properties");
    props.put("anonymousPullEnabled", bool(request, "anonymousPull"));
    props.putObject("policies").putObject("azureADAuthenticationAsArmPolicy").put("status", arm);
    request.arm().patch(ref.id() + RegistryPages.API, body);
    Blades.redirect(request, ref.href("policies"));
  }

  private void networking(PortalRequest request) {
    ResourceRef ref = RegistryPages.ref(request);
    JsonNode p = RegistryPages.registry(request, ref).path("properties");
    Permissions may = Permissions.at(request.arm(), ref.id());
    List<String> rules = new ArrayList<>();
    p.path("networkRuleSet").path("ipRules").forEach(r -> rules.add(r.path("value").asText()));
    Map<String, Object> params = new HashMap<>();
    params.put("publicNetworkAccess", p.path("publicNetworkAccess").asText("Enabled"));
    params.put("defaultAction", p.path("networkRuleSet").path("defaultAction").asText("Allow"));
    params.put("ipRules", rules);
    params.put("canWrite", may.allows(WRITE));
    Blades.send(
        pages, request, ref, RegistryPages.MENU, "networking", "registry/networking.jte", params);
  }

  private void saveNetworking(PortalRequest request) {
    ResourceRef ref = RegistryPages.ref(request);
    ObjectNode body = JSON.createObjectNode();
    ObjectNode props = body.putObject("properties");
    props.put("publicNetworkAccess", oneOf(request, "publicNetworkAccess", "Enabled", "Disabled"));
    props
        .putObject("networkRuleSet")
        .put("defaultAction", oneOf(request, "defaultAction", "Allow", "Deny"));
    request.arm().patch(ref.id() + RegistryPages.API, body);
    Blades.redirect(request, ref.href("networking"));
  }

  /** Adds or removes one IP rule; the API takes the whole list (a PATCH replaces arrays). */
  private void changeIpRule(PortalRequest request, boolean add) {
    ResourceRef ref = RegistryPages.ref(request);
    String value = request.form().get("value").map(String::strip).orElse("");
    if (value.isEmpty()) {
      throw new ArmCallException(
          400, "InvalidParameter", "Give an IPv4 address or CIDR range, such as 203.0.113.0/24.");
    }
    JsonNode set = RegistryPages.registry(request, ref).path("properties").path("networkRuleSet");
    ObjectNode body = JSON.createObjectNode();
    ObjectNode ruleSet = body.putObject("properties").putObject("networkRuleSet");
    ruleSet.put("defaultAction", set.path("defaultAction").asText("Allow"));
    ArrayNode rules = ruleSet.putArray("ipRules");
    for (JsonNode r : set.path("ipRules")) {
      if (add || !r.path("value").asText().equals(value)) {
        rules.add(r);
      }
    }
    if (add) {
      rules.addObject().put("action", "Allow").put("value", value);
    }
    request.arm().patch(ref.id() + RegistryPages.API, body);
    Blades.redirect(request, ref.href("networking"));
  }

  private static boolean bool(PortalRequest request, String field) {
    return request.form().get(field).map("true"::equals).orElse(false);
  }

  private static String oneOf(PortalRequest request, String field, String a, String b) {
    String v = request.form().get(field).orElse("");
    if (!v.equals(a) && !v.equals(b)) {
      throw new ArmCallException(
          400, "InvalidParameter", "'" + field + "' is '" + a + "' or '" + b + "'.");
    }
    return v;
  }
}
