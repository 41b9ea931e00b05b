package dev.berth.api.acr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.acr.AccessDecision.Reason;
import dev.berth.api.acr.AccessDecision.Refusal;
import dev.berth.api.net.IpRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A registry's network rules and the one check of an address against them: {@code
 * publicNetworkAccess: Disabled} refuses everyone, {@code networkRuleSet.defaultAction: Deny}
 * everyone outside the IPv4 {@code ipRules} (a bare address is a /32). Loopback is not special. The
 * registry judges the connection's peer address with it, the pull diagnosis the environment's
 * outbound address. Immutable.
 *
 * @param ipRules the {@code value} of each rule whose {@code action} is {@code Allow} (ACR's only
 *     action; a rule marked otherwise admits nobody)
 * @see <a
 *     href="https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks">ACR
 *     network rules</a> (docs/registry-auth.md, "Policies and their errors")
 */
public record NetworkRules(
    boolean publicNetworkAccess, boolean denyByDefault, List<String> ipRules) {

  public NetworkRules {
    ipRules = List.copyOf(ipRules);
  }

  /** The rules of a registry document's {@code properties}, with ACR's defaults for absent ones. */
  public static NetworkRules from(JsonNode properties) {
    JsonNode set = properties.path("networkRuleSet");
    List<String> rules = new ArrayList<>();
    for (JsonNode rule : set.path("ipRules")) {
      // The wire name is "value"; "ipAddressOrRange" is the SDKs' name for it, seen in hand-written
      // documents. IPRule.action has one value in ACR's API, Allow, which is also its default.
      String value = rule.path("value").asText(rule.path("ipAddressOrRange").asText(""));
      if (!value.isBlank() && "Allow".equalsIgnoreCase(rule.path("action").asText("Allow"))) {
        rules.add(value.strip());
      }
    }
    return new NetworkRules(
        !"Disabled".equalsIgnoreCase(properties.path("publicNetworkAccess").asText("Enabled")),
        "Deny".equalsIgnoreCase(set.path("defaultAction").asText("Allow")),
        rules);
  }

  /**
   * Whether a client at {@code address} may connect.
   *
   * @param address the IP address in text, or empty when unknown (which no rule covers)
   * @return every reason that refuses it; the registry answers 403 {@code DENIED} with ACR's
   *     firewall message
   */
  public AccessDecision decide(Optional<String> address) {
    if (publicNetworkAccess && !denyByDefault) {
      return AccessDecision.granted("the network rules");
    }
    String ip = address.orElse("unknown");
    String message =
        "client with IP '"
            + ip
            + "' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.";
    List<Refusal> refusals = new ArrayList<>();
    if (!publicNetworkAccess) {
      refusals.add(new Refusal(Reason.PUBLIC_NETWORK_DISABLED, ip, message));
    }
    if (denyByDefault && !address.map(this::covers).orElse(false)) {
      refusals.add(new Refusal(Reason.ADDRESS_NOT_ALLOWED, ip, message));
    }
    return refusals.isEmpty() ? AccessDecision.granted("an IP rule") : AccessDecision.of(refusals);
  }

  /** True when the IPv4 {@code address} lies in one of the rules; malformed rules cover nothing. */
  public boolean covers(String address) {
    // ACR's IP rules are IPv4 only: an IPv6 client, or an IPv6 rule, matches nothing.
    if (address.indexOf(':') >= 0) {
      return false;
    }
    for (String rule : ipRules) {
      // A malformed rule admits nobody; the control plane validates rules on write.
      if (rule.indexOf(':') < 0
          && IpRange.tryParse(rule).map(r -> r.contains(address)).orElse(false)) {
        return true;
      }
    }
    return false;
  }
}
