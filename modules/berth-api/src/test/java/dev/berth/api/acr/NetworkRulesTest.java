package dev.berth.api.acr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.acr.AccessDecision.Reason;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one address check of a registry's network rules, and how the rules are read. */
class NetworkRulesTest {

  private static NetworkRules rules(String json) throws Exception {
    JsonNode properties = new ObjectMapper().readTree(json);
    return NetworkRules.from(properties);
  }

  @ParameterizedTest(name = "{0} in {1} -> {2}")
  @CsvSource({
    "127.0.0.2, 127.0.0.2, true",
    "127.0.0.1, 127.0.0.2, false",
    "127.0.0.1, 127.0.0.2/32, false",
    "127.0.0.12, 127.0.0.12/32, true",
    "127.0.0.12, 127.0.0.8/29, true",
    "127.0.0.12, 127.0.0.0/29, false",
    "10.1.2.3, 10.0.0.0/8, true",
    "11.1.2.3, 10.0.0.0/8, false",
    "192.168.5.9, 192.168.4.0/23, true",
    "192.168.6.1, 192.168.4.0/23, false",
    "8.8.8.8, 0.0.0.0/0, true",
    "127.0.0.12, 127.0.0.12/33, false",
    "::1, 0.0.0.0/0, false",
    "0:0:0:0:0:0:0:1, 127.0.0.1, false",
    "10.0.0.1, not-an-ip, false",
  })
  void anAddressIsCoveredOnlyByAnIpv4RuleWhoseRangeHoldsIt(String ip, String rule, boolean in) {
    assertThat(new NetworkRules(true, true, List.of(rule)).covers(ip)).isEqualTo(in);
  }

  @Test
  void absentPropertiesAreAcrsDefaultsAndLetEveryoneIn() throws Exception {
    NetworkRules rules = rules("{}");

    assertThat(rules).isEqualTo(new NetworkRules(true, false, List.of()));
    assertThat(rules.decide(Optional.empty()).isGranted()).isTrue();
  }

  @Test
  void onlyAllowRulesAdmitAndTheSdkSpellingOfTheValueCounts() throws Exception {
    NetworkRules rules =
        rules(
            """
            {"networkRuleSet":{"defaultAction":"Deny","ipRules":[
              {"action":"Allow","value":"10.0.0.0/8"},
              {"ipAddressOrRange":"127.0.0.8/29"},
              {"action":"Deny","value":"192.168.0.0/16"},
              {"action":"Allow","value":" "}]}}
            """);

    assertThat(rules.ipRules()).containsExactly("10.0.0.0/8", "127.0.0.8/29");
    assertThat(rules.decide(Optional.of("127.0.0.12")).isGranted()).isTrue();
    assertThat(rules.decide(Optional.of("192.168.1.1")).isGranted()).isFalse();
  }

  @Test
  void denyByDefaultRefusesAnAddressNoRuleCoversWithAcrsFirewallAnswer() {
    AccessDecision d =
        new NetworkRules(true, true, List.of("10.0.0.0/8")).decide(Optional.of("127.0.0.12"));

    assertThat(d.refusals()).hasSize(1);
    AccessDecision.Refusal r = d.answer().orElseThrow();
    assertThat(r.reason()).isEqualTo(Reason.ADDRESS_NOT_ALLOWED);
    assertThat(r.reason().status()).isEqualTo(403);
    assertThat(r.reason().code()).isEqualTo("DENIED");
    assertThat(r.message())
        .isEqualTo(
            "client with IP '127.0.0.12' is not allowed access. Refer https://aka.ms/acr/firewall"
                + " to grant access.");
  }

  @Test
  void publicNetworkAccessDisabledOverridesEveryRuleAndAnUnknownAddressIsNeverCovered() {
    NetworkRules disabled = new NetworkRules(false, true, List.of("0.0.0.0/0"));

    assertThat(disabled.decide(Optional.of("127.0.0.12")).refusals())
        .extracting(AccessDecision.Refusal::reason)
        .containsExactly(Reason.PUBLIC_NETWORK_DISABLED);
    assertThat(
            new NetworkRules(true, true, List.of("0.0.0.0/0")).decide(Optional.empty()).refusals())
        .extracting(AccessDecision.Refusal::reason, AccessDecision.Refusal::subject)
        .containsExactly(tuple(Reason.ADDRESS_NOT_ALLOWED, "unknown"));
  }
}
