package dev.berth.reconciler.diagnosis;

import static dev.berth.reconciler.diagnosis.World.APP;
import static dev.berth.reconciler.diagnosis.World.PULL_ID;
import static dev.berth.reconciler.diagnosis.World.PULL_ID_PRINCIPAL;
import static dev.berth.reconciler.diagnosis.World.SYSTEM_PRINCIPAL;
import static dev.berth.reconciler.diagnosis.World.denied;
import static dev.berth.reconciler.diagnosis.World.manifestUnknown;
import static dev.berth.reconciler.diagnosis.World.unauthorized;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.acr.PasswordHashes;
import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullException.Step;
import dev.berth.store.Precondition;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What is pulled and how it gets there: the image, the network, passwords; combinations. */
class PullDiagnosisRegistryTest {

  private final World world = new World();

  /** A finding's words, without its code and resources (asserted where they are the point). */
  record Text(String cause, String explanation, String fix) {}

  static List<Text> texts(Diagnosis d) {
    return d.findings().stream().map(f -> new Text(f.cause(), f.explanation(), f.fix())).toList();
  }

  private static List<String> causes(Diagnosis d) {
    return d.findings().stream().map(Finding::cause).toList();
  }

  // --- the login server

  /** What the puller says when the image's host has no registry on that port: HTTPS's 404. */
  private static PullException notARegistry(String server) {
    return new PullException(
        PullException.Reason.UNREACHABLE,
        Step.PING,
        404,
        null,
        "GET https://" + server + "/v2/: 404 Not Found",
        null);
  }

  @Test
  void aRegistrysHostWithoutItsPortIsToldItsLoginServerWithTheCommandsThatFixIt() {
    world.pullers.add(SYSTEM_PRINCIPAL);

    Diagnosis d =
        world
            .app()
            .withSystemIdentity()
            .withRegistryFor("localhost", "system")
            .withImage("localhost/api:1.0")
            .failsWith(notARegistry("localhost"));

    assertThat(d.findings())
        .extracting(Finding::code)
        .containsExactly(CauseCode.LOGIN_SERVER_PORT_WRONG);
    assertThat(texts(d))
        .containsExactly(
            new Text(
                "localhost is not the login server of myacr: it is localhost:5001",
                "Each registry of Berth's listens on a port of its own; the image's registry"
                    + " reaches port 443, the HTTPS default, where none does. Name the login server"
                    + " as `berth acr show -n myacr` prints it, in the image and in the app's"
                    + " registries[] entry.",
                "berth containerapp registry set -n web -g rg1 --server localhost:5001 --identity"
                    + " system\n"
                    + "berth containerapp update -n web -g rg1 --container-name api --image"
                    + " localhost:5001/api:1.0"));
    assertThat(d.findings().get(0).resources())
        .containsExactly(APP.value(), World.REGISTRY.value());
  }

  @Test
  void anotherPortKeepsTheEntrysPasswordCredentialInTheFix() {
    Diagnosis d =
        world
            .app()
            .withPasswordRegistryFor("localhost:5002", "myacr", "pw")
            .withImage("localhost:5002/api@sha256:" + "b".repeat(64))
            .failsWith(notARegistry("localhost:5002"));

    assertThat(texts(d)).hasSize(1);
    Text text = texts(d).get(0);
    assertThat(text.explanation()).contains("reaches port 5002 where none does");
    assertThat(text.fix())
        .isEqualTo(
            "berth containerapp registry set -n web -g rg1 --server localhost:5001 --username"
                + " myacr --password <password>\n"
                + "berth containerapp update -n web -g rg1 --container-name api --image"
                + " localhost:5001/api@sha256:"
                + "b".repeat(64));
  }

  @Test
  void aHostNoRegistryOfBerthsHasIsStillForeign() {
    Diagnosis d =
        world
            .app()
            .withImage("elsewhere.example/api:1.0")
            .failsWith(notARegistry("elsewhere.example"));

    assertThat(d.findings()).isEmpty();
  }

