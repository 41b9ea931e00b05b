package dev.berth.api.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.net.IpRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of the parts of {@code configuration.ingress} that decide who may call an app
 * and how the ingress answers them: {@code ipSecurityRestrictions}, {@code stickySessions}, {@code
 * corsPolicy}. Lenient (a rule whose range does not parse is dropped: the control plane refused it
 * on write). Immutable.
 *
 * @param ipSecurityRestrictions the rules, all of one action (the control plane checks that)
 * @param sticky {@code stickySessions.affinity} is {@code sticky}
 * @param cors {@code corsPolicy}, when set
 * @see <a href="https://learn.microsoft.com/azure/container-apps/ip-restrictions">IP ingress
 *     restrictions</a>
 */
public record IngressRules(
    List<IpRestriction> ipSecurityRestrictions, boolean sticky, Optional<Cors> cors) {

  /** No restriction, no affinity, no CORS: what an app without these settings has. */
  public static final IngressRules NONE = new IngressRules(List.of(), false, Optional.empty());

  /**
   * One {@code ipSecurityRestrictions[]} rule.
   *
   * @param allow {@code action} is {@code Allow} (else {@code Deny})
   */
  public record IpRestriction(String name, IpRange range, boolean allow) {}

  /** {@code corsPolicy}, each list as stored. */
  public record Cors(
      List<String> allowedOrigins,
      List<String> allowedMethods,
      List<String> allowedHeaders,
      List<String> exposeHeaders,
      int maxAge,
      boolean allowCredentials) {
    public Cors {
      allowedOrigins = List.copyOf(allowedOrigins);
      allowedMethods = List.copyOf(allowedMethods);
      allowedHeaders = List.copyOf(allowedHeaders);
      exposeHeaders = List.copyOf(exposeHeaders);
    }
  }

  public IngressRules {
    ipSecurityRestrictions = List.copyOf(ipSecurityRestrictions);
  }

  /** The rules of an {@code ingress} object (missing: {@link #NONE}). */
  public static IngressRules of(JsonNode ingress) {
    List<IpRestriction> rules = new ArrayList<>();
    for (JsonNode r : ingress.path("ipSecurityRestrictions")) {
      IpRange.tryParse(r.path("ipAddressRange").asText(""))
          .ifPresent(
              range ->
                  rules.add(
                      new IpRestriction(
                          r.path("name").asText(""),
                          range,
                          "allow".equalsIgnoreCase(r.path("action").asText("")))));
    }
    boolean sticky =
        "sticky".equalsIgnoreCase(ingress.path("stickySessions").path("affinity").asText(""));
    JsonNode c = ingress.path("corsPolicy");
    Optional<Cors> cors =
        c.isObject()
            ? Optional.of(
                new Cors(
                    Nodes.strings(c.path("allowedOrigins")),
                    Nodes.strings(c.path("allowedMethods")),
                    Nodes.strings(c.path("allowedHeaders")),
                    Nodes.strings(c.path("exposeHeaders")),
                    c.path("maxAge").asInt(0),
                    c.path("allowCredentials").asBoolean(false)))
            : Optional.empty();
    return new IngressRules(rules, sticky, cors);
  }
}
