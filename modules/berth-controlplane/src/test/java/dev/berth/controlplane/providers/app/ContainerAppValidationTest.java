package dev.berth.controlplane.providers.app;

import static dev.berth.controlplane.providers.app.AppFixture.app;
import static dev.berth.controlplane.providers.app.AppFixture.configuration;
import static dev.berth.controlplane.providers.app.AppFixture.container;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.http.Json;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad container app bodies are 400s in ACA's words, never 500s; names follow ACA's rule. */
class ContainerAppValidationTest {

  private static AppFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new AppFixture();
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  static Stream<Arguments> badBodies() {
    return Stream.of(
        bad(
            "no environment",
            a -> props(a).remove("environmentId"),
            "InvalidParameterValueInContainerTemplate",
            "environmentId"),
        bad(
            "unknown environment",
            a -> props(a).put("environmentId", AppFixture.ENV + "x"),
            "InvalidParameterValueInContainerTemplate",
            "was not found"),
        bad(
            "environment id not an id",
            a -> props(a).put("environmentId", "env1"),
            "InvalidParameterValueInContainerTemplate",
            "was not found"),
        bad(
            "no containers",
            a -> template(a).putArray("containers"),
            "InvalidParameterValueInContainerTemplate",
            "at least one container"),
        bad(
            "containers not an array",
            a -> template(a).put("containers", "api"),
            "ContainerAppInvalidSchema",
            "template.containers"),
        bad(
            "container without image",
            a -> container(a).remove("image"),
            "InvalidParameterValueInContainerTemplate",
            "needs an image"),
        bad(
            "container without name",
            a -> container(a).remove("name"),
            "InvalidParameterValueInContainerTemplate",
            "needs a name"),
        bad(
            "duplicate container names",
            a -> ((ArrayNode) template(a).get("containers")).add(container(a).deepCopy()),
            "InvalidParameterValueInContainerTemplate",
            "more than once"),
        bad(
            "cpu without memory",
            a -> container(a).putObject("resources").put("cpu", 0.5),
            "InvalidParameterValueInContainerTemplate",
            "together"),
        bad(
            "cpu too high",
            a -> container(a).putObject("resources").put("cpu", 8).put("memory", "16Gi"),
            "InvalidParameterValueInContainerTemplate",
            "between 0.25 and 4"),
        bad(
            "memory unit",
            a -> container(a).putObject("resources").put("cpu", 1).put("memory", "1GB"),
            "InvalidParameterValueInContainerTemplate",
            "512Mi"),
        bad(
            "cpu not a number",
            a -> container(a).putObject("resources").put("cpu", "lots").put("memory", "1Gi"),
            "ContainerAppInvalidSchema",
            "cpu"),
        bad(
            "env without value source",
            a -> container(a).putArray("env").addObject().put("value", "x"),
            "InvalidParameterValueInContainerTemplate",
            "needs a name"),
        bad(
            "an env value with a NUL, which no process environment can hold",
            a -> container(a).putArray("env").addObject().put("name", "A").put("value", "a\u0000b"),
            "InvalidParameterValueInContainerTemplate",
            "NUL"),
        bad(
            "an argument with a NUL",
            a -> container(a).putArray("args").add("-c").add("echo\u0000"),
            "InvalidParameterValueInContainerTemplate",
            "args[1]"),
        bad(
            "a command that is no array",
            a -> container(a).put("command", "sh -c 'echo hi'"),
            "ContainerAppInvalidSchema",
            "command"),
        bad(
            "a command entry that is no string",
            a -> container(a).putArray("command").add(7),
            "ContainerAppInvalidSchema",
            "command[0]"),
        bad(
            "env secretRef unknown",
            a ->
                container(a).putArray("env").addObject().put("name", "DB").put("secretRef", "nope"),
            "InvalidParameterValueInContainerTemplate",
            "'nope' is not defined"),
        bad(
            "registry password secret unknown",
            a ->
                configuration(a)
                    .putArray("registries")
                    .addObject()
                    .put("server", "r.io")
                    .put("username", "u")
                    .put("passwordSecretRef", "pw"),
            "InvalidParameterValueInContainerTemplate",
            "'pw' is not defined"),
        bad(
            "registry system without SystemAssigned",
            a ->
                configuration(a)
                    .putArray("registries")
                    .addObject()
                    .put("server", "r.io")
                    .put("identity", "system"),
            "InvalidParameterValueInContainerTemplate",
            "SystemAssigned"),
        bad(
            "registry system-environment",
            a -> {
              a.putObject("identity").put("type", "SystemAssigned");
              configuration(a)
                  .putArray("registries")
                  .addObject()
                  .put("server", "r.io")
                  .put("identity", "system-environment");
            },
            "InvalidParameterValueInContainerTemplate",
            "not supported"),
        bad(
            "registry identity not on app",
            a ->
                configuration(a)
                    .putArray("registries")
                    .addObject()
                    .put("server", "r.io")
                    .put("identity", AppFixture.IDS + "/other"),
            "InvalidParameterValueInContainerTemplate",
            "userAssignedIdentities"),
        bad(
            "secret without value",
            a -> configuration(a).putArray("secrets").addObject().put("name", "s1"),
            "ContainerAppSecretInvalid",
            "'s1'"),
        bad(
            "probe type",
            a ->
                container(a)
                    .putArray("probes")
                    .addObject()
                    .put("type", "Sometimes")
                    .putObject("tcpSocket")
                    .put("port", 80),
            "InvalidParameterValueInContainerTemplate",
            "Liveness"),
        bad(
            "probe port",
            a ->
                container(a)
                    .putArray("probes")
                    .addObject()
                    .put("type", "Liveness")
                    .putObject("httpGet")
                    .put("path", "/"),
            "InvalidParameterValueInContainerTemplate",
            "port"),
        bad(
            "revision mode",
            a -> configuration(a).put("activeRevisionsMode", "Labels"),
            "InvalidParameterValueInContainerTemplate",
            "Single"),
        bad(
            "transport",
            a ->
                configuration(a).putObject("ingress").put("transport", "udp").put("targetPort", 80),
            "InvalidParameterValueInContainerTemplate",
            "transport"),
        bad(
            "scale",
            a -> template(a).putObject("scale").put("minReplicas", 5).put("maxReplicas", 2),
            "InvalidParameterValueInContainerTemplate",
            "minReplicas"),
        bad(
            "bad suffix",
            a -> template(a).put("revisionSuffix", "Bad_Suffix"),
            "InvalidParameterValueInContainerTemplate",
            "revisionSuffix"),
        bad(
            "a suffix that makes the revision name longer than a host name's label",
            a -> template(a).put("revisionSuffix", "v".repeat(60)),
            "InvalidParameterValueInContainerTemplate",
            "at most 63"),
        bad(
            "identity type",
            a -> a.putObject("identity").put("type", "Everything"),
            "InvalidParameter",
            "identity type"),
        bad(
            "missing user-assigned identity",
            a ->
                a.putObject("identity")
                    .put("type", "UserAssigned")
                    .putObject("userAssignedIdentities")
                    .putObject(AppFixture.IDS + "/ghost"),
            "FailedIdentityOperation",
            "ghost"),
        bad(
            "UserAssigned without entries",
            a -> a.putObject("identity").put("type", "UserAssigned"),
            "InvalidParameter",
            "userAssignedIdentities"),
        bad(
            "configuration not an object",
            a -> props(a).put("configuration", 3),
            "ContainerAppInvalidSchema",
            "configuration"),
        bad(
            "init containers, which Berth does not run",
            a ->
                template(a)
                    .putArray("initContainers")
                    .addObject()
                    .put("name", "setup")
                    .put("image", "localhost:5001/setup:1"),
            "InvalidParameterValueInContainerTemplate",
            "template.initContainers"),
        bad(
            "an Azure Files volume",
            a -> volume(a, "share").put("storageType", "AzureFile").put("storageName", "files"),
            "InvalidParameterValueInContainerTemplate",
            "template.volumes.share.storageType"),
        bad(
            "an unknown storage type",
            a -> volume(a, "v").put("storageType", "Ramdisk"),
            "InvalidParameterValueInContainerTemplate",
            "not one of EmptyDir, Secret"),
        bad(
            "a volume name with a slash",
            a -> volume(a, "a/b"),
            "InvalidParameterValueInContainerTemplate",
            "template.volumes[0].name"),
        bad(
            "two volumes of one name",
            a -> {
              volume(a, "v");
              volume(a, "v");
            },
            "InvalidParameterValueInContainerTemplate",
            "more than once"),
        bad(
            "a secret volume naming a missing secret",
            a ->
                volume(a, "s")
                    .put("storageType", "Secret")
                    .putArray("secrets")
                    .addObject()
                    .put("secretRef", "ghost"),
            "InvalidParameterValueInContainerTemplate",
            "template.volumes.s.secrets[0].secretRef"),
        bad(
            "secrets on an EmptyDir",
            a -> volume(a, "e").putArray("secrets").addObject().put("secretRef", "ghost"),
            "InvalidParameterValueInContainerTemplate",
            "only a Secret volume"),
        bad(
            "a mount of a missing volume",
            a -> mount(a, "ghost", "/data"),
            "InvalidParameterValueInContainerTemplate",
            "template.containers.api.volumeMounts[0].volumeName"),
        bad(
            "a relative mount path",
            a -> {
              volume(a, "v");
              mount(a, "v", "data");
            },
            "InvalidParameterValueInContainerTemplate",
            "template.containers.api.volumeMounts[0].mountPath"),
        bad(
            "a mount path that climbs",
            a -> {
              volume(a, "v");
              mount(a, "v", "/data/../etc");
            },
            "InvalidParameterValueInContainerTemplate",
            "volumeMounts[0].mountPath"),
        bad(
            "a mount over /proc",
            a -> {
              volume(a, "v");
              mount(a, "v", "/proc/self");
            },
            "InvalidParameterValueInContainerTemplate",
            "/proc, /sys or /dev"),
        bad(
            "two mounts at one path",
            a -> {
              volume(a, "v");
              mount(a, "v", "/data");
              mount(a, "v", "/data");
            },
            "InvalidParameterValueInContainerTemplate",
            "two volume mounts"),
        bad(
            "a mount over /etc, which would hide Berth's /etc/hosts",
            a -> {
              volume(a, "v");
              mount(a, "v", "/etc");
            },
            "InvalidParameterValueInContainerTemplate",
            "what Berth mounts"),
        bad(
            "a mount inside the registries' CA folder",
            a -> {
              volume(a, "v");
              mount(a, "v", "/etc/docker/certs.d/mine");
            },
            "InvalidParameterValueInContainerTemplate",
            "what Berth mounts"),
        bad(
            "a secret file name over 255 bytes",
            a -> {
              configuration(a).putArray("secrets").addObject().put("name", "s").put("value", "v");
              volume(a, "sv")
                  .put("storageType", "Secret")
                  .putArray("secrets")
                  .addObject()
                  .put("secretRef", "s")
                  .put("path", "x".repeat(256));
            },
            "InvalidParameterValueInContainerTemplate",
            "at most 255 bytes"),
        bad(
            "more volumes than Berth mounts",
            a -> {
              for (int i = 0; i <= 32; i++) {
                volume(a, "v" + i);
              }
            },
            "InvalidParameterValueInContainerTemplate",
            "at most 32 volumes"),
        bad(
            "more mounts than Berth mounts",
            a -> {
              volume(a, "v");
              for (int i = 0; i <= 32; i++) {
                mount(a, "v", "/m" + i);
              }
            },
            "InvalidParameterValueInContainerTemplate",
            "at most 32 volume mounts"),
        bad(
            "a sub-path that climbs",
            a -> {
              volume(a, "v");
              mount(a, "v", "/data").put("subPath", "../../etc");
            },
            "InvalidParameterValueInContainerTemplate",
            "volumeMounts[0].subPath"));
  }

