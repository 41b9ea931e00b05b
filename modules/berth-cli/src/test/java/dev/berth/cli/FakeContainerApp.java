package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.client.FakeBerth;
import dev.berth.client.FakeBerth.Response;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One container app in a {@link FakeBerth}: app {@code api} in {@code rg1} in environment {@code
 * env1}. GET serves the current document; PUT and PATCH store the body (PATCH merged one level into
 * {@code properties.template}) and answer as ACA does, 201/202 with {@code Azure-AsyncOperation},
 * whose status sequence a test can set. Not thread-safe (configure before running commands).
 */
final class FakeContainerApp {

  static final String NAME = "api";
  static final String GROUP = "rg1";
  static final ObjectMapper JSON = new ObjectMapper();

  final FakeBerth berth;
  final String groupId;
  final String id;
  final String envId;
  final String operation;

  /** The app as GET returns it. */
  ObjectNode app;

  /** What {@code listSecrets} answers. */
  String secretValues = "{\"value\":[]}";

  FakeContainerApp(CliHarness cli) {
    this.berth = cli.berth;
    this.groupId = cli.subscriptionPath() + "/resourceGroups/" + GROUP;
    this.id = groupId + "/providers/Microsoft.App/containerApps/" + NAME;
    this.envId = groupId + "/providers/Microsoft.App/managedEnvironments/env1";
    this.operation =
        cli.subscriptionPath()
            + "/providers/Microsoft.App/locations/local/containerappOperationStatuses/op-1";
    this.app =
        parse(
            """
            {"id":"%s","name":"api","type":"Microsoft.App/containerApps","location":"local",
             "systemData":{"createdBy":"x"},
             "properties":{"provisioningState":"Succeeded","runningStatus":"Running","environmentId":"%s",
               "latestRevisionName":"api--v1","latestReadyRevisionName":"api--v1",
               "configuration":{"activeRevisionsMode":"Single",
                 "ingress":{"fqdn":"api.env1.local.berth","external":true,"targetPort":8080},
                 "secrets":[{"name":"db"}]},
               "template":{"revisionSuffix":"v1","containers":[{"name":"api","image":"localhost:5001/api:1",
                 "env":[{"name":"MODE","value":"dev"}],"resources":{"cpu":0.5,"memory":"1Gi"}}],
                 "scale":{"minReplicas":0,"maxReplicas":10}}}}"""
                .formatted(id, envId));
    this.secretValues = "{\"value\":[{\"name\":\"db\",\"value\":\"pw\",\"identity\":null}]}";
  }

  static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The environment's GET, the app's GET, {@code listSecrets}, PUT, PATCH and DELETE. */
  FakeContainerApp serve() {
    berth.on(
        "GET",
        envId,
        r ->
            Response.json(
                200, "{\"id\":\"" + envId + "\",\"name\":\"env1\",\"location\":\"local\"}"));
    berth.on("GET", id, r -> Response.json(200, app.toString()));
    berth.on(
        "GET",
        id + "/revisions",
        r ->
            Response.json(
                200,
                """
                {"value":[
                  {"name":"api--v1","properties":{"active":true,"replicas":2}},
                  {"name":"api--v0","properties":{"active":false,"replicas":0}}]}
                """));
    berth.on("POST", id + "/listSecrets", r -> Response.json(200, secretValues));
    berth.on(
        "PUT",
        id,
        r -> {
          ObjectNode body = parse(r.body());
          body.put("id", id).put("name", NAME);
          app = body;
          return started(201, body);
        });
    berth.on(
        "PATCH",
        id,
        r -> {
          JsonNode template = parse(r.body()).at("/properties/template");
          ObjectNode current = (ObjectNode) app.at("/properties/template");
          template.fields().forEachRemaining(e -> current.set(e.getKey(), e.getValue()));
          return started(202, JSON.createObjectNode());
        });
    berth.on(
        "DELETE",
        id,
        r ->
            started(202, JSON.createObjectNode())
                .with("Location", berth.endpoint() + "results/op-1"));
    berth.on("GET", "/results/op-1", r -> Response.json(204, ""));
    operationStatuses(
        Response.json(200, "{\"status\":\"InProgress\"}"),
        Response.json(200, "{\"status\":\"Succeeded\"}"));
    return this;
  }

  /** What polling the operation answers, in order (the last repeats). */
  FakeContainerApp operationStatuses(Response... statuses) {
    berth.sequence("GET", operation, statuses);
    return this;
  }

  private Response started(int status, JsonNode body) {
    return Response.json(status, body.toString())
        .with(
            "Azure-AsyncOperation",
            berth.endpoint() + operation.substring(1) + "?api-version=2025-07-01")
        .with("Retry-After", "0");
  }

  /** The body of the only request with this method and path. */
  JsonNode body(String method, String path) {
    var requests = berth.requests(method, path);
    if (requests.size() != 1) {
      throw new AssertionError(requests.size() + " " + method + " requests to " + path);
    }
    return parse(requests.get(0).body());
  }
}
