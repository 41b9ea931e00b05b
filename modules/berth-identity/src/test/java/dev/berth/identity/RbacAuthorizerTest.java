package dev.berth.identity;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.api.RoleAssignment;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.memory.InMemoryResourceStore;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RbacAuthorizerTest {

  static final String SUB = "11111111-2222-4333-8444-555555555555";
  static final ResourceId SUBSCRIPTION = ResourceId.subscription(SUB);
  static final ResourceId RG1 = ResourceId.resourceGroup(SUB, "rg1");
  static final ResourceId RG2 = ResourceId.resourceGroup(SUB, "rg2");
  static final ResourceId APP1 = RG1.provider("Microsoft.App", "containerApps", "app1");
  static final ResourceId APP2 = RG2.provider("Microsoft.App", "containerApps", "app2");
  static final ResourceId ACR = RG1.provider("Microsoft.ContainerRegistry", "registries", "myacr");

  static final Principal ALICE = principal("alice");
  static final Principal BOB = principal("bob");

  static final String APP_WRITE = "Microsoft.App/containerApps/write";
  static final String APP_READ = "Microsoft.App/containerApps/read";
  static final String RA_WRITE = "Microsoft.Authorization/roleAssignments/write";
  static final String PULL = "Microsoft.ContainerRegistry/registries/pull/read";

  final InMemoryResourceStore store = new InMemoryResourceStore();
  final RbacAuthorizer authorizer = new RbacAuthorizer(store, BuiltInRoles.catalog());

  /** role, assignment scope, principal it is assigned to, action, target, expected. */
  static Stream<Arguments> decisions() {
    return Stream.of(
        Arguments.of("Owner", SUBSCRIPTION, ALICE, APP_WRITE, APP1, true),
        Arguments.of("Owner", SUBSCRIPTION, ALICE, RA_WRITE, APP2, true),
        Arguments.of("Owner", ResourceId.root(), ALICE, APP_WRITE, APP2, true),
        Arguments.of("Contributor", SUBSCRIPTION, ALICE, APP_WRITE, APP1, true),
        Arguments.of("Contributor", SUBSCRIPTION, ALICE, RA_WRITE, APP1, false),
        Arguments.of(
            "Contributor",
            SUBSCRIPTION,
            ALICE,
            "Microsoft.Authorization/roleAssignments/delete",
            RG1,
            false),
        Arguments.of(
            "Contributor",
            SUBSCRIPTION,
            ALICE,
            "Microsoft.Authorization/roleAssignments/read",
            RG1,
            true),
        Arguments.of("Reader", SUBSCRIPTION, ALICE, APP_READ, APP1, true),
        Arguments.of("Reader", SUBSCRIPTION, ALICE, APP_WRITE, APP1, false),
        Arguments.of("User Access Administrator", RG1, ALICE, RA_WRITE, ACR, true),
        Arguments.of("User Access Administrator", RG1, ALICE, APP_WRITE, APP1, false),
        Arguments.of("Owner", RG1, ALICE, APP_WRITE, APP1, true),
        Arguments.of("Owner", RG1, ALICE, APP_WRITE, APP2, false),
        Arguments.of("Owner", RG1, ALICE, APP_WRITE, SUBSCRIPTION, false),
        Arguments.of("Owner", SUBSCRIPTION, BOB, APP_WRITE, APP1, false),
        Arguments.of("AcrPull", ACR, ALICE, PULL, ACR, true),
        Arguments.of(
            "AcrPull", ACR, ALICE, "Microsoft.ContainerRegistry/registries/push/write", ACR, false),
        Arguments.of(
            "AcrPull",
            ACR,
            ALICE,
            PULL,
            RG1.provider("Microsoft.ContainerRegistry", "registries", "other"),
            false),
        Arguments.of(
            "AcrPush", RG1, ALICE, "Microsoft.ContainerRegistry/registries/push/write", ACR, true));
  }

  @ParameterizedTest(name = "{0} at {1} for {2}: {3} on {4} -> {5}")
  @MethodSource("decisions")
  void decidesFromAssignmentsAtOrAboveTheScope(
      String role,
      ResourceId at,
      Principal assignee,
      String action,
      ResourceId target,
      boolean expected) {
    assign(role, at, assignee, Optional.empty());
    assertThat(authorizer.isAllowed(ALICE, action, target)).isEqualTo(expected);
  }

  @Test
  void nothingIsAllowedWithoutAnAssignment() {
    assertThat(authorizer.isAllowed(ALICE, APP_READ, APP1)).isFalse();
  }

  @Test
  void unknownRoleDefinitionsGrantNothing() {
    ObjectNode body = assignmentBody("00000000-0000-4000-8000-000000000000", ALICE);
    store.put(assignmentId(SUBSCRIPTION), body, Precondition.NONE);
    assertThat(authorizer.isAllowed(ALICE, APP_READ, APP1)).isFalse();
    assertThat(authorizer.assignmentsReaching(APP1)).hasSize(1);
  }

  @Test
  void dataActionGrantsCarryTheirAbacCondition() {
    String condition =
        "@Request[Microsoft.ContainerRegistry/registries/repositories:name]"
            + " StringEqualsIgnoreCase 'api'";
    assign("Container Registry Repository Reader", ACR, ALICE, Optional.of(condition));
    assign("Container Registry Repository Catalog Lister", RG1, ALICE, Optional.empty());
    String contentRead = "Microsoft.ContainerRegistry/registries/repositories/content/read";

    List<RbacAuthorizer.RoleGrant> reads = authorizer.grantsForDataAction(ALICE, contentRead, ACR);
    assertThat(reads)
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.role().roleName()).isEqualTo("Container Registry Repository Reader");
              assertThat(g.condition()).contains(condition);
              assertThat(g.assignment().conditionVersion()).contains("2.0");
            });
    assertThat(
            authorizer.grantsForDataAction(
                ALICE, "Microsoft.ContainerRegistry/registries/catalog/read", ACR))
        .singleElement()
        .satisfies(g -> assertThat(g.condition()).isEmpty());
    assertThat(
            authorizer.grantsForDataAction(
                ALICE, "Microsoft.ContainerRegistry/registries/repositories/content/write", ACR))
        .isEmpty();
    // Data-plane roles grant no control-plane action.
    assertThat(authorizer.isAllowed(ALICE, PULL, ACR)).isFalse();
  }

  @Test
  void assignmentDocumentParsesIntoARoleAssignment() {
    ResourceId id = assign("AcrPull", ACR, ALICE, Optional.empty());

    RoleAssignment parsed =
        RoleAssignmentDocuments.parse(store.get(id).orElseThrow()).orElseThrow();

    assertThat(parsed.id()).isEqualTo(id);
    assertThat(parsed.scope()).isEqualTo(ACR);
    assertThat(parsed.roleDefinitionGuid()).isEqualTo(BuiltInRoles.ACR_PULL);
    assertThat(parsed.principalId()).isEqualTo(ALICE.objectId());
    assertThat(parsed.principalType()).isEqualTo(Principal.PrincipalType.ServicePrincipal);
    assertThat(parsed.condition()).isEmpty();
  }

  @Test
  void roleDefinitionIdIsReadInBothArmForms() {
    String guid = BuiltInRoles.OWNER;
    assertThat(
            RoleAssignmentDocuments.roleDefinitionGuid(
                "/subscriptions/"
                    + SUB
                    + "/providers/Microsoft.Authorization/roleDefinitions/"
                    + guid))
        .contains(guid);
    assertThat(
            RoleAssignmentDocuments.roleDefinitionGuid(
                "/providers/microsoft.authorization/roleDefinitions/"
                    + guid.toUpperCase(Locale.ROOT)))
        .contains(guid);
    assertThat(RoleAssignmentDocuments.roleDefinitionGuid("/providers/Other/things/" + guid))
        .isEmpty();
    assertThat(RoleAssignmentDocuments.roleDefinitionGuid("not-a-guid")).isEmpty();
  }

  private ResourceId assign(
      String roleName, ResourceId scope, Principal principal, Optional<String> condition) {
    String guid = BuiltInRoles.catalog().byName(roleName).orElseThrow().id();
    ObjectNode body = assignmentBody(guid, principal);
    condition.ifPresent(
        c -> {
          ((ObjectNode) body.path("properties")).put("condition", c);
          ((ObjectNode) body.path("properties")).put("conditionVersion", "2.0");
        });
    ResourceId id = assignmentId(scope);
    store.put(id, body, Precondition.ABSENT);
    return id;
  }

  private static ResourceId assignmentId(ResourceId scope) {
    return scope.provider(
        "Microsoft.Authorization", "roleAssignments", UUID.randomUUID().toString());
  }

  private static ObjectNode assignmentBody(String roleGuid, Principal principal) {
    ObjectNode body = Json.object();
    ObjectNode props = body.putObject("properties");
    props.put(
        "roleDefinitionId",
        "/subscriptions/" + SUB + "/providers/Microsoft.Authorization/roleDefinitions/" + roleGuid);
    props.put("principalId", principal.objectId());
    props.put("principalType", "ServicePrincipal");
    return body;
  }

  private static Principal principal(String name) {
    return new Principal(
        UUID.nameUUIDFromBytes(name.getBytes(UTF_8)).toString(),
        "tenant",
        UUID.randomUUID().toString(),
        Principal.PrincipalType.ServicePrincipal,
        name);
  }
}