  private static ObjectNode volume(ObjectNode app, String name) {
    ObjectNode t = template(app);
    ArrayNode volumes = t.has("volumes") ? (ArrayNode) t.get("volumes") : t.putArray("volumes");
    return volumes.addObject().put("name", name);
  }

  private static ObjectNode mount(ObjectNode app, String volume, String path) {
    ObjectNode c = container(app);
    ArrayNode mounts =
        c.has("volumeMounts") ? (ArrayNode) c.get("volumeMounts") : c.putArray("volumeMounts");
    return mounts.addObject().put("volumeName", volume).put("mountPath", path);
  }

  @Test
  void volumesAreStoredWithTheirDefaultsAndASecretVolumeNamesItsFiles() throws Exception {
    ObjectNode body = app();
    props(body)
        .putObject("configuration")
        .putArray("secrets")
        .addObject()
        .put("name", "db-password")
        .put("value", "s3cret");
    volume(body, "scratch");
    volume(body, "creds")
        .put("storageType", "secret")
        .putArray("secrets")
        .addObject()
        .put("secretRef", "db-password")
        .put("path", "password");
    mount(body, "scratch", "/tmp/scratch");
    mount(body, "creds", "/mnt/creds");

    Reply r = f.put("vols", body);

    assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
    JsonNode template = r.json().at("/properties/template");
    assertThat(template.at("/volumes/0/storageType").asText()).isEqualTo("EmptyDir");
    assertThat(template.at("/volumes/1/storageType").asText()).isEqualTo("Secret");
    assertThat(template.at("/volumes/1/secrets/0/path").asText()).isEqualTo("password");
    assertThat(template.at("/containers/0/volumeMounts/1/mountPath").asText())
        .isEqualTo("/mnt/creds");
  }

