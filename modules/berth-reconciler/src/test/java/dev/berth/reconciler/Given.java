package dev.berth.reconciler;

import static dev.berth.reconciler.Scene.APP;
import static dev.berth.reconciler.Scene.ENV;
import static dev.berth.reconciler.Scene.RG;
import static dev.berth.reconciler.Scene.SERVER;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.secrets.SecretSlot;
import dev.berth.identity.AppIdentities;
import dev.berth.identity.ReplicaIdentityTable;
import dev.berth.runtime.image.PullException;
import dev.berth.store.Precondition;
import dev.berth.testing.TableTest.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Fixture builders for reconciler table tests: the documents the control plane would have written
 * ({@code app().withIdentity(SYSTEM).pullingWith(SYSTEM)}, {@code revision("v1").scale(2, 2)}), the
 * runtime and registry as a step finds them, and the steps themselves ({@code pass(V1)}).
 */
final class Given {

  static final ObjectMapper JSON = new ObjectMapper();
  static final ResourceId V1 = revisionId("v1");
  static final ResourceId V2 = revisionId("v2");

  /** A managed identity of the app: its system-assigned one or a user-assigned one. */
  record Identity(String reference, boolean system, String principalId) {}

  static final Identity SYSTEM =
      new Identity("system", true, "5a5a5a5a-0000-4000-8000-000000000001");

  static Identity userAssigned(String name) {
    return new Identity(
        RG + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/" + name,
        false,
        "11111111-1111-4111-8111-"
            + String.format("%012d", Integer.toUnsignedLong(name.hashCode())));
  }

  private Given() {}

  static ResourceId revisionId(String suffix) {
    return APP.child("revisions", "app--" + suffix);
  }

  /** The app {@code app} in environment {@code env}, single revision mode, latest {@code v1}. */
  static AppBuilder app() {
    return new AppBuilder();
  }

  /** A revision of the app, as the control plane makes it: one container, min 1 replica. */
  static RevisionBuilder revision(String suffix) {
    return new RevisionBuilder(revisionId(suffix));
  }

  static final class AppBuilder implements Step<Scene> {
    private final List<Identity> identities = new ArrayList<>();
    private final List<String> description = new ArrayList<>(List.of("app()"));
    private String mode = "Single";
    private String latest = "app--v1";
    private String provisioningState = "";
    private final ObjectNode configuration = JSON.createObjectNode();
    private final Map<String, String> secrets = new LinkedHashMap<>();

    AppBuilder withIdentity(Identity identity) {
      identities.add(identity);
      description.add(
          "withIdentity(" + (identity.system() ? "SYSTEM" : identity.reference()) + ")");
      return this;
    }

    /** Its registry entry for {@code localhost:5001} pulls with {@code identity}. */
    AppBuilder pullingWith(Identity identity) {
      registries().addObject().put("server", SERVER).put("identity", identity.reference());
      description.add("pullingWith(" + identity.reference() + ")");
      return this;
    }

    /** Its registry entry logs in as {@code user} with the secret {@code pull-password}. */
    AppBuilder pullingAs(String user, String password) {
      registries()
          .addObject()
          .put("server", SERVER)
          .put("username", user)
          .put("passwordSecretRef", "pull-password");
      secrets.put("pull-password", password);
      description.add("pullingAs(" + user + ")");
      return this;
    }

    /** Its ingress targets {@code port}: a TCP probe on it gates readiness. */
    AppBuilder withIngress(int port) {
      configuration.putObject("ingress").put("external", true).put("targetPort", port);
      description.add("withIngress(" + port + ")");
      return this;
    }

    AppBuilder mode(String activeRevisionsMode) {
      mode = activeRevisionsMode;
      description.add("mode(" + mode + ")");
      return this;
    }

    /** The app's {@code provisioningState}, as the ARM layer left it (none by default). */
    AppBuilder provisioned(String state) {
      provisioningState = state;
      description.add("provisioned(" + state + ")");
      return this;
    }

    AppBuilder latest(String revisionName) {
      latest = revisionName;
      description.add("latest(" + revisionName + ")");
      return this;
    }

    private ArrayNode registries() {
      return configuration.withArray("registries");
    }

