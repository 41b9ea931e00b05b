package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.client.ArmCallException;
import dev.berth.http.Route;
import dev.berth.portal.PortalSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A container app's Log stream blade (the system events and a replica's console, refreshed live by
 * htmx polling) and its Diagnose and solve problems blade (every revision's pull diagnosis, with
 * its fixes). The streams are read as {@code az containerapp logs show} reads them: a {@code
 * getAuthToken} token, asked as the person (Reader may not), sent only to Berth's own stream routes
 * and never rendered. Thread-safe.
 */
public final class AppLogPages {

  /** A replica's container the console picker offers. */
  public record Console(String revision, String replica, String container) {

    public String value() {
      return revision + "/" + replica + "/" + container;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TAIL = 100;

  private final Pages pages;
  private final PortalSettings settings;

  AppLogPages(Pages pages, PortalSettings settings) {
    this.pages = pages;
    this.settings = settings;
  }

  List<Route<PageHandler>> routes() {
    String app = ContainerAppPages.APP;
    return List.of(
        Route.of("GET", app + "/logstream", this::page),
        Route.of("GET", app + "/logstream/lines", this::lines),
        Route.of("GET", app + "/diagnose", this::diagnose));
  }

  private void page(PortalRequest request) {
    AppView app = AppView.load(request);
    List<Console> consoles = new ArrayList<>();
    for (JsonNode r : request.arm().list(app.armId() + "/revisions?" + AppView.API)) {
      if (!r.at("/properties/active").asBoolean(false)) {
        continue;
      }
      String revision = r.path("name").asText();
      for (JsonNode x :
          request.arm().list(app.armId() + "/revisions/" + revision + "/replicas?" + AppView.API)) {
        for (JsonNode c : x.at("/properties/containers")) {
          consoles.add(new Console(revision, x.path("name").asText(), c.path("name").asText()));
        }
      }
    }
    Map<String, Object> params = new HashMap<>();
    params.put("chrome", app.chrome(request, "logstream", "Log stream"));
    params.put("app", app);
    params.put("consoles", consoles);
    pages.send(request.exchange(), 200, "app/logstream.jte", params);
  }

  /** The last lines of the chosen stream: a fragment htmx swaps in every 2 s. */
  private void lines(PortalRequest request) throws IOException, InterruptedException {
    AppView app = AppView.load(request);
    String source = request.exchange().query("source").orElse("system");
    String events = app.properties().path("eventStreamEndpoint").asText("");
    String url;
    if (source.equals("system")) {
      url = events + "?tailLines=" + TAIL;
    } else {
      String[] parts = source.split("/");
      if (parts.length != 3 || events.isEmpty()) {
        throw new ArmCallException(400, "InvalidParameter", "Choose a replica's container.");
      }
      url =
          events.substring(0, events.lastIndexOf("/eventstream"))
              + "/revisions/"
              + enc(parts[0])
              + "/replicas/"
              + enc(parts[1])
              + "/containers/"
              + enc(parts[2])
              + "/logstream?output=text&tailLines="
              + TAIL;
    }
    String token =
        request
            .arm()
            .post(app.armId() + "/getAuthToken?" + AppView.API, JSON.createObjectNode())
            .at("/properties/token")
            .asText();
    List<String> lines = new ArrayList<>();
    String error = "";
    if (!url.startsWith(settings.managementEndpoint().toString().replaceAll("/+$", "") + "/")) {
      // The token opens this app's streams: it only ever goes to Berth's own endpoint.
      error = "The app's event stream is not at Berth's management endpoint.";
    } else {
      HttpResponse<String> r =
          settings
              .http()
              .send(
                  HttpRequest.newBuilder(URI.create(url))
                      .timeout(Duration.ofSeconds(10))
                      .header("Authorization", "Bearer " + token)
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 400) {
        error = "The stream answered " + r.statusCode() + ": " + r.body();
      } else {
        r.body().lines().forEach(lines::add);
      }
    }
    Map<String, Object> params = new HashMap<>();
    params.put("app", app);
    params.put("source", source);
    params.put("lines", lines);
    params.put("error", error);
    byte[] body = pages.render("app/loglines.jte", params);
    Pages.securityHeaders(request.exchange());
    request.exchange().send(200, "text/html; charset=utf-8", body);
  }

  private void diagnose(PortalRequest request) {
    AppView app = AppView.load(request);
    Map<String, Object> params = new HashMap<>();
    params.put("chrome", app.chrome(request, "diagnose", "Diagnose and solve problems"));
    params.put("app", app);
    params.put("diagnoses", new ArrayList<>(Diagnoses.of(request, app).values()));
    params.put("statusHref", ContainerAppPages.statusHref(request, app));
    pages.send(request.exchange(), 200, "app/diagnose.jte", params);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
