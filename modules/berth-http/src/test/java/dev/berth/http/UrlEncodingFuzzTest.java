package dev.berth.http;

import static dev.berth.testing.Fuzz.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.berth.testing.Fuzz;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Query and form decoding under random text: it returns or throws {@link
 * MalformedRequestException}, nothing else, and what any encoder writes decodes back to itself.
 */
class UrlEncodingFuzzTest {

  @Test
  void anyTextDecodesOrIsMalformedNeverAnythingElse() {
    qt(1000)
        .forAll(Fuzz.strings("%=&+aZ09zG-._~ \u00e9/", 0, 30))
        .checkAssert(
            text -> {
              try {
                UrlEncoding.parse(text, MalformedRequestException.Part.QUERY);
              } catch (MalformedRequestException e) {
                assertThat(e.part()).isEqualTo(MalformedRequestException.Part.QUERY);
                assertThat(e.getMessage()).contains("malformed %-escape");
              }
            });
  }

  @Test
  void whatAnEncoderWritesDecodesToItself() {
    qt(500).forAll(fields()).checkAssert(UrlEncodingFuzzTest::decodesToItself);
  }

  private static void decodesToItself(Map<String, String> fields) {
    String encoded =
        fields.entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));

    Map<String, List<String>> decoded =
        UrlEncoding.parse(encoded, MalformedRequestException.Part.BODY);

    assertThat(decoded).hasSameSizeAs(fields);
    fields.forEach((k, v) -> assertThat(decoded.get(k)).containsExactly(v));
  }

  @Test
  void theIssuesExamplesAreMalformed() {
    for (String bad : List.of("api-version=%", "n=%zz", "%=x", "a=%4", "a=%G0")) {
      assertThatThrownBy(() -> UrlEncoding.parse(bad, MalformedRequestException.Part.QUERY))
          .isInstanceOf(MalformedRequestException.class);
    }
  }

  /** Up to five fields: names of 1 to 20 characters of any kind, values of up to 20. */
  private static Gen<Map<String, String>> fields() {
    Gen<Map.Entry<String, String>> field = Fuzz.text(1, 20).zip(Fuzz.text(0, 20), Map::entry);
    // A list, not a map generator: two equal names must not fail the generator.
    return lists()
        .of(field)
        .ofSizeBetween(0, 5)
        .map(
            list -> {
              Map<String, String> map = new LinkedHashMap<>();
              list.forEach(e -> map.put(e.getKey(), e.getValue()));
              return map;
            });
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