    @Override
    public void run(Scene scene) {
      scene.store.put(
          ENV,
          JSON.createObjectNode()
              .put("type", "Microsoft.App/managedEnvironments")
              .set("properties", JSON.createObjectNode().put("outboundAddress", "127.0.0.12")),
          Precondition.NONE);
      ObjectNode doc = JSON.createObjectNode().put("type", "Microsoft.App/containerApps");
      ObjectNode identity = doc.putObject("identity");
      List<String> types = new ArrayList<>();
      ObjectNode users = JSON.createObjectNode();
      for (Identity i : identities) {
        if (i.system()) {
          types.add("SystemAssigned");
          identity.put("principalId", i.principalId()).put("tenantId", "tenant-1");
          doc.putObject("berth").put("systemIdentityClientId", "c-" + i.principalId());
        } else {
          if (types.stream().noneMatch("UserAssigned"::equals)) {
            types.add("UserAssigned");
          }
          putUserAssigned(scene, i);
          users.putObject(i.reference()).put("principalId", i.principalId());
        }
      }
      identity.put("type", types.isEmpty() ? "None" : String.join(",", types));
      if (!users.isEmpty()) {
        identity.set("userAssignedIdentities", users);
      }
      ObjectNode props =
          doc.putObject("properties")
              .put("environmentId", ENV.value())
              .put("latestRevisionName", latest);
      if (!provisioningState.isEmpty()) {
        props.put("provisioningState", provisioningState);
      }
      ObjectNode config = props.putObject("configuration").put("activeRevisionsMode", mode);
      config.setAll(configuration.deepCopy());
      ArrayNode sealed = config.putArray("secrets");
      secrets.forEach(
          (name, value) ->
              sealed
                  .addObject()
                  .put("name", name)
                  .put("value", scene.sealer.seal(value, SecretSlot.appSecret(APP, name))));
      scene.store.put(APP, doc, Precondition.NONE);
    }

    private static void putUserAssigned(Scene scene, Identity i) {
      ObjectNode uami = JSON.createObjectNode().put("type", AppIdentities.USER_ASSIGNED_TYPE);
      uami.putObject("properties")
          .put("principalId", i.principalId())
          .put("clientId", "c-" + i.principalId())
          .put("tenantId", "tenant-1");
      scene.store.put(ResourceId.parse(i.reference()), uami, Precondition.NONE);
    }

    @Override
    public String toString() {
      return String.join(".", description);
    }
  }

  static final class RevisionBuilder implements Step<Scene> {
    private final ResourceId id;
    private String tag = "1";
    private int min = 1;
    private int max = 10;
    private String rules = "[]";
    private boolean active = true;

    RevisionBuilder(ResourceId id) {
      this.id = id;
    }

    RevisionBuilder image(String tag) {
      this.tag = tag;
      return this;
    }

    RevisionBuilder scale(int minReplicas, int maxReplicas) {
      min = minReplicas;
      max = maxReplicas;
      return this;
    }

    /** The scale rules, as JSON ({@code [{"name":…,"azureQueue":{…}}]}). */
    RevisionBuilder rules(String json) {
      rules = json;
      return this;
    }

    RevisionBuilder inactive() {
      active = false;
      return this;
    }

    @Override
    public void run(Scene scene) throws Exception {
      ObjectNode doc =
          (ObjectNode)
              JSON.readTree(
                  """
                  {"type":"Microsoft.App/containerApps/revisions",
                   "properties":{"template":{"containers":[{"name":"api","image":"%s/api:%s",
                      "env":[{"name":"MODE","value":"prod"}]}],
                    "scale":{"minReplicas":%d,"maxReplicas":%d,"rules":%s}},
                    "active":%s,"provisioningState":"Provisioning","runningState":"Processing",
                    "healthState":"None","replicas":0},
                   "berth":{"restartGeneration":0}}
                  """
                      .formatted(SERVER, tag, min, max, rules, active));
      scene.store.put(id, doc, Precondition.NONE);
    }

    @Override
    public String toString() {
      return "revision(" + id.name() + ":" + tag + ", scale " + min + ".." + max + ")";
    }
  }

