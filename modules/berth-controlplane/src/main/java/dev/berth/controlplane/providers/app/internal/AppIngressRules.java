package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrors;
import dev.berth.api.net.IpRange;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks and normalises who may call an app and how the ingress answers them: {@code
 * ipSecurityRestrictions} (each a named CIDR with one action, all rules of the same action), {@code
 * stickySessions.affinity}, {@code corsPolicy}, and the transport Berth serves ({@code tcp} and
 * {@code exposedPort} are refused: Berth's ingress is HTTP only). Stateless.
 *
 * @see <a href="https://learn.microsoft.com/azure/container-apps/ip-restrictions">IP ingress
 *     restrictions</a>
 * @see <a href="https://learn.microsoft.com/azure/container-apps/cors">CORS in Azure Container
 *     Apps</a>
 */
final class AppIngressRules {

  private static final String AT = "properties.configuration.ingress";
  private static final String FIELD = "configuration.ingress";

  /** An HTTP token (RFC 9110 §5.6.2): a method or a header name. */
  private static final Pattern TOKEN = Pattern.compile("[-!#$%&'*+.^_`|~0-9A-Za-z]+");

  /** Text with no blank and no control character: an origin as one header value holds it. */
  private static final Pattern VISIBLE = Pattern.compile("[\\x21-\\x7E\\x{80}-\\x{10FFFF}]+");

  private AppIngressRules() {}

  static void apply(ObjectNode ingress) {
    transport(ingress);
    ipSecurityRestrictions(ingress);
    stickySessions(ingress);
    corsPolicy(ingress);
  }

  private static void transport(ObjectNode ingress) {
    if (ingress.path("transport").asText("").equals("tcp")) {
      throw invalid(
          "transport",
          "Berth's ingress serves HTTP only (transport auto, http or http2); TCP ingress is not"
              + " supported");
    }
    JsonNode exposed = ingress.path("exposedPort");
    if (!exposed.isMissingNode() && !exposed.isNull()) {
      if (!exposed.canConvertToInt()) {
        throw Fields.schema(AT + ".exposedPort");
      }
      if (exposed.asInt() != 0) {
        throw invalid(
            "exposedPort", "exposedPort applies to TCP ingress only (transport tcp); leave it out");
      }
    }
  }

  private static void ipSecurityRestrictions(ObjectNode ingress) {
    ArrayNode rules =
        Fields.array(ingress, "ipSecurityRestrictions", AT + ".ipSecurityRestrictions");
    String first = "";
    for (int i = 0; i < rules.size(); i++) {
      String at = "ipSecurityRestrictions[" + i + "]";
      ObjectNode rule = Fields.element(rules.get(i), AT + "." + at);
      if (Fields.text(rule, "name", AT + "." + at + ".name").isBlank()) {
        throw invalid(at + ".name", "each IP security restriction needs a name");
      }
      Fields.text(rule, "description", AT + "." + at + ".description");
      String range = Fields.text(rule, "ipAddressRange", AT + "." + at + ".ipAddressRange");
      try {
        IpRange.parse(range);
      } catch (IllegalArgumentException e) {
        throw invalid(
            at + ".ipAddressRange",
            e.getMessage() + "; give an IPv4 or IPv6 address or a CIDR range such as 10.0.0.0/8");
      }
      String action = Fields.text(rule, "action", AT + "." + at + ".action");
      String normal =
          switch (action.toLowerCase(Locale.ROOT)) {
            case "allow" -> "Allow";
            case "deny" -> "Deny";
            default ->
                throw invalid(
                    at + ".action", "'" + action + "' is not an action; use 'Allow' or 'Deny'");
          };
      rule.put("action", normal);
      if (first.isEmpty()) {
        first = normal;
      } else if (!first.equals(normal)) {
        throw invalid(
            at + ".action",
            "all IP security restrictions must have the same action: rule 0 is '"
                + first
                + "', this one '"
                + normal
                + "'");
      }
    }
  }

  private static void stickySessions(ObjectNode ingress) {
    if (!ingress.hasNonNull("stickySessions")) {
      return;
    }
    ObjectNode sticky = Fields.object(ingress, "stickySessions", AT + ".stickySessions");
    String affinity = Fields.text(sticky, "affinity", AT + ".stickySessions.affinity");
    String normal = affinity.isEmpty() ? "none" : affinity.toLowerCase(Locale.ROOT);
    if (!normal.equals("sticky") && !normal.equals("none")) {
      throw invalid(
          "stickySessions.affinity",
          "'" + affinity + "' is not an affinity; use 'sticky' or 'none'");
    }
    sticky.put("affinity", normal);
  }

  private static void corsPolicy(ObjectNode ingress) {
    if (!ingress.hasNonNull("corsPolicy")) {
      return;
    }
    String at = AT + ".corsPolicy";
    ObjectNode cors = Fields.object(ingress, "corsPolicy", at);
    ArrayNode origins = strings(cors, "allowedOrigins", at);
    if (origins.isEmpty()) {
      throw invalid(
          "corsPolicy.allowedOrigins", "allowedOrigins is required: name at least one origin");
    }
    for (int i = 0; i < origins.size(); i++) {
      String origin = origins.get(i).asText();
      if (!origin.equals("*") && (!origin.contains("://") || !VISIBLE.matcher(origin).matches())) {
        throw invalid(
            "corsPolicy.allowedOrigins[" + i + "]",
            "'"
                + ArmErrors.printable(origin)
                + "' is not an origin; give scheme and host, such as https://example.com,"
                + " or '*'");
      }
    }
    tokens(cors, "allowedMethods", "a method name");
    tokens(cors, "allowedHeaders", "a header name");
    tokens(cors, "exposeHeaders", "a header name");
    JsonNode maxAge = cors.path("maxAge");
    if (!maxAge.isMissingNode() && !maxAge.isNull()) {
      if (!maxAge.canConvertToInt()) {
        throw Fields.schema(at + ".maxAge");
      }
      if (maxAge.asInt() < 0) {
        throw invalid("corsPolicy.maxAge", "maxAge is a number of seconds, not " + maxAge.asInt());
      }
    }
    JsonNode credentials = cors.path("allowCredentials");
    if (!credentials.isMissingNode() && !credentials.isNull() && !credentials.isBoolean()) {
      throw Fields.schema(at + ".allowCredentials");
    }
  }

  /**
   * An array at {@code name} of HTTP tokens or {@code *}: the ingress writes them into its
   * preflight answers' {@code Access-Control-*} headers, where a line break or a control character
   * would end or break the header.
   */
  private static void tokens(ObjectNode cors, String name, String what) {
    ArrayNode array = strings(cors, name, AT + ".corsPolicy");
    for (int i = 0; i < array.size(); i++) {
      String value = array.get(i).asText();
      if (!value.equals("*") && !TOKEN.matcher(value).matches()) {
        throw invalid(
            "corsPolicy." + name + "[" + i + "]",
            "'"
                + ArmErrors.printable(value)
                + "' is not "
                + what
                + ": one word of letters, digits and !#$%&'*+-.^_`|~, or '*'");
      }
    }
  }

  /** An array of strings at {@code name} (created empty when absent). */
  private static ArrayNode strings(ObjectNode parent, String name, String at) {
    ArrayNode array = Fields.array(parent, name, at + "." + name);
    for (int i = 0; i < array.size(); i++) {
      if (!array.get(i).isTextual() || array.get(i).asText().isBlank()) {
        throw Fields.schema(at + "." + name + "[" + i + "]");
      }
    }
    return array;
  }

  private static dev.berth.api.ArmException invalid(String field, String details) {
    return Fields.invalid(FIELD + "." + field, details).withTarget(AT + "." + field);
  }
}
