package dev.berth.api.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.app.Template.Scale;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The scale view reads what ACA's API allows and reads the rest as ACA's defaults. */
class TemplateScaleTest {

  static Scale scale(String json) throws Exception {
    return new Template(new ObjectMapper().readTree("{\"scale\":" + json + "}")).scale();
  }

  @Test
  void aTemplateWithoutScaleReadsAsAcaDefaults() throws Exception {
    Scale none = new Template(new ObjectMapper().readTree("{}")).scale();

    assertThat(none)
        .isEqualTo(new Scale(0, 10, Duration.ofSeconds(300), Duration.ofSeconds(30), 10))
        .isEqualTo(new Scale(0, 10));
  }

  @Test
  void everyFieldIsRead() throws Exception {
    Scale s =
        scale(
            """
            {"minReplicas":2,"maxReplicas":7,"cooldownPeriod":60,"pollingInterval":5,
             "rules":[{"name":"http-rule","http":{"metadata":{"concurrentRequests":"50"}}}]}""");

    assertThat(s).isEqualTo(new Scale(2, 7, Duration.ofSeconds(60), Duration.ofSeconds(5), 50));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a string, as ACA stores it          | {"http":{"metadata":{"concurrentRequests":"50"}}}   | 50
          a number, as some clients send it    | {"http":{"metadata":{"concurrentRequests":50}}}     | 50
          custom of type http (ACA's example)  | {"custom":{"type":"http","metadata":{"concurrentRequests":"7"}}} | 7
          an HTTP rule without the field       | {"http":{"metadata":{}}}                            | 10
          zero, which no rule may hold         | {"http":{"metadata":{"concurrentRequests":"0"}}}    | 10
          not a number                         | {"http":{"metadata":{"concurrentRequests":"many"}}} | 10
          a fraction                           | {"http":{"metadata":{"concurrentRequests":2.5}}}    | 10
          a queue rule, not HTTP               | {"azureQueue":{"queueName":"q","queueLength":5}}    | 10
          """)
  void concurrentRequestsIsTheFirstHttpRulesTarget(String what, String rule, int expected)
      throws Exception {
    assertThat(
            scale("{\"rules\":[{\"name\":\"r\"," + rule.strip().substring(1) + "]}")
                .concurrentRequests())
        .isEqualTo(expected);
  }

  @Test
  void rulesOfKindsBerthDoesNotEvaluateAreNamed() throws Exception {
    Scale s =
        scale(
            """
            {"rules":[{"name":"q","azureQueue":{"queueName":"q"}},
                      {"name":"a","http":{"metadata":{"concurrentRequests":"3"}}},
                      {"name":"t","tcp":{"metadata":{"concurrentConnections":"5"}}},
                      {"name":"k","custom":{"type":"kafka","metadata":{}}},
                      {"name":"h","custom":{"type":"http","metadata":{}}}]}""");

    assertThat(s.unevaluatedRules())
        .containsExactly("azureQueue rule 'q'", "tcp rule 't'", "custom (kafka) rule 'k'");
    assertThat(scale("{\"rules\":[{\"name\":\"a\",\"http\":{}}]}").unevaluatedRules()).isEmpty();
  }

  @Test
  void theFirstHttpRuleCountsAfterRulesOfOtherKinds() throws Exception {
    Scale s =
        scale(
            """
            {"rules":[{"name":"q","azureQueue":{"queueName":"q"}},
                      {"name":"a","http":{"metadata":{"concurrentRequests":"3"}}},
                      {"name":"b","http":{"metadata":{"concurrentRequests":"4"}}}]}""");

    assertThat(s.concurrentRequests()).isEqualTo(3);
  }

  @Test
  void mistypedOrNegativeFieldsReadAsDefaults() throws Exception {
    Scale s =
        scale(
            """
            {"minReplicas":"two","maxReplicas":-1,"cooldownPeriod":-5,"pollingInterval":"10"}""");

    assertThat(s).isEqualTo(new Scale(0, 10, Duration.ofSeconds(300), Duration.ofSeconds(10), 10));
  }
}
