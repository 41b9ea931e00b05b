package dev.berth.api;

import static dev.berth.testing.Fuzz.frequency;
import static dev.berth.testing.Fuzz.joined;
import static dev.berth.testing.Fuzz.qt;
import static dev.berth.testing.Fuzz.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.berth.testing.Fuzz;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * ARM resource ids from random segments, keywords and junk: parsing answers an id or an {@link
 * IllegalArgumentException}, nothing else; a parsed id round-trips, is contained in each of its
 * ancestors, and its ancestors end at the tenant root in a bounded number of steps.
 */
class ResourceIdFuzzTest {

  /** A valid parent id, and a type and name for a child of it. */
  record Child(String parent, String type, String name) {}

  @Test
  void parsingAnswersAnIdOrIllegalArgument() {
    qt(1000).forAll(ids()).checkAssert(ResourceIdFuzzTest::parsesOrIsRefused);
  }

  private static void parsesOrIsRefused(String text) {
    Optional<ResourceId> id = ResourceId.tryParse(text);
    if (id.isEmpty()) {
      return;
    }
    ResourceId parsed = id.get();
    assertThat(ResourceId.parse(parsed.value())).isEqualTo(parsed);
    assertThat(parsed.key()).isEqualTo(parsed.value().toLowerCase(Locale.ROOT));
    parsed.type();
    parsed.namespace();
    parsed.name();
    parsed.subscriptionId();
    parsed.resourceGroupName();
    List<ResourceId> chain = parsed.selfAndAncestors();
    assertThat(chain.size()).isLessThanOrEqualTo(parsed.segments().size() + 1);
    assertThat(chain.getLast().isRoot()).isTrue();
    for (ResourceId ancestor : chain) {
      assertThat(ancestor.contains(parsed)).as("%s contains %s", ancestor, parsed).isTrue();
    }
  }

  @Test
  void childrenOfAParsedIdParseAndNameTheirParent() {
    qt(500)
        .forAll(validIds().zip(names(), names(), Child::new))
        .checkAssert(
            c -> {
              ResourceId parent = ResourceId.parse(c.parent());
              Optional<ResourceId> child =
                  ResourceId.tryParse(
                      parent.value() + "/providers/Microsoft.Test/" + c.type() + "/" + c.name());
              child.ifPresent(id -> assertThat(parent.contains(id)).isTrue());
            });
  }

  private static Gen<String> ids() {
    Gen<String> segment =
        frequency(
            weighted(
                5,
                arbitrary()
                    .pick(
                        "subscriptions",
                        "resourceGroups",
                        "providers",
                        "Microsoft.App",
                        "containerApps",
                        "revisions",
                        "Microsoft.Authorization",
                        "roleAssignments",
                        "s1",
                        "rg",
                        "app")),
            weighted(
                1,
                arbitrary()
                    .pick(
                        "",
                        "..",
                        ".",
                        " ",
                        "%2F",
                        "\u0000",
                        "\u00e9",
                        "providers ",
                        "x".repeat(300))),
            weighted(1, Fuzz.text(0, 6)));
    return arbitrary()
        .pick("/", "", "//")
        .zip(
            joined(lists().of(segment).ofSizeBetween(0, 14), "/"), (prefix, path) -> prefix + path);
  }

  private static Gen<String> validIds() {
    return arbitrary()
        .pick(
            "/",
            "/subscriptions/s",
            "/subscriptions/s/resourceGroups/rg",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/a",
            "/subscriptions/s/providers/Microsoft.App/locations/local");
  }

  private static Gen<String> names() {
    return Fuzz.strings(Fuzz.chars('!', '~'), 1, 10);
  }
}