  // --- image

  @Test
  void aMissingTagListsTheTagsThatExistAndTheFixDeploysTheNewest() {
    world.pullers.add(SYSTEM_PRINCIPAL);
    world.tags.put("api", List.of("latest", "1.0")); // as the catalog gives them: newest first

    Diagnosis d =
        world
            .app()
            .withSystemIdentity()
            .withRegistry("system")
            .withImage(World.SERVER + "/api:nope")
            .failsWith(manifestUnknown());

    assertThat(texts(d))
        .containsExactly(
            new Text(
                "Tag nope does not exist in api",
                "Push api:nope to myacr and the revision starts by itself, or deploy a tag that"
                    + " exists. The tags of api, newest first: latest, 1.0.",
                "berth containerapp update -n web -g rg1 --container-name api --image "
                    + World.SERVER
                    + "/api:latest"));
  }

  @Test
  void aRepositoryWithoutTagsCanOnlyBePushedTo() {
    world.pullers.add(SYSTEM_PRINCIPAL);
    world.tags.put("api", List.of());

    Diagnosis d =
        world
            .app()
            .withSystemIdentity()
            .withRegistry("system")
            .withImage(World.SERVER + "/api:nope")
            .failsWith(manifestUnknown());

    assertThat(texts(d))
        .containsExactly(
            new Text(
                "Tag nope does not exist in api",
                "api has no tags. Push api:nope to myacr and the revision starts by itself.",
                "berth acr repository show-tags -n myacr --repository api"));
  }

  @Test
  void aMissingRepositoryIsReported() {
    world.pullers.add(SYSTEM_PRINCIPAL);

    Diagnosis d =
        world
            .app()
            .withSystemIdentity()
            .withRegistry("system")
            .withImage(World.SERVER + "/team/web:1")
            .failsWith(manifestUnknown());

    assertThat(causes(d)).containsExactly("Repository team/web does not exist in myacr");
    assertThat(d.findings().get(0).fix()).isEqualTo("berth acr repository list -n myacr");
  }

  @Test
  void aDigestTheRegistryDoesNotKnowIsReported() {
    world.pullers.add(SYSTEM_PRINCIPAL);
    String digest = "sha256:" + "a".repeat(64);

    Diagnosis d =
        world
            .app()
            .withSystemIdentity()
            .withRegistry("system")
            .withImage(World.SERVER + "/api@" + digest)
            .failsWith(manifestUnknown());

    assertThat(causes(d)).containsExactly("Manifest " + digest + " does not exist in api");
    assertThat(d.findings().get(0).explanation()).startsWith("Push api@" + digest + " to myacr");
    assertThat(d.findings().get(0).fix())
        .isEqualTo(
            "berth containerapp update -n web -g rg1 --container-name api --image "
                + World.SERVER
                + "/api:1.0");
  }

  // --- network

  @Test
  void publicNetworkAccessDisabledIsReported() {
    world.pullers.add(SYSTEM_PRINCIPAL);
    world.registry(p -> p.put("publicNetworkAccess", "Disabled"));

    Diagnosis d = world.app().withSystemIdentity().withRegistry("system").failsWith(denied());

    assertThat(texts(d))
        .containsExactly(
            new Text(
                "myacr has public network access disabled",
                "publicNetworkAccess Disabled overrides every IP rule, so the environment's"
                    + " outbound address 127.0.0.12 is refused.",
                "berth acr update -n myacr --public-network-enabled true"));
  }

