package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.client.ArmClient;
import picocli.CommandLine.Option;

/**
 * Base of the commands on one container app: its group, id and document, and az's way of changing
 * what PATCH cannot (GET, {@code listSecrets} to put the secret values back, PUT). Not thread-safe
 * (one per invocation).
 */
abstract class ContainerAppBase extends BerthCommand {

  @Option(
      names = {"-g", "--resource-group"},
      required = true,
      description = "Resource group.")
  String group;

  ContainerAppBase(CliEnvironment env) {
    super(env);
  }

  /** The app's name (from {@code -n}, or derived from a revision name). */
  abstract String appName();

  /** A command that names its app with {@code -n/--name}. */
  abstract static class Named extends ContainerAppBase {
    @Option(
        names = {"-n", "--name"},
        required = true,
        description = "Container app name.")
    String name;

    Named(CliEnvironment env) {
      super(env);
    }

    @Override
    String appName() {
      return name;
    }
  }

  String appId(Session session) {
    return ContainerApps.appId(subscriptionPath(session), group, appName());
  }

  JsonNode app(Session session) {
    return session.arm().get(ContainerApps.at(appId(session)));
  }

  /** An ARM client that reports waiting for {@code what} on stderr. */
  ArmClient waiting(Session session, String what) {
    return session.arm().withProgress(WaitProgress.of(this::printErr, what));
  }

  /**
   * The app as az sends it back on PUT: read-only fields dropped and, when it has secrets, their
   * values from {@code POST …/listSecrets} (GET never returns them, and a PUT without them would
   * fail or drop them).
   */
  ObjectNode appForPut(Session session) {
    ObjectNode app = ContainerApps.withoutReadOnlyFields(app(session));
    JsonNode secrets = app.at("/properties/configuration/secrets");
    if (secrets.isArray() && !secrets.isEmpty()) {
      ArrayNode values = JSON.createArrayNode();
      session
          .arm()
          .post(ContainerApps.at(appId(session), "listSecrets"), null)
          .path("value")
          .forEach(
              s -> {
                ObjectNode secret = values.addObject();
                s.fields()
                    .forEachRemaining(
                        e -> {
                          if (!e.getValue().isNull()) {
                            secret.set(e.getKey(), e.getValue());
                          }
                        });
              });
      ((ObjectNode) app.at("/properties/configuration")).set("secrets", values);
    }
    return app;
  }

  /** PUTs the whole app back, waiting for the operation (reported as {@code what}). */
  JsonNode putApp(Session session, ObjectNode app, String what) {
    return waiting(session, what).put(ContainerApps.at(appId(session)), app);
  }

  /** The app's {@code configuration} object, created when missing. */
  static ObjectNode configuration(ObjectNode app) {
    return ContainerApps.object(ContainerApps.object(app, "properties"), "configuration");
  }
}
