package dev.berth.registry.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.api.RoleAssignment;
import dev.berth.api.acr.NetworkRules;
import dev.berth.api.acr.Registry;
import dev.berth.identity.BuiltInRoles;
import dev.berth.identity.RbacAuthorizer.RoleGrant;
import dev.berth.registry.AccessRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryPermissionsTest {

  private static final ResourceId REGISTRY =
      ResourceId.parse(
          "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myacr");
  private static final String TEAM_A =
      "((!(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'})"
          + " AND !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/metadata/read'}))"
          + " OR (@Request[Microsoft.ContainerRegistry/registries/repositories:name]"
          + " StringStartsWithIgnoreCase 'team-a/'))";

  private static Registry registry(boolean abac, boolean anonymous) {
    return new Registry(
        REGISTRY,
        "myacr",
        "localhost:5001",
        false,
        anonymous,
        new NetworkRules(true, false, List.of()),
        true,
        abac);
  }

  private static RoleGrant grant(String role, String condition) {
    RoleAssignment a =
        new RoleAssignment(
            REGISTRY.provider("Microsoft.Authorization", "roleAssignments", "a1"),
            REGISTRY,
            role,
            "p1",
            Principal.PrincipalType.ServicePrincipal,
            Optional.ofNullable(condition),
            Optional.ofNullable(condition).map(c -> "2.0"));
    return new RoleGrant(a, BuiltInRoles.catalog().byId(role).orElseThrow());
  }

  private static final Caller ENTRA =
      new Caller.Entra(
          new Principal("p1", "t", "p1", Principal.PrincipalType.ServicePrincipal, "p1"));

  @ParameterizedTest(name = "[{index}] {0} abac={1} wants {2} gets {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        // role                                 | abac  | wanted                                |
        // granted
        "7f951dda-4ed3-4680-a7ca-43fe172d538d   | false | repository:api:pull,push              | repository:api:pull",
        "7f951dda-4ed3-4680-a7ca-43fe172d538d   | false | registry:catalog:*                    | registry:catalog:*",
        "7f951dda-4ed3-4680-a7ca-43fe172d538d   | false | repository:api:metadata_read,delete   | repository:api:metadata_read",
        "8311e382-0749-4cb8-b61a-304f252e45ec   | false | repository:api:pull,push              | repository:api:pull,push",
        "c2f4ef07-c644-48eb-af81-4b1b4947fb11   | false | repository:api:pull,delete            | repository:api:delete",
        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635   | false | repository:api:*                      | repository:api:*",
        "b24988ac-6180-42a0-ab88-20f7382dd24c   | false | repository:api:pull,push,delete       | repository:api:pull,push,delete",
        "acdd72a7-3385-48ef-bd42-f606fba81ae7   | false | repository:api:pull,push,metadata_read | repository:api:pull,metadata_read",
        "acdd72a7-3385-48ef-bd42-f606fba81ae7   | false | registry:catalog:*                    | registry:catalog:*",
        "7f951dda-4ed3-4680-a7ca-43fe172d538d   | false | repository:*:pull                     | repository:*:pull",
        "7f951dda-4ed3-4680-a7ca-43fe172d538d   | true  | repository:api:pull                   | ''",
        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635   | true  | repository:api:pull                   | ''",
        "b93aa761-3e63-49ed-ac28-beffa264f7ac   | true  | repository:api:pull,push,metadata_read | repository:api:pull,metadata_read",
        "2a1e307c-b015-4ebd-883e-5b7698a07328   | true  | repository:api:pull,push,delete       | repository:api:pull,push",
        "2efddaa5-3f1f-4df3-97df-af3f13818f4c   | true  | repository:api:*                      | repository:api:*",
        "b93aa761-3e63-49ed-ac28-beffa264f7ac   | true  | registry:catalog:*                    | ''",
        "bfdb9389-c9a5-478a-bb2f-ba9ca092c3c7   | true  | registry:catalog:*                    | registry:catalog:*",
        "b93aa761-3e63-49ed-ac28-beffa264f7ac   | true  | repository:*:pull                     | ''",
      })
  void mapsRolesToActions(String role, boolean abac, String wanted, String granted) {
    List<AccessRequest> result =
        RegistryPermissions.grant(
            registry(abac, false),
            ENTRA,
            List.of(grant(role, null)),
            AccessRequest.parseAll(wanted));
    assertThat(result).isEqualTo(granted.isEmpty() ? List.of() : AccessRequest.parseAll(granted));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "repository:team-a/x:pull | repository:team-a/x:pull",
        "repository:team-b/y:pull | ''",
        // The canonical form guards only reads (ActionMatches content/read, metadata/read), so a
        // write passes it, exactly as Azure evaluates it.
        "repository:team-b/y:push | repository:team-b/y:push",
      })
  void appliesAbacConditionsToTheRepositoryName(String wanted, String granted) {
    List<AccessRequest> result =
        RegistryPermissions.grant(
            registry(true, false),
            ENTRA,
            List.of(grant(BuiltInRoles.REPOSITORY_WRITER, TEAM_A)),
            AccessRequest.parseAll(wanted));
    assertThat(result).isEqualTo(granted.isEmpty() ? List.of() : AccessRequest.parseAll(granted));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "repositories/api/content/read                        | repository:api:pull,push         | repository:api:pull",
        "repositories/api/content/read                        | repository:web:pull              | ''",
        "repositories/team-a/*/content/read                   | repository:team-a/x:pull         | repository:team-a/x:pull",
        "repositories/team-a/*/content/read                   | repository:team-ab:pull          | ''",
        "repositories/*/metadata/read                         | repository:any:metadata_read     | repository:any:metadata_read",
        "repositories/api/content/read,repositories/api/content/write | repository:api:pull,push | repository:api:pull,push",
        "repositories/*/content/read                          | registry:catalog:*               | ''",
      })
  void scopeMapTokensHoldTheirActionsOnly(String actions, String wanted, String granted) {
    Caller token = new Caller.ScopeMapToken("tok", Arrays.asList(actions.split(",")));
    List<AccessRequest> result =
        RegistryPermissions.grant(
            registry(false, false), token, List.of(), AccessRequest.parseAll(wanted));
    assertThat(result).isEqualTo(granted.isEmpty() ? List.of() : AccessRequest.parseAll(granted));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "false | repository:api:pull,push | ''",
        "true  | repository:api:pull,push | repository:api:pull",
        "true  | registry:catalog:*       | ''",
      })
  void anonymousGetsReadsOnlyWhenAnonymousPullIsEnabled(
      boolean enabled, String wanted, String granted) {
    List<AccessRequest> result =
        RegistryPermissions.grant(
            registry(false, enabled),
            new Caller.Anonymous(),
            List.of(),
            AccessRequest.parseAll(wanted));
    assertThat(result).isEqualTo(granted.isEmpty() ? List.of() : AccessRequest.parseAll(granted));
  }

  @ParameterizedTest
  @CsvSource({"repository:api:*", "registry:catalog:*"})
  void adminHoldsEverything(String wanted) {
    assertThat(
            RegistryPermissions.grant(
                registry(true, false),
                new Caller.Admin("myacr"),
                List.of(),
                AccessRequest.parseAll(wanted)))
        .isEqualTo(AccessRequest.parseAll(wanted));
  }

  @ParameterizedTest
  @CsvSource({
    "'(@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringMatches ''x'')'"
  })
  void anUnparsableConditionGrantsNothing(String condition) {
    assertThat(
            RegistryPermissions.grant(
                registry(true, false),
                ENTRA,
                List.of(grant(BuiltInRoles.REPOSITORY_READER, condition)),
                AccessRequest.parseAll("repository:x:pull")))
        .isEmpty();
  }
}