  @Test
  void denyByDefaultWithoutARuleForTheOutboundAddressGivesBothFixes() {
    world.pullers.add(SYSTEM_PRINCIPAL);
    world.registry(
        p -> {
          p.withObject("networkRuleSet").put("defaultAction", "Deny");
          p.withObject("networkRuleSet")
              .putArray("ipRules")
              .addObject()
              .put("action", "Allow")
              .put("value", "127.0.0.0/29");
        });

    Diagnosis d = world.app().withSystemIdentity().withRegistry("system").failsWith(denied());

    assertThat(texts(d))
        .containsExactly(
            new Text(
                "myacr does not allow the environment's outbound address 127.0.0.12",
                "Its networkRuleSet.defaultAction is Deny and no ipRules entry covers 127.0.0.12."
                    + " Add the address, or allow every address: berth acr update -n myacr"
                    + " --default-action Allow",
                "berth acr network-rule add -n myacr --ip-address 127.0.0.12"));
  }

  @Test
  void anIpRuleWhoseRangeCoversTheOutboundAddressIsNoCause() {
    world.pullers.add(SYSTEM_PRINCIPAL);
    world.registry(
        p -> {
          p.withObject("networkRuleSet").put("defaultAction", "Deny");
          p.withObject("networkRuleSet")
              .putArray("ipRules")
              .addObject()
              .put("action", "Allow")
              .put("ipAddressOrRange", "127.0.0.8/29");
        });

    Diagnosis d = world.app().withSystemIdentity().withRegistry("system").failsWith(denied());

    assertThat(d.findings()).isEmpty();
  }

  // --- username and password

  @Test
  void aDisabledAdminUserIsReported() {
    Diagnosis d =
        world
            .app()
            .withPasswordRegistry("myacr", "reg-pass")
            .withSecret("reg-pass", "admin-pass-1")
            .failsWith(unauthorized(Step.TOKEN));

    assertThat(texts(d))
        .containsExactly(
            new Text(
                "The admin user of myacr is disabled",
                "The registry entry for localhost:5001 logs in as 'myacr', the admin user.",
                "berth acr update -n myacr --admin-enabled true"));
  }

  @Test
  void aSecretThatIsNotTheAdminPasswordIsReported() {
    world.registry(p -> p.put("adminUserEnabled", true));

    Diagnosis d =
        world
            .app()
            .withPasswordRegistry("myacr", "reg-pass")
            .withSecret("reg-pass", "stale")
            .failsWith(unauthorized(Step.TOKEN));

    assertThat(causes(d))
        .containsExactly("Secret 'reg-pass' does not hold a password of myacr's admin user");
    assertThat(d.findings().get(0).fix())
        .isEqualTo(
            "berth acr credential show -n myacr\n"
                + "berth containerapp secret set -n web -g rg1 --secrets reg-pass=<password>");
  }

  @Test
  void theSecretsAndAdminPasswordsAreComparedOpenedAndANonSealedSecretIsReported() {
    world.registry(p -> p.put("adminUserEnabled", true));

    // The right admin password, sealed as the control plane stores it: no cause.
    Diagnosis right =
        world
            .app()
            .withPasswordRegistry("myacr", "reg-pass")
            .withSecret("reg-pass", "admin-pass-2")
            .failsWith(unauthorized(Step.TOKEN));
    // The same password stored in clear: Berth keeps only sealed secrets, so it is unreadable.
    Diagnosis clear =
        world
            .app()
            .withPasswordRegistry("myacr", "reg-pass")
            .withStoredSecret("reg-pass", "admin-pass-2")
            .failsWith(unauthorized(Step.TOKEN));

    assertThat(causes(right)).isEmpty();
    assertThat(causes(clear)).containsExactly("Secret 'reg-pass' of app 'web' cannot be read");
    assertThat(clear.findings().get(0).explanation())
        .contains("is not sealed")
        .doesNotContain("admin-pass");
  }

  @Test
  void aPasswordSecretThatDoesNotExistIsReported() {
    world.registry(p -> p.put("adminUserEnabled", true));

    Diagnosis d =
        world.app().withPasswordRegistry("myacr", "reg-pass").failsWith(unauthorized(Step.TOKEN));

    assertThat(causes(d)).containsExactly("Secret 'reg-pass' does not exist in app 'web'");
  }