  /** A replica of {@code revision} that an earlier Berth left running, with its header's hash. */
  static Step<Scene> leftRunning(String replica, ResourceId revision) {
    return Step.named(
        "leftRunning(" + replica + ")",
        s -> {
          String header = ReplicaIdentityTable.newSecret();
          s.headers.put(replica, header);
          s.runtime.leftRunning(
              replica,
              Map.of(
                  "berth.revision",
                  revision.value(),
                  "berth.app",
                  APP.value(),
                  "berth.identity-header-sha256",
                  ReplicaIdentityTable.fingerprint(header)));
        });
  }

  /** The registry refuses every pull, as it does an identity without pull rights. */
  static Step<Scene> pullsRefused() {
    return Step.named(
        "pullsRefused",
        s ->
            s.puller.failure =
                new PullException(
                    PullException.Reason.UNAUTHORIZED,
                    PullException.Step.EXCHANGE,
                    401,
                    "UNAUTHORIZED",
                    "POST https://localhost:5001/oauth2/exchange: UNAUTHORIZED",
                    null));
  }

  /** Nothing answers the replicas' probes yet (an app still starting). */
  static Step<Scene> probesFail() {
    return Step.named("probesFail", s -> s.probesPass = false);
  }

  /** The replicas' probes pass from now on. */
  static Step<Scene> probesPassNow() {
    return Step.named("probesPassNow", s -> s.probesPass = true);
  }

  /** Whatever refused the pulls is fixed; nobody redeploys. */
  static Step<Scene> causeFixed() {
    return Step.named("causeFixed", s -> s.puller.failure = null);
  }

  static Step<Scene> pass(ResourceId revision) {
    return Step.named("pass(" + revision.name() + ")", s -> s.pass(revision));
  }

  static Step<Scene> timePasses(Duration step) {
    return Step.named("timePasses(" + step + ")", s -> s.clock.advance(step));
  }

  /** The ingress now sees {@code inFlight} requests for {@code revision}. */
  static Step<Scene> inFlight(ResourceId revision, int inFlight) {
    return Step.named(
        "inFlight(" + revision.name() + ", " + inFlight + ")",
        s -> s.traffic.inFlight(revision, inFlight));
  }

  static Step<Scene> berthRestarts() {
    return Step.named("berthRestarts", Scene::restartBerth);
  }

  /** The revision's template scale is now {@code min..max} (only that field changes). */
  static Step<Scene> scaled(ResourceId revision, int min, int max) {
    return edit(
        "scaled(" + revision.name() + ", " + min + ".." + max + ")",
        revision,
        doc ->
            ((ObjectNode) doc.at("/properties/template/scale"))
                .put("minReplicas", min)
                .put("maxReplicas", max));
  }

  static Step<Scene> deactivated(ResourceId revision) {
    return edit(
        "deactivated(" + revision.name() + ")",
        revision,
        doc -> ((ObjectNode) doc.path("properties")).put("active", false));
  }

  /** {@code POST …/restart}: the restart generation goes up by one. */
  static Step<Scene> restartRequested(ResourceId revision) {
    return edit(
        "restartRequested(" + revision.name() + ")",
        revision,
        doc -> {
          ObjectNode berth = (ObjectNode) doc.path("berth");
          berth.put("restartGeneration", berth.path("restartGeneration").asLong() + 1);
        });
  }

  /** The process of the revision's only replica ends with {@code code}. */
  static Step<Scene> itsReplicaExits(ResourceId revision, int code) {
    return Step.named(
        "itsReplicaExits(" + revision.name() + ", " + code + ")",
        s -> s.runtime.exit(s.replicasOf(revision).getFirst(), code, false));
  }

  private static Step<Scene> edit(String name, ResourceId id, Consumer<ObjectNode> change) {
    return Step.named(
        name,
        s -> {
          ObjectNode doc = s.store.get(id).orElseThrow().body().deepCopy();
          change.accept(doc);
          s.store.put(id, doc, Precondition.NONE);
        });
  }

  /** The control plane deleted the revision (with its replica documents). */
  static Step<Scene> deleted(ResourceId revision) {
    return Step.named("deleted(" + revision.name() + ")", s -> s.store.deleteTree(revision));
  }
}
