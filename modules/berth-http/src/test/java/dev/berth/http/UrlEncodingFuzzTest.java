package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * Query and form decoding under random text: it returns or throws {@link
 * MalformedRequestException}, nothing else, and what any encoder writes decodes back to itself.
 */
class UrlEncodingFuzzTest {

  @Property(tries = 1000)
  void anyTextDecodesOrIsMalformedNeverAnythingElse(@ForAll("encodedish") String text) {
    try {
      UrlEncoding.parse(text, MalformedRequestException.Part.QUERY);
    } catch (MalformedRequestException e) {
      assertThat(e.part()).isEqualTo(MalformedRequestException.Part.QUERY);
      assertThat(e.getMessage()).contains("malformed %-escape");
    }
  }

  @Property(tries = 500)
  void whatAnEncoderWritesDecodesToItself(
      @ForAll @Size(max = 5)
          Map<@StringLength(min = 1, max = 20) String, @StringLength(max = 20) String> fields) {
    String encoded =
        fields.entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));

    Map<String, List<String>> decoded =
        UrlEncoding.parse(encoded, MalformedRequestException.Part.BODY);

    assertThat(decoded).hasSameSizeAs(fields);
    fields.forEach((k, v) -> assertThat(decoded.get(k)).containsExactly(v));
  }

  @Example
  void theIssuesExamplesAreMalformed() {
    for (String bad : List.of("api-version=%", "n=%zz", "%=x", "a=%4", "a=%G0")) {
      assertThatThrownBy(() -> UrlEncoding.parse(bad, MalformedRequestException.Part.QUERY))
          .isInstanceOf(MalformedRequestException.class);
    }
  }

  @Provide
  Arbitrary<String> encodedish() {
    return Arbitraries.strings().withChars("%=&+aZ09zG-._~ \u00e9/").ofMaxLength(30);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