  @Test
  void anEntryWithoutPasswordSecretRefIsReported() {
    Diagnosis d =
        world.app().withPasswordRegistry("myacr", null).failsWith(unauthorized(Step.TOKEN));

    assertThat(causes(d)).containsExactly("The registry entry for localhost:5001 has no password");
  }

  @Test
  void aTokenPasswordIsCheckedAgainstItsHash() {
    world.token("ci", "enabled", "right-password");

    Diagnosis right =
        world
            .app()
            .withPasswordRegistry("ci", "reg-pass")
            .withSecret("reg-pass", "right-password")
            .failsWith(unauthorized(Step.TOKEN));
    Diagnosis wrong =
        world
            .app()
            .withPasswordRegistry("ci", "reg-pass")
            .withSecret("reg-pass", "wrong-password")
            .failsWith(unauthorized(Step.TOKEN));

    assertThat(right.findings()).isEmpty();
    assertThat(causes(wrong))
        .containsExactly("Secret 'reg-pass' does not hold a current password of token 'ci'");
  }

  @Test
  void aTokenPasswordWhoseExpiryCannotBeReadIsNoCurrentPassword() {
    world.token("ci", "enabled", "unused");
    ObjectNode passwords = World.JSON.createObjectNode();
    passwords
        .putArray("passwords")
        .add(PasswordHashes.entry("password1", "pw", Optional.empty()).put("expiry", "soon"));
    world.store.put(
        AcrDocuments.tokenPasswords(World.REGISTRY.child("tokens", "ci")),
        passwords,
        Precondition.NONE);

    Diagnosis d =
        world
            .app()
            .withPasswordRegistry("ci", "reg-pass")
            .withSecret("reg-pass", "pw")
            .failsWith(unauthorized(Step.TOKEN));

    assertThat(causes(d))
        .containsExactly("The password of token 'ci' in secret 'reg-pass' has expired");
    assertThat(d.findings().get(0).code()).isEqualTo(CauseCode.TOKEN_PASSWORD_EXPIRED);
  }

  @Test
  void aTokenWhoseScopeMapLeavesTheRepositoryOutIsReportedWithTheRepositoryToAdd() {
    world.put(
        World.REGISTRY.child("scopeMaps", "web-only"),
        """
        {"name":"web-only","type":"Microsoft.ContainerRegistry/registries/scopeMaps",
         "properties":{"type":"UserDefined","actions":["repositories/web/content/read"]}}
        """);
    world.token("ci", "enabled", "pw", "web-only");

    Diagnosis d =
        world
            .app()
            .withPasswordRegistry("ci", "reg-pass")
            .withSecret("reg-pass", "pw")
            .failsWith(unauthorized(Step.MANIFEST));

    assertThat(texts(d))
        .containsExactly(
            new Text(
                "Token 'ci' of myacr cannot pull api",
                "Its scope map 'web-only' has no action repositories/api/content/read, nor a"
                    + " wildcard that covers it.",
                "berth acr scope-map update -r myacr -n web-only --add-repository api"
                    + " content/read"));
  }

  @Test
  void aDisabledOrMissingTokenIsReported() {
    world.token("ci", "disabled", "pw");

    Diagnosis disabled =
        world
            .app()
            .withPasswordRegistry("ci", "reg-pass")
            .withSecret("reg-pass", "pw")
            .failsWith(unauthorized(Step.TOKEN));
    Diagnosis missing =
        world
            .app()
            .withPasswordRegistry("nobody", "reg-pass")
            .withSecret("reg-pass", "pw")
            .failsWith(unauthorized(Step.TOKEN));

    assertThat(causes(disabled)).containsExactly("Token 'ci' of myacr is disabled");
    assertThat(disabled.findings().get(0).fix())
        .isEqualTo("berth acr token update -r myacr -n ci --status enabled");
    assertThat(causes(missing)).containsExactly("myacr has no admin user or token named 'nobody'");
  }

  // --- several causes, and none

