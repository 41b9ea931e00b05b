package dev.berth.reconciler.diagnosis;

import static dev.berth.reconciler.diagnosis.World.PULL_ID;
import static dev.berth.reconciler.diagnosis.World.PULL_ID_PRINCIPAL;
import static dev.berth.reconciler.diagnosis.World.REGISTRY;
import static dev.berth.reconciler.diagnosis.World.SYSTEM_PRINCIPAL;
import static dev.berth.reconciler.diagnosis.World.manifestUnknown;
import static dev.berth.reconciler.diagnosis.World.unauthorized;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.ResourceId;
import dev.berth.api.acr.AccessDecision;
import dev.berth.api.acr.AccessDecision.Reason;
import dev.berth.identity.BuiltInRoles;
import dev.berth.runtime.image.PullException.Step;
import dev.berth.store.Precondition;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Who pulls: the registries[] entry, the identity it selects, the ARM audience, the role. */
class PullDiagnosisIdentityTest {

  private final World world = new World();

  /** A finding's words, without its code and resources (asserted where they are the point). */
  record Text(String cause, String explanation, String fix) {}

  static List<Text> texts(Diagnosis d) {
    return d.findings().stream().map(f -> new Text(f.cause(), f.explanation(), f.fix())).toList();
  }

  private static List<String> causes(Diagnosis d) {
    return d.findings().stream().map(Finding::cause).toList();
  }

  // --- not a Berth registry

  @Test
  void aForeignRegistryGetsOnlyTheAdviceToCheckItsCredentials() {
    Diagnosis d = world.app().withImage("ghcr.io/acme/api:1").failsWith(unauthorized(Step.TOKEN));

    assertThat(causes(d)).containsExactly("No registry credentials for server ghcr.io");
    assertThat(d.findings().get(0).fix())
        .isEqualTo(
            "berth containerapp registry set -n web -g rg1 --server ghcr.io"
                + " --username <username> --password <password>");
  }

  @Test
  void aForeignRegistryThatFailedForAnotherReasonGetsNoDiagnosis() {
    Diagnosis d = world.app().withImage("ghcr.io/acme/api:1").failsWith(manifestUnknown());

    assertThat(d.findings()).isEmpty();
    assertThat(d.render()).isEmpty();
  }

  // --- registries[] entry

  @Test
  void aMissingRegistryEntryNamesTheServerAndAnIdentityThatCanPull() {
    world.pullers.add(PULL_ID_PRINCIPAL);
    world.grant(PULL_ID_PRINCIPAL, BuiltInRoles.ACR_PULL, null);

    Diagnosis d =
        world
            .app()
            .withUserIdentity(PULL_ID, PULL_ID_PRINCIPAL)
            .failsWith(unauthorized(Step.TOKEN));

    assertThat(texts(d))
        .containsExactly(
            new Text(
                "No registry credentials for server localhost:5001",
                "The app's configuration.registries[] has no entry for it, and myacr does not"
                    + " allow anonymous pull. The user-assigned identity pull-id has AcrPull; pull"
                    + " with it.",
                "berth containerapp registry set -n web -g rg1 --server localhost:5001 --identity "
                    + PULL_ID));
  }

  @Test
  void aMissingRegistryEntryOnAnAppWithoutIdentitiesStartsWithTheSystemIdentity() {
    Diagnosis d = world.app().failsWith(unauthorized(Step.TOKEN));

    assertThat(d.findings().get(0).fix())
        .isEqualTo(
            """
            berth containerapp identity assign -n web -g rg1 --system-assigned
            berth role assignment create --assignee <principalId> --role AcrPull --scope %s
            berth containerapp registry set -n web -g rg1 --server localhost:5001 --identity system"""
                .formatted(REGISTRY));
  }

  @Test
  void aMissingRegistryEntryIsNoCauseWhenTheRegistryAllowsAnonymousPull() {
    world.registry(p -> p.put("anonymousPullEnabled", true));

    Diagnosis d = world.app().failsWith(unauthorized(Step.TOKEN));

    assertThat(d.findings()).isEmpty();
  }

  // --- identity

  @Test
  void aSystemIdentitySelectedButNotEnabledIsReported() {
    Diagnosis d = world.app().withRegistry("system").failsWith(unauthorized(Step.EXCHANGE));

    assertThat(causes(d)).containsExactly("App 'web' has no system-assigned identity");
    assertThat(d.findings().get(0).fix())
        .startsWith("berth containerapp identity assign -n web -g rg1 --system-assigned\n");
  }

  @Test
  void aUserAssignedIdentityThatIsNotAttachedIsNamed() {
    Diagnosis d = world.app().withRegistry(PULL_ID.value()).failsWith(unauthorized(Step.EXCHANGE));

    assertThat(texts(d))
        .containsExactly(
            new Text(
                "The user-assigned identity pull-id is not attached to app 'web'",
                "The registry entry for localhost:5001 pulls with it, but it is not in the app's"
                    + " identity.userAssignedIdentities.",
                "berth containerapp identity assign -n web -g rg1 --user-assigned " + PULL_ID));
  }

