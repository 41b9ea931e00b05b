package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.http.HttpExchange;
import dev.berth.http.Json;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One ARM request as it passes through the chain: the exchange, and what each step learned (the
 * route, the api-version, the caller, the body). Not thread-safe: it belongs to the request's
 * thread.
 */
public final class ArmCall {

  private final HttpExchange exchange;
  private String requestId;
  private ArmRoute route;
  private Map<String, String> vars = Map.of();
  private String apiVersion;
  private Principal principal;
  private ObjectNode body;
  private Predicate<ResourceId> readable = id -> true;

  public ArmCall(HttpExchange exchange) {
    this.exchange = exchange;
  }

  public HttpExchange exchange() {
    return exchange;
  }

  public String method() {
    return exchange.method();
  }

  public String requestId() {
    return requestId;
  }

  void requestId(String id) {
    this.requestId = id;
  }

  public ArmRoute route() {
    return route;
  }

  void route(ArmRoute r, Map<String, String> pathVars) {
    this.route = r;
    this.vars = Map.copyOf(pathVars);
  }

  /** A path variable of the matched route. */
  public String var(String name) {
    String v = vars.get(name);
    if (v == null) {
      throw new IllegalStateException("route has no variable " + name);
    }
    return v;
  }

  /** Every path variable of the matched route. */
  public Map<String, String> vars() {
    return vars;
  }

  public Optional<String> optionalVar(String name) {
    return Optional.ofNullable(vars.get(name));
  }

  public String apiVersion() {
    return apiVersion;
  }

  void apiVersion(String v) {
    this.apiVersion = v;
  }

  /** The authenticated caller; fails for anonymous routes. */
  public Principal principal() {
    if (principal == null) {
      throw new IllegalStateException("anonymous call has no principal");
    }
    return principal;
  }

  void principal(Principal p) {
    this.principal = p;
  }

  /** The JSON object body; {@code {}} when the request had none. */
  public ObjectNode body() {
    return body == null ? Json.object() : body;
  }

  void body(ObjectNode b) {
    this.body = b;
  }

  /** Whether a list may show the resource {@code id} to this caller ({@link Authorization}). */
  public boolean readable(ResourceId id) {
    return readable.test(id);
  }

  void onlyReadable(Predicate<ResourceId> test) {
    this.readable = test;
  }

  public Optional<String> query(String name) {
    return exchange.query(name);
  }

  public Optional<String> header(String name) {
    return exchange.header(name);
  }

  /** Sends a JSON reply with {@code Content-Type: application/json; charset=utf-8}. */
  public void json(int status, JsonNode value) {
    exchange.sendJson(status, value);
  }

  public void empty(int status) {
    exchange.sendEmpty(status);
  }

  public void setHeader(String name, String value) {
    exchange.setHeader(name, value);
  }
}