  @Test
  void severalCausesAreAllListedInTheOrderTheyMustBeFixed() {
    world.registry(
        p -> {
          p.withObject("policies")
              .putObject("azureADAuthenticationAsArmPolicy")
              .put("status", "disabled");
          p.withObject("networkRuleSet").put("defaultAction", "Deny");
        });

    Diagnosis d =
        world
            .app()
            .withUserIdentity(PULL_ID, PULL_ID_PRINCIPAL)
            .withRegistry(PULL_ID.value())
            .withImage(World.SERVER + "/api:nope")
            .failsWith(unauthorized(Step.EXCHANGE));

    assertThat(causes(d))
        .containsExactly(
            "myacr does not allow the environment's outbound address 127.0.0.12",
            "myacr refuses ARM-audience tokens",
            "The user-assigned identity pull-id cannot pull api from myacr",
            "Tag nope does not exist in api");
    assertThat(d.findings().stream().map(Finding::code))
        .containsExactly(
            CauseCode.ADDRESS_NOT_ALLOWED,
            CauseCode.ARM_AUDIENCE_DISABLED,
            CauseCode.PULL_ROLE_MISSING,
            CauseCode.TAG_NOT_FOUND);
  }

  @Test
  void twoAndThreeCausesAreReportedInTheOrderToFixThem() {
    // Two: an identity not attached (fix first: a role can only be granted to an identity) and a
    // missing tag (last: only a pull that gets through can find it).
    Diagnosis two =
        world
            .app()
            .withRegistry(PULL_ID.value())
            .withImage(World.SERVER + "/api:nope")
            .failsWith(unauthorized(Step.EXCHANGE));
    assertThat(two.findings().stream().map(Finding::code))
        .containsExactly(CauseCode.IDENTITY_NOT_ATTACHED, CauseCode.TAG_NOT_FOUND);

    // Three: the registry's answers in its own order, network before exchange before the image.
    world.registry(
        p -> {
          p.put("publicNetworkAccess", "Disabled");
          p.withObject("policies")
              .putObject("azureADAuthenticationAsArmPolicy")
              .put("status", "disabled");
        });
    world.pullers.add(PULL_ID_PRINCIPAL);
    Diagnosis three =
        world
            .app()
            .withUserIdentity(PULL_ID, PULL_ID_PRINCIPAL)
            .withRegistry(PULL_ID.value())
            .withImage(World.SERVER + "/api:nope")
            .failsWith(unauthorized(Step.EXCHANGE));
    assertThat(three.findings().stream().map(Finding::code))
        .containsExactly(
            CauseCode.PUBLIC_NETWORK_DISABLED,
            CauseCode.ARM_AUDIENCE_DISABLED,
            CauseCode.TAG_NOT_FOUND);
  }

  @Test
  void whenNoCauseHoldsItSaysSoWithTheRegistryAnswer() {
    world.pullers.add(SYSTEM_PRINCIPAL);

    Diagnosis d =
        world
            .app()
            .withSystemIdentity()
            .withRegistry("system")
            .failsWith(unauthorized(Step.EXCHANGE));

    assertThat(d.findings()).isEmpty();
    assertThat(d.render())
        .isEqualTo(
            "Berth's diagnosis: Berth found no cause in the registry's configuration; the registry"
                + " answered UNAUTHORIZED (HTTP 401) to POST /oauth2/exchange.");
  }

  @Test
  void theDiagnosisReadsTheAppAsStoredNow() {
    world.pullers.add(SYSTEM_PRINCIPAL);
    Diagnosis before = world.app().withRegistry("system").failsWith(unauthorized(Step.EXCHANGE));
    Diagnosis after =
        world
            .app()
            .withSystemIdentity()
            .withRegistry("system")
            .failsWith(unauthorized(Step.EXCHANGE));

    assertThat(before.findings()).hasSize(1);
    assertThat(after.findings()).isEmpty();
    assertThat(world.store.get(APP)).isPresent();
  }
}