  @Test
  void anIdentityIdInOtherCasingStillCountsAsAttached() {
    world.pullers.add(PULL_ID_PRINCIPAL);

    Diagnosis d =
        world
            .app()
            .withUserIdentity(PULL_ID, PULL_ID_PRINCIPAL)
            .withRegistry(PULL_ID.value().toLowerCase(Locale.ROOT))
            .failsWith(unauthorized(Step.EXCHANGE));

    assertThat(d.findings()).isEmpty();
  }

  @Test
  void aUserAssignedIdentityThatDoesNotExistIsCreatedAttachedAndGranted() {
    ResourceId gone =
        World.RG.provider("Microsoft.ManagedIdentity", "userAssignedIdentities", "gone-id");

    Diagnosis d = world.app().withRegistry(gone.value()).failsWith(unauthorized(Step.EXCHANGE));

    assertThat(causes(d)).containsExactly("The user-assigned identity gone-id does not exist");
    assertThat(d.findings().get(0).fix().lines().toList())
        .containsExactly(
            "berth identity create -n gone-id -g rg1",
            "berth role assignment create --assignee <principalId> --role AcrPull --scope "
                + REGISTRY,
            "berth containerapp identity assign -n web -g rg1 --user-assigned " + gone);
  }

  @Test
  void aUserAssignedIdentityDeletedWhileStillAttachedIsReportedNotNoCause() {
    // Its old principal keeps AcrPull: the role is not what fails, the missing identity is.
    world.pullers.add(PULL_ID_PRINCIPAL);
    world.store.delete(PULL_ID, Precondition.NONE);

    Diagnosis d =
        world
            .app()
            .withUserIdentity(PULL_ID, PULL_ID_PRINCIPAL)
            .withRegistry(PULL_ID.value())
            .failsWith(unauthorized(Step.EXCHANGE));

    assertThat(d.findings()).hasSize(1);
    Finding f = d.findings().get(0);
    assertThat(f.code()).isEqualTo(CauseCode.IDENTITY_DELETED);
    assertThat(f.cause())
        .isEqualTo(
            "The user-assigned identity pull-id was deleted but is still attached to app 'web'");
    assertThat(f.resources()).containsExactly(PULL_ID.value(), World.APP.value());
    assertThat(f.fix().lines().toList())
        .containsExactly(
            "berth identity create -n pull-id -g rg1",
            "berth role assignment create --assignee <principalId> --role AcrPull --scope "
                + REGISTRY,
            "berth containerapp identity assign -n web -g rg1 --user-assigned " + PULL_ID);
    assertThat(f.azFix().lines().toList().get(0)).isEqualTo("az identity create -n pull-id -g rg1");
  }

  @Test
  void aRegistryEntryForAnotherServerIsNamedAsTheCause() {
    Diagnosis d =
        world
            .app()
            .withUserIdentity(PULL_ID, PULL_ID_PRINCIPAL)
            .withRegistryFor("myacr.azurecr.io", PULL_ID.value())
            .failsWith(unauthorized(Step.TOKEN));

    assertThat(d.findings()).hasSize(1);
    Finding f = d.findings().get(0);
    assertThat(f.code()).isEqualTo(CauseCode.REGISTRY_SERVER_MISMATCH);
    assertThat(f.cause())
        .isEqualTo("The app's registry entry is for myacr.azurecr.io, not for localhost:5001");
    assertThat(f.fix())
        .isEqualTo(
            "berth containerapp registry set -n web -g rg1 --server localhost:5001 --identity "
                + PULL_ID);
  }

  @Test
  void anAbacConditionHasItsOwnCode() {
    world.registry(p -> p.put("roleAssignmentMode", "AbacRepositoryPermissions"));
    world.refusals.put(
        PULL_ID_PRINCIPAL,
        AccessDecision.refused(
            Reason.CONDITION_EXCLUDES,
            "Container Registry Repository Reader",
            "the condition leaves 'api' out"));

    Diagnosis d =
        world
            .app()
            .withUserIdentity(PULL_ID, PULL_ID_PRINCIPAL)
            .withRegistry(PULL_ID.value())
            .failsWith(unauthorized(Step.TOKEN));

    assertThat(d.findings().stream().map(Finding::code))
        .containsExactly(CauseCode.ABAC_CONDITION_EXCLUDES);
    assertThat(d.findings().get(0).fix().lines().toList())
        .containsExactly(
            "berth role assignment delete --assignee "
                + PULL_ID_PRINCIPAL
                + " --role \"Container Registry Repository Reader\" --scope "
                + REGISTRY,
            "berth role assignment create --assignee "
                + PULL_ID_PRINCIPAL
                + " --role \"Container Registry Repository Reader\" --scope "
                + REGISTRY
                + " --condition \"@Request[Microsoft.ContainerRegistry/registries/repositories:name]"
                + " StringEqualsIgnoreCase 'api'\" --condition-version 2.0");
  }

  // --- ARM audience

