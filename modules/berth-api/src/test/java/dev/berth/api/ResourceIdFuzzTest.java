package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * ARM resource ids from random segments, keywords and junk: parsing answers an id or an {@link
 * IllegalArgumentException}, nothing else; a parsed id round-trips, is contained in each of its
 * ancestors, and its ancestors end at the tenant root in a bounded number of steps.
 */
class ResourceIdFuzzTest {

  @Property(tries = 1000)
  void parsingAnswersAnIdOrIllegalArgument(@ForAll("ids") String text) {
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

  @Property(tries = 500)
  void childrenOfAParsedIdParseAndNameTheirParent(
      @ForAll("validIds") String text, @ForAll("names") String type, @ForAll("names") String name) {
    ResourceId parent = ResourceId.parse(text);
    Optional<ResourceId> child =
        ResourceId.tryParse(parent.value() + "/providers/Microsoft.Test/" + type + "/" + name);
    child.ifPresent(c -> assertThat(parent.contains(c)).isTrue());
  }

  @Provide
  Arbitrary<String> ids() {
    Arbitrary<String> segment =
        Arbitraries.frequencyOf(
            Tuple.of(
                5,
                Arbitraries.of(
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
            Tuple.of(
                1,
                Arbitraries.of(
                    "", "..", ".", " ", "%2F", "\u0000", "\u00e9", "providers ", "x".repeat(300))),
            Tuple.of(1, Arbitraries.strings().ofMaxLength(6)));
    return segment
        .list()
        .ofMaxSize(14)
        .flatMap(
            parts -> Arbitraries.of("/", "", "//").map(prefix -> prefix + String.join("/", parts)));
  }

  @Provide
  Arbitrary<String> validIds() {
    return Arbitraries.of(
        "/",
        "/subscriptions/s",
        "/subscriptions/s/resourceGroups/rg",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/a",
        "/subscriptions/s/providers/Microsoft.App/locations/local");
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(10);
  }
}
