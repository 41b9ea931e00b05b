package dev.berth.registry.distribution.internal;

import dev.berth.http.HttpExchange;
import dev.berth.http.Json;
import dev.berth.registry.RegistryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the registry error envelope {@code {"errors":[{code,message,detail}]}} with the status the
 * catalog gives the first code. Stateless and thread-safe.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes">OCI
 *     distribution spec, error codes</a>; ACR's {@code AcrErrors} in Azure/azure-rest-api-specs
 *     {@code
 *     specification/containerregistry/data-plane/Azure.ContainerRegistry/stable/2021-07-01/containerregistry.json}
 */
public final class ErrorResponses {

  private ErrorResponses() {}

  public static void send(HttpExchange exchange, List<RegistryException> errors) {
    List<Map<String, Object>> entries = new ArrayList<>();
    for (RegistryException e : errors) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("code", e.code().name());
      entry.put("message", e.getMessage());
      if (e.detail() != null) {
        entry.put("detail", e.detail());
      }
      entries.add(entry);
      e.headers().forEach(exchange::setHeader);
    }
    exchange.send(
        errors.get(0).status(),
        "application/json; charset=utf-8",
        Json.bytes(Map.of("errors", entries)));
  }
}
