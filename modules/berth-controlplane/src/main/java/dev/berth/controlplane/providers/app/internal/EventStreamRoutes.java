package dev.berth.controlplane.providers.app.internal;

import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmErrors;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.api.app.AppTypes;
import dev.berth.api.app.ContainerApp;
import dev.berth.controlplane.ProviderRoute;
import dev.berth.controlplane.StreamRoute;
import dev.berth.controlplane.providers.app.LogStreams;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.io.OutputStream;
import java.util.List;

/**
 * The streams {@code az containerapp logs show} and {@code az containerapp env logs show} read at
 * the {@code eventStreamEndpoint}'s host with a {@code getAuthToken} token (Container Apps' log
 * stream service, docs/az-containerapp.md): {@code GET …/containerApps/{app}/eventstream} (the
 * app's system events), {@code GET
 * …/containerApps/{app}/revisions/{r}/replicas/{x}/containers/{c}/logstream} (a replica's console)
 * and {@code GET …/managedEnvironments/{env}/eventstream} (the system events of the environment's
 * apps), each with {@code follow}, {@code tailLines} and (console) {@code output=json|text}.
 * Thread-safe.
 */
public final class EventStreamRoutes {

  /** az's bound of {@code --tail}; Berth reads at most this many lines back. */
  private static final int MAX_TAIL = 300;

  private EventStreamRoutes() {}

  /** The container app type's two streams. */
  public static List<StreamRoute> forApps(
      ResourceStore store, LogStreams logs, StreamTokens tokens) {
    return List.of(
        new StreamRoute(
            "eventstream",
            "eventstream",
            tokens,
            r -> {
              Params p = Params.of(r);
              requireExists(store, r.resource());
              send(r, logs.events(List.of(r.resource()), p.tail, p.follow));
            }),
        new StreamRoute(
            "logstream",
            "revisions/{revision}/replicas/{replica}/containers/{container}/logstream",
            tokens,
            r -> console(store, logs, r)));
  }

  /** The managed environment type's stream. */
  public static List<StreamRoute> forEnvironments(
      ResourceStore store, LogStreams logs, StreamTokens tokens) {
    return List.of(
        new StreamRoute(
            "eventstream",
            "eventstream",
            tokens,
            r -> {
              Params p = Params.of(r);
              requireExists(store, r.resource());
              send(r, logs.events(appsIn(store, r.resource()), p.tail, p.follow));
            }));
  }

  private static void console(ResourceStore store, LogStreams logs, ProviderRoute.Request r)
      throws Exception {
    Params p = Params.of(r);
    requireExists(store, r.resource());
    String revision = r.var("revision");
    String replica = r.var("replica");
    LogStreams.Writer writer =
        logs.open(new LogStreams.Request(r.resource(), revision, replica, false, p.tail, p.follow))
            .orElseThrow(
                () ->
                    ArmException.of(
                        ArmErrorCode.ResourceNotFound,
                        "No logs for replica '"
                            + replica
                            + "' of revision '"
                            + revision
                            + "' of container app '"
                            + r.resource().name()
                            + "'."));
    send(r, p.json ? out -> writeAsJson(writer, out) : writer);
  }

  /** ACA's {@code output=json} console shape: {@code {"TimeStamp":…,"Log":…}} a line. */
  private static void writeAsJson(LogStreams.Writer writer, OutputStream out)
      throws java.io.IOException {
    try (JsonLogLines lines = new JsonLogLines(out)) {
      writer.writeTo(lines);
    }
  }

  private static void send(ProviderRoute.Request r, LogStreams.Writer writer) throws Exception {
    r.exchange().stream(
        200,
        "text/plain; charset=utf-8",
        -1,
        out -> {
          // An empty write commits the status and headers now: a client that follows an
          // empty log (tailLines=0) learns at once that it is connected, not at the first line.
          out.write(new byte[0], 0, 0);
          writer.writeTo(out);
        });
  }

  private static void requireExists(ResourceStore store, ResourceId id) {
    if (store.get(id).isEmpty()) {
      throw ArmErrors.resourceNotFound(id);
    }
  }

  /** The container apps whose environment is {@code env}, in the same subscription. */
  private static List<ResourceId> appsIn(ResourceStore store, ResourceId env) {
    ResourceId sub = env.subscription().orElseThrow();
    return store.stream(Query.descendants(sub, AppTypes.CONTAINER_APP).limit(1000))
        .filter(doc -> ContainerApp.of(doc.id(), doc.body()).inEnvironment(env))
        .map(StoredResource::id)
        .toList();
  }

  /** The query of a stream request, as az sends it. */
  private record Params(int tail, boolean follow, boolean json) {
    static Params of(ProviderRoute.Request r) {
      int tail = tail(r.query("tailLines").orElse("20"));
      boolean follow = Boolean.parseBoolean(r.query("follow").orElse("false").strip());
      String output = r.query("output").orElse("json").strip();
      if (!output.equalsIgnoreCase("json") && !output.equalsIgnoreCase("text")) {
        throw ArmException.of(
                ArmErrorCode.InvalidParameter, "output must be json or text, not '" + output + "'.")
            .withTarget("output");
      }
      return new Params(tail, follow, output.equalsIgnoreCase("json"));
    }

    private static int tail(String text) {
      try {
        int tail = Integer.parseInt(text.strip());
        if (tail >= 0 && tail <= MAX_TAIL) {
          return tail;
        }
      } catch (NumberFormatException e) {
        // answered below
      }
      throw ArmException.of(
              ArmErrorCode.InvalidParameter,
              "tailLines must be a number from 0 to " + MAX_TAIL + ".")
          .withTarget("tailLines");
    }
  }
}
