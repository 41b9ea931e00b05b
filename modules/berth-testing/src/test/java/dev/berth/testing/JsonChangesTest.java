package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonChangesTest {

  static JsonNode json(String text) throws Exception {
    return new ObjectMapper().readTree(text);
  }

  @Test
  void namesEachChangedFieldByItsPointerAndEachAddedOrDeletedDocumentWhole() throws Exception {
    JsonChanges changes =
        JsonChanges.between(
            Map.of(
                "a", json("{\"p\":{\"state\":\"Provisioning\",\"n\":1,\"x/y\":1},\"same\":[1]}"),
                "gone", json("{}")),
            Map.of(
                "a",
                    json(
                        "{\"p\":{\"state\":\"Provisioned\",\"n\":1,\"x/y\":2,\"new\":true},\"same\":[1]}"),
                "b", json("{\"k\":1}")));

    assertThat(changes.documents()).containsExactly("a", "b", "gone");
    assertThat(changes.of("a"))
        .extracting(JsonChanges.Change::pointer)
        .containsExactly("/p/state", "/p/x~1y", "/p/new");
    assertThat(changes.at("a", "/p/state").orElseThrow().after()).contains(json("\"Provisioned\""));
    assertThat(changes.at("a", "/p/new").orElseThrow().before()).isEmpty();
    assertThat(changes.at("b", "").orElseThrow().before()).isEmpty();
    assertThat(changes.at("gone", "").orElseThrow().after()).isEmpty();
    assertThat(changes.toString()).contains("a/p/state: \"Provisioning\" -> \"Provisioned\"");
  }

  @Test
  void equalSnapshotsHaveNoChanges() throws Exception {
    Map<String, JsonNode> docs = Map.of("a", json("{\"p\":[1,2]}"));

    assertThat(JsonChanges.between(docs, docs).isEmpty()).isTrue();
    assertThat(JsonChanges.between(docs, docs).toString()).isEqualTo("(no changes)");
  }
}
