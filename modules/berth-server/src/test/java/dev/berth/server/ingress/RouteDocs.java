package dev.berth.server.ingress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.store.StoredResource;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Small builders of the stored documents the ingress routes from, for the route tests. */
final class RouteDocs {

  static final String GROUP = "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.App";
  static final String ENV = GROUP + "/managedEnvironments/env1";
  static final String DOMAIN = "env1.abcd1234.localhost";
  private static final ObjectMapper JSON = new ObjectMapper();

  private RouteDocs() {}

  static StoredResource doc(String id, String json) {
    try {
      return new StoredResource(
          ResourceId.parse(id),
          (ObjectNode) JSON.readTree(json),
          "e1",
          1,
          Instant.EPOCH,
          Instant.EPOCH);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static final String ENV2 = GROUP + "/managedEnvironments/env2";

  static StoredResource environment() {
    return doc(ENV, "{\"properties\":{\"defaultDomain\":\"" + DOMAIN + "\"}}");
  }

  /** A second environment, {@link #ENV2}. */
  static StoredResource environment2() {
    return doc(ENV2, "{\"properties\":{\"defaultDomain\":\"env2.x.localhost\"}}");
  }

  /**
   * A Single-mode app in {@code environment}, with ingress {@code ingress} (JSON; null: none),
   * latest revision {@code latest}.
   */
  static StoredResource appIn(String environment, String app, String ingress, String latest) {
    return doc(
        appId(app),
        """
        {"properties":{"environmentId":"%s","latestRevisionName":"%s",
          "configuration":{"activeRevisionsMode":"Single"%s}}}"""
            .formatted(environment, latest, ingress == null ? "" : ",\"ingress\":" + ingress));
  }

  static String appId(String app) {
    return GROUP + "/containerApps/" + app;
  }

  /**
   * An app whose ingress is {@code ingress} (JSON) in {@code mode}, latest revision {@code rev}.
   */
  static StoredResource app(String app, String mode, String ingress, String latest) {
    return doc(
        appId(app),
        """
        {"properties":{"environmentId":"%s","latestRevisionName":"%s",
          "configuration":{"activeRevisionsMode":"%s","ingress":%s}}}"""
            .formatted(ENV, latest, mode, ingress));
  }

  static StoredResource revision(String app, String name, String created, String state) {
    String status =
        switch (state) {
          case "running" -> "\"provisioningState\":\"Provisioned\",\"runningState\":\"Running\"";
          case "failed" ->
              "\"provisioningState\":\"Failed\",\"runningState\":\"Failed\","
                  + "\"provisioningError\":\"pull refused: UNAUTHORIZED; AcrPull is missing\"";
          default -> "\"provisioningState\":\"Provisioning\"";
        };
    return doc(
        appId(app) + "/revisions/" + name,
        "{\"properties\":{\"active\":true,\"createdTime\":\"" + created + "\"," + status + "}}");
  }

  static StoredResource replica(
      String app, String rev, String name, String address, boolean ready) {
    return doc(
        appId(app) + "/revisions/" + rev + "/replicas/" + name,
        """
        {"properties":{"runningState":"Running","address":"%s",
          "containers":[{"name":"c","ready":%s}]}}"""
            .formatted(address, ready));
  }
}
