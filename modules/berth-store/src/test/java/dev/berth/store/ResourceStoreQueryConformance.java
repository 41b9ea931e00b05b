package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link ResourceStoreConformance}: {@link ResourceStore#list}, its depths, type filter,
 * order and paging. Drivers extend {@link ResourceStoreConformance}, not this.
 */
public abstract class ResourceStoreQueryConformance extends ResourceStoreWriteConformance {

  private void putAll(ResourceId... ids) {
    for (ResourceId id : ids) {
      store.put(id, body("v", 1), Precondition.NONE);
    }
  }

  private static List<String> keys(Page page) {
    return page.items().stream().map(doc -> doc.id().key()).toList();
  }

  @Test
  void childrenAreTheDocumentsWhoseParentIsTheScope() {
    ResourceId a = app("rg", "a");
    putAll(RG, a, app("rg", "b"), a.child("revisions", "a--1"), app("other", "c"));
    putAll(a.provider("Microsoft.App", "containerApps", "extension"));

    Page page = store.list(Query.children(RG, APPS));

    assertThat(keys(page)).containsExactly(app("rg", "a").key(), app("rg", "b").key());
    assertThat(page.continuation()).isEmpty();
    assertThat(keys(store.list(Query.children(a, APPS))))
        .containsExactly(a.key() + "/providers/microsoft.app/containerapps/extension");
  }

  @Test
  void descendantsAreEveryDocumentOfTheTypeBeneathTheScopeButNotTheScope() {
    ResourceId sub = ResourceId.subscription("s");
    putAll(sub, RG, app("rg", "a"), app("rg", "b"), app("rg1", "c"));
    putAll(ResourceId.resourceGroup("s2", "rg").provider("Microsoft.App", "containerApps", "d"));

    assertThat(keys(store.list(Query.descendants(sub, APPS))))
        .containsExactly(app("rg", "a").key(), app("rg", "b").key(), app("rg1", "c").key());
    assertThat(keys(store.list(Query.descendants(RG, APPS))))
        .containsExactly(app("rg", "a").key(), app("rg", "b").key());
    assertThat(store.list(Query.descendants(RG, ResourceId.RESOURCE_GROUP_TYPE)).items()).isEmpty();
  }

  @Test
  void scopesWithLikeWildcardsInTheirNamesMatchOnlyThemselves() {
    ResourceId underscore = ResourceId.resourceGroup("s", "a_b");
    ResourceId percent = ResourceId.resourceGroup("s", "a%");
    putAll(app("a_b", "1"), app("axb", "2"), app("a%", "3"), app("a%z", "4"), app("ab", "5"));

    assertThat(keys(store.list(Query.descendants(underscore, APPS))))
        .containsExactly(app("a_b", "1").key());
    assertThat(keys(store.list(Query.descendants(percent, APPS))))
        .containsExactly(app("a%", "3").key());
    assertThat(store.deleteTree(underscore)).isEqualTo(1);
    assertThat(store.get(app("axb", "2"))).isPresent();
  }

  @Test
  void theTypeFilterIgnoresCase() {
    putAll(app("rg", "a"), RG.provider("Microsoft.ContainerRegistry", "registries", "r"));

    assertThat(keys(store.list(Query.children(RG, "MICROSOFT.APP/CONTAINERAPPS"))))
        .containsExactly(app("rg", "a").key());
    assertThat(keys(store.list(Query.descendants(RG, "microsoft.containerregistry/registries"))))
        .hasSize(1);
  }

  @Test
  void listsUnderTheRootSpanEverySubscription() {
    ResourceId s1 = ResourceId.subscription("s1");
    ResourceId s2 = ResourceId.subscription("S2");
    putAll(s2, s1, ResourceId.resourceGroup("s1", "rg"));
    putAll(ResourceId.resourceGroup("s1", "rg").provider("Microsoft.App", "containerApps", "a"));
    putAll(ResourceId.root().provider("Microsoft.Authorization", "roleAssignments", "x"));

    ResourceId root = ResourceId.root();
    assertThat(keys(store.list(Query.children(root, ResourceId.SUBSCRIPTION_TYPE))))
        .containsExactly("/subscriptions/s1", "/subscriptions/s2");
    assertThat(keys(store.list(Query.children(root, "Microsoft.Authorization/roleAssignments"))))
        .containsExactly("/providers/microsoft.authorization/roleassignments/x");
    assertThat(store.list(Query.descendants(root, APPS)).items()).hasSize(1);
    assertThat(store.list(Query.descendants(root, ResourceId.SUBSCRIPTION_TYPE)).items())
        .extracting(doc -> doc.id().value())
        .containsExactly("/subscriptions/s1", "/subscriptions/S2");
  }

  @Test
  void pagesAreOrderedByKeyAndContinueWhereThePreviousOneEnded() {
    List<String> expected = new ArrayList<>();
    for (String name : List.of("e", "B", "a", "d", "C", "a_", "a0")) {
      putAll(app("rg", name));
      expected.add(app("rg", name).key());
    }
    expected.sort(null);

    List<String> seen = new ArrayList<>();
    Query query = Query.children(RG, APPS).limit(3);
    int pages = 0;
    Optional<String> after = Optional.empty();
    do {
      Page page = store.list(after.map(query::after).orElse(query));
      assertThat(page.items()).hasSizeLessThanOrEqualTo(3);
      seen.addAll(keys(page));
      after = page.continuation();
      pages++;
    } while (after.isPresent());

    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(pages).isEqualTo(3);
    Page exact = store.list(Query.descendants(RG, APPS).limit(expected.size()));
    assertThat(exact.continuation()).isEmpty();
  }

  @Test
  void streamReadsEveryPageInKeyOrder() {
    List<String> expected = new ArrayList<>();
    for (String name : List.of("e", "B", "a", "d", "C", "a_", "a0")) {
      putAll(app("rg", name));
      expected.add(app("rg", name).key());
    }
    expected.sort(null);

    assertThat(store.stream(Query.children(RG, APPS).limit(2)).map(d -> d.id().key()))
        .containsExactlyElementsOf(expected);
    assertThat(store.stream(Query.children(RG, APPS).limit(2)).findFirst())
        .hasValueSatisfying(d -> assertThat(d.id().key()).isEqualTo(expected.get(0)));
    assertThat(store.stream(Query.children(ResourceId.resourceGroup("s", "empty"), APPS)))
        .isEmpty();
  }
}