  @Test
  void aDisabledArmAudiencePolicyIsReportedForIdentityPulls() {
    world.pullers.add(SYSTEM_PRINCIPAL);
    world.registry(
        p ->
            p.withObject("policies")
                .putObject("azureADAuthenticationAsArmPolicy")
                .put("status", "disabled"));

    Diagnosis d =
        world
            .app()
            .withSystemIdentity()
            .withRegistry("system")
            .failsWith(unauthorized(Step.EXCHANGE));

    assertThat(texts(d))
        .containsExactly(
            new Text(
                "myacr refuses ARM-audience tokens",
                "Its azureADAuthenticationAsArmPolicy is disabled, and Container Apps always pulls"
                    + " with an ARM-audience token of the app's managed identity.",
                "berth acr config authentication-as-arm update -r myacr --status enabled"));
  }

  @Test
  void aDisabledArmAudiencePolicyDoesNotMatterToPasswordPulls() {
    world.registry(
        p -> {
          p.put("adminUserEnabled", true);
          p.withObject("policies")
              .putObject("azureADAuthenticationAsArmPolicy")
              .put("status", "disabled");
        });

    Diagnosis d =
        world
            .app()
            .withPasswordRegistry("myacr", "reg-pass")
            .withSecret("reg-pass", "admin-pass-2")
            .failsWith(unauthorized(Step.TOKEN));

    assertThat(d.findings()).isEmpty();
  }

  // --- pull permission

  @Test
  void anIdentityWithoutAcrPullGetsTheRoleAssignment() {
    Diagnosis d =
        world.app().withSystemIdentity().withRegistry("system").failsWith(unauthorized(Step.TOKEN));

    assertThat(texts(d))
        .containsExactly(
            new Text(
                "The system-assigned identity cannot pull api from myacr",
                "It has no role on myacr that allows pull (AcrPull).",
                "berth role assignment create --assignee "
                    + SYSTEM_PRINCIPAL
                    + " --role AcrPull --scope "
                    + REGISTRY));
  }

  @Test
  void anotherAttachedIdentityWithAcrPullIsNamedAndTheRegistryPointedAtIt() {
    world.pullers.add(PULL_ID_PRINCIPAL);
    world.grant(PULL_ID_PRINCIPAL, BuiltInRoles.ACR_PULL, null);

    Diagnosis d =
        world
            .app()
            .withSystemIdentity()
            .withUserIdentity(PULL_ID, PULL_ID_PRINCIPAL)
            .withRegistry("system")
            .failsWith(unauthorized(Step.TOKEN));

    assertThat(d.findings()).hasSize(1);
    assertThat(d.findings().get(0).explanation())
        .isEqualTo(
            "It has no role on myacr that allows pull (AcrPull). The user-assigned identity"
                + " pull-id has AcrPull; point the registry at it.");
    assertThat(d.findings().get(0).fix())
        .isEqualTo(
            "berth containerapp registry set -n web -g rg1 --server localhost:5001 --identity "
                + PULL_ID);
  }

  @Test
  void acrPullOnAnAbacRegistryIsNotHonoured() {
    world.registry(p -> p.put("roleAssignmentMode", "AbacRepositoryPermissions"));
    world.refusals.put(
        PULL_ID_PRINCIPAL,
        AccessDecision.refused(Reason.ROLE_NOT_HONOURED, "AcrPull", "not honoured"));

    Diagnosis d =
        world
            .app()
            .withUserIdentity(PULL_ID, PULL_ID_PRINCIPAL)
            .withRegistry(PULL_ID.value())
            .failsWith(unauthorized(Step.TOKEN));

    assertThat(d.findings().get(0).explanation())
        .isEqualTo(
            "Its AcrPull is not honoured: myacr is in ABAC mode (AbacRepositoryPermissions),"
                + " where pulls need Container Registry Repository Reader.");
    assertThat(d.findings().get(0).fix())
        .isEqualTo(
            "berth role assignment create --assignee "
                + PULL_ID_PRINCIPAL
                + " --role \"Container Registry Repository Reader\" --scope "
                + REGISTRY
                + " --condition \"@Request[Microsoft.ContainerRegistry/registries/repositories:name]"
                + " StringEqualsIgnoreCase 'api'\" --condition-version 2.0");
  }

  @Test
  void anAbacConditionThatLeavesTheRepositoryOutIsReported() {
    world.registry(p -> p.put("roleAssignmentMode", "AbacRepositoryPermissions"));
    world.refusals.put(
        PULL_ID_PRINCIPAL,
        AccessDecision.refused(
            Reason.CONDITION_EXCLUDES,
            "Container Registry Repository Reader",
            "the condition leaves 'api' out"));

    Diagnosis d =
        world
            .app()
            .withUserIdentity(PULL_ID, PULL_ID_PRINCIPAL)
            .withRegistry(PULL_ID.value())
            .failsWith(unauthorized(Step.TOKEN));

    assertThat(d.findings().get(0).explanation())
        .isEqualTo(
            "Its Container Registry Repository Reader assignment has a condition that does not"
                + " cover repository 'api'.");
  }
}
