package dev.berth.reconciler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.identity.AppIdentities;
import dev.berth.identity.BoundIdentity;
import dev.berth.identity.ReplicaIdentityTable;
import dev.berth.runtime.ReplicaStatus;
import dev.berth.store.Precondition;
import dev.berth.store.memory.InMemoryResourceStore;
import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's side of the identity boundary: a replica's {@code IDENTITY_HEADER} opens its own
 * app's identities, from its own address, while it runs — never another app's, never from
 * elsewhere, never after it stopped.
 */
class IdentityHeadersTest {

  static final String RG = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg";
  static final ResourceId WEB = ResourceId.parse(RG + "/providers/Microsoft.App/containerApps/web");
  static final ResourceId BATCH =
      ResourceId.parse(RG + "/providers/Microsoft.App/containerApps/batch");

  final InMemoryResourceStore store = new InMemoryResourceStore();
  final ReplicaIdentityTable table = new ReplicaIdentityTable(AppIdentities.of(store));
  final IdentityHeaders headers = new IdentityHeaders(table);
  InetAddress webAddress;
  InetAddress batchAddress;

  @BeforeEach
  void twoAppsWithASystemIdentityEach() throws Exception {
    app(WEB, "00000000-0000-4000-8000-00000000000a");
    app(BATCH, "00000000-0000-4000-8000-00000000000b");
    webAddress = InetAddress.getByName("10.213.0.5");
    batchAddress = InetAddress.getByName("10.213.0.6");
  }

  void app(ResourceId id, String principal) throws Exception {
    ObjectNode doc =
        (ObjectNode)
            new ObjectMapper()
                .readTree(
                    """
                    {"identity":{"type":"SystemAssigned","principalId":"%s","tenantId":"t"},
                     "berth":{"systemIdentityClientId":"client-%s"}}
                    """
                        .formatted(principal, id.name()));
    store.put(id, doc, Precondition.NONE);
  }

  /** The principal ids the header opens from {@code from}; empty when it opens nothing. */
  Optional<List<String>> opens(String header, InetAddress from) {
    return table
        .forRequest(header, from)
        .map(ids -> ids.stream().map(BoundIdentity::principal).map(p -> p.objectId()).toList());
  }

  String started(String replica, ResourceId app, InetAddress address) {
    String header = headers.issue(replica, app);
    table.bindAddress(replica, address.getHostAddress());
    return header;
  }

  @Test
  void aReplicaGetsOnlyItsOwnAppsIdentities() {
    String web = started("web--v1-aaaaaaaa", WEB, webAddress);
    String batch = started("batch--v1-bbbbbbbb", BATCH, batchAddress);

    assertThat(opens(web, webAddress)).contains(List.of("00000000-0000-4000-8000-00000000000a"));
    assertThat(opens(batch, batchAddress))
        .contains(List.of("00000000-0000-4000-8000-00000000000b"));
    // Each header is worthless from the other replica's address.
    assertThat(opens(web, batchAddress)).isEmpty();
    assertThat(opens(batch, webAddress)).isEmpty();
  }

  @Test
  void aHeaderWorksOnlyOnceTheRuntimeGaveTheReplicaItsAddressAndStopsWhenItIsRemoved() {
    String header = headers.issue("web--v1-aaaaaaaa", WEB);
    assertThat(opens(header, webAddress)).isEmpty();

    table.bindAddress("web--v1-aaaaaaaa", webAddress.getHostAddress());
    assertThat(opens(header, webAddress)).isPresent();

    headers.remove("web--v1-aaaaaaaa");
    assertThat(opens(header, webAddress)).isEmpty();
  }

  @Test
  void everyStartIssuesANewHeaderAndTheOldOneDies() {
    String first = started("web--v1-aaaaaaaa", WEB, webAddress);
    String second = started("web--v1-aaaaaaaa", WEB, webAddress);

    assertThat(second).isNotEqualTo(first);
    assertThat(opens(first, webAddress)).isEmpty();
    assertThat(opens(second, webAddress)).isPresent();
  }

  @Test
  void aReplicaFoundRunningIsRegisteredForTheAppItsLabelsName() {
    String header = ReplicaIdentityTable.newSecret();
    headers.registerRunning(
        running(
            "batch--v1-cccccccc",
            batchAddress,
            Map.of(
                ReplicaSpecs.APP_LABEL,
                BATCH.value(),
                IdentityHeaders.FINGERPRINT_LABEL,
                ReplicaIdentityTable.fingerprint(header))));

    assertThat(opens(header, batchAddress))
        .contains(List.of("00000000-0000-4000-8000-00000000000b"));
    assertThat(opens(header, webAddress)).isEmpty();
  }

  @Test
  void aReplicaLabelledByAnOlderBerthWithTheHeaderItselfIsStillRecognised() {
    String header = ReplicaIdentityTable.newSecret();
    headers.registerRunning(
        running(
            "web--v1-dddddddd",
            webAddress,
            Map.of(
                ReplicaSpecs.APP_LABEL, WEB.value(), IdentityHeaders.LEGACY_HEADER_LABEL, header)));

    assertThat(opens(header, webAddress)).isPresent();
  }

  @Test
  void aReplicaWithoutAnAppOrAFingerprintOrNotRunningGetsNothing() {
    String header = ReplicaIdentityTable.newSecret();
    String fingerprint = ReplicaIdentityTable.fingerprint(header);
    headers.registerRunning(
        running("x-1", webAddress, Map.of(IdentityHeaders.FINGERPRINT_LABEL, fingerprint)));
    headers.registerRunning(
        running("x-2", webAddress, Map.of(ReplicaSpecs.APP_LABEL, WEB.value())));
    Map<String, String> labels = new HashMap<>();
    labels.put(ReplicaSpecs.APP_LABEL, WEB.value());
    labels.put(IdentityHeaders.FINGERPRINT_LABEL, fingerprint);
    headers.registerRunning(
        new ReplicaStatus(
            "x-3",
            labels,
            ReplicaStatus.State.EXITED,
            webAddress.getHostAddress(),
            Instant.EPOCH,
            Optional.of(1),
            false));

    assertThat(opens(header, webAddress)).isEmpty();
  }

  static ReplicaStatus running(String name, InetAddress address, Map<String, String> labels) {
    return new ReplicaStatus(
        name,
        labels,
        ReplicaStatus.State.RUNNING,
        address.getHostAddress(),
        Instant.EPOCH,
        Optional.empty(),
        false);
  }
}