  private static Arguments bad(String what, Consumer<ObjectNode> change, String code, String says) {
    return Arguments.of(what, change, code, says);
  }

  private static ObjectNode props(ObjectNode app) {
    return (ObjectNode) app.get("properties");
  }

  private static ObjectNode template(ObjectNode app) {
    return (ObjectNode) props(app).get("template");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void aBadBodyIs400WithACodeAndAMessageNamingTheProblem(
      String what, Consumer<ObjectNode> change, String code, String says) throws Exception {
    ObjectNode body = app();
    change.accept(body);

    Reply r = f.put("bad", body);

    assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
    assertThat(r.json().at("/error/code").asText()).isEqualTo(code);
    assertThat(r.json().at("/error/message").asText()).contains(says);
    assertThat(f.get("bad").status()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Upper",
        "1starts-with-digit",
        "ends-with-",
        "double--hyphen",
        "a23456789012345678901234567890123"
      })
  void aNameOutsideAcasRuleIs400InvalidResourceName(String name) throws Exception {
    Reply r = f.put(name, app());
    assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("InvalidResourceName");
    assertThat(r.json().at("/error/message").asText()).contains("Invalid ContainerApp name");
  }

  @Test
  void theLegacyEnvironmentFieldIsAcceptedAndBothAreReturned() throws Exception {
    ObjectNode body = app();
    props(body).remove("environmentId");
    props(body).put("managedEnvironmentId", AppFixture.ENV);
    Reply r = f.put("legacy", body);
    assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
    assertThat(r.json().at("/properties/environmentId").asText()).isEqualTo(AppFixture.ENV);
    assertThat(r.json().at("/properties/managedEnvironmentId").asText()).isEqualTo(AppFixture.ENV);
  }

  @Test
  void aSecondAppOfOneNameInOneEnvironmentIs409EvenFromAnotherGroup() throws Exception {
    assertThat(f.put("twin", app()).status()).isEqualTo(201);
    String rg2 =
        "/subscriptions/" + dev.berth.controlplane.support.ArmServer.SUB + "/resourceGroups/rg2";
    assertThat(
            f.arm
                .put(rg2 + "?api-version=2021-04-01", "owner", "{\"location\":\"local\"}")
                .status())
        .isIn(200, 201);
    String other = rg2 + "/providers/Microsoft.App/containerApps/";

    Reply r =
        f.arm.put(other + "twin" + AppFixture.V, "owner", Json.MAPPER.writeValueAsString(app()));
    assertThat(r.status()).as(r.raw().body()).isEqualTo(409);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("Conflict");
    assertThat(r.json().at("/error/message").asText())
        .contains("'twin' already runs in managed environment 'env1' (in resource group 'rg1')");
    assertThat(f.arm.get(other + "twin" + AppFixture.V, "owner").status()).isEqualTo(404);

    // Its own PUT again is an update, and another name in that group is welcome.
    assertThat(f.put("twin", app()).status()).isEqualTo(200);
    Reply elsewhere =
        f.arm.put(other + "twin2" + AppFixture.V, "owner", Json.MAPPER.writeValueAsString(app()));
    assertThat(elsewhere.status()).as(elsewhere.raw().body()).isEqualTo(201);
  }

  @Test
  void aJsonStringBodyIsRefusedNot500() throws Exception {
    Reply r =
        f.arm.put(
            AppFixture.APPS + "/x" + AppFixture.V, "owner", Json.MAPPER.writeValueAsString("x"));
    assertThat(r.status()).isEqualTo(400);
  }
}
