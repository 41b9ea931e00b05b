package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.http.Json;
import dev.berth.store.Page;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * ARM list replies over one or more store queries: {@code {"value":[…],"nextLink":…}} with {@code
 * $top} and an opaque {@code $skipToken} that says which query and where in it to go on. The
 * nextLink is absolute, on the host the client called, and is left out on the last page. Stateless
 * and thread-safe.
 */
public final class Listing {

  static final int DEFAULT_TOP = 100;
  static final int MAX_TOP = 1000;

  private Listing() {}

  /** Sends one page of the documents the queries select, in query order, filtered. */
  public static void send(
      ArmCall call,
      ResourceStore store,
      List<Query> queries,
      Predicate<StoredResource> filter,
      Function<StoredResource, JsonNode> view) {
    int top = top(call);
    Predicate<StoredResource> shown = filter.and(doc -> call.readable(doc.id()));
    Token at = call.query("$skipToken").map(Listing::decode).orElse(new Token(0, Optional.empty()));
    if (at.index() < 0 || at.index() > queries.size()) {
      throw ArmException.of(ArmErrorCode.InvalidParameter, "The $skipToken is invalid.")
          .withTarget("$skipToken");
    }
    List<JsonNode> items = new ArrayList<>();
    Optional<Token> next = Optional.empty();
    int index = at.index();
    Optional<String> after = at.after();
    while (index < queries.size()) {
      Query q = queries.get(index).limit(top - items.size());
      Page page = store.list(after.map(q::after).orElse(q));
      for (StoredResource doc : page.items()) {
        if (shown.test(doc)) {
          items.add(view.apply(doc));
        }
      }
      if (page.continuation().isPresent()) {
        after = page.continuation();
      } else {
        index++;
        after = Optional.empty();
      }
      if (items.size() >= top) {
        if (index < queries.size()) {
          next = Optional.of(new Token(index, after));
        }
        break;
      }
    }
    ObjectNode out = Json.object();
    ArrayNode value = out.putArray("value");
    items.forEach(value::add);
    next.ifPresent(t -> out.put("nextLink", nextLink(call, t)));
    call.json(200, out);
  }

  /** Sends a list that is already in memory (small, fixed collections). */
  public static void sendAll(ArmCall call, List<? extends JsonNode> items) {
    ObjectNode out = Json.object();
    ArrayNode value = out.putArray("value");
    items.forEach(value::add);
    call.json(200, out);
  }

  private static int top(ArmCall call) {
    Optional<String> raw = call.query("$top");
    if (raw.isEmpty()) {
      return DEFAULT_TOP;
    }
    try {
      int top = Integer.parseInt(raw.get().strip());
      if (top < 1) {
        throw new NumberFormatException();
      }
      return Math.min(top, MAX_TOP);
    } catch (NumberFormatException e) {
      throw ArmException.of(
              ArmErrorCode.InvalidParameter,
              "The value '" + raw.get() + "' of query parameter '$top' is not a positive integer.")
          .withTarget("$top");
    }
  }

  private static String nextLink(ArmCall call, Token token) {
    StringBuilder url = new StringBuilder(call.exchange().baseUrl()).append(encodePath(call));
    char sep = '?';
    for (Map.Entry<String, List<String>> e : call.exchange().queryParams().entrySet()) {
      if (e.getKey().equalsIgnoreCase("$skipToken")) {
        continue;
      }
      for (String v : e.getValue()) {
        url.append(sep).append(enc(e.getKey())).append('=').append(enc(v));
        sep = '&';
      }
    }
    return url.append(sep).append("$skipToken=").append(enc(encode(token))).toString();
  }

  private static String encodePath(ArmCall call) {
    StringBuilder p = new StringBuilder();
    for (String s : call.exchange().segments()) {
      p.append('/').append(enc(s));
    }
    return p.length() == 0 ? "/" : p.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%24", "$");
  }

  record Token(int index, Optional<String> after) {}

  private static String encode(Token t) {
    String raw = t.index() + ":" + t.after().orElse("");
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  private static Token decode(String token) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      int colon = raw.indexOf(':');
      int index = Integer.parseInt(raw.substring(0, colon));
      String after = raw.substring(colon + 1);
      return new Token(index, after.isEmpty() ? Optional.empty() : Optional.of(after));
    } catch (RuntimeException e) {
      throw ArmException.of(ArmErrorCode.InvalidParameter, "The $skipToken is invalid.")
          .withTarget("$skipToken");
    }
  }
}
