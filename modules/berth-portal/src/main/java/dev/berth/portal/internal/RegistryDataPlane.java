package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.acr.AuthChallenge;
import dev.berth.client.BerthUnreachableException;
import dev.berth.client.RegistryCallException;
import dev.berth.client.RegistryClient;
import dev.berth.portal.PortalSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A registry's data plane as the signed-in person sees it: the person's ARM token is exchanged at
 * the login server ({@code POST /oauth2/exchange}, as {@code az acr login} does), so the registry's
 * own authorization and policies (the ARM-token policy, network rules) decide what the page may
 * list. Reads ACR's metadata routes ({@code /acr/v1/…}). Not thread-safe: one per request.
 *
 * @see <a href="https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md">ACR AAD-OAuth</a>
 */
public final class RegistryDataPlane {

  /** An OCI repository name (distribution's grammar, loosely): what may go into a path. */
  private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+([._/-][a-z0-9]+)*");

  /** A refusal of the registry, in its own words, for the page to show. */
  public record Problem(int status, String code, String message) {}

  /** One tag of a repository as the page lists it. */
  public record TagRow(String tag, String digest, long size, String pushed) {

    /** The size in the units a person reads: bytes, KiB, MiB or GiB. */
    public String sizeText() {
      String[] units = {"B", "KiB", "MiB", "GiB"};
      double value = size;
      int unit = 0;
      while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
      }
      return unit == 0
          ? size + " B"
          : String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
  }

  private final RegistryClient client;

  private RegistryDataPlane(RegistryClient client) {
    this.client = client;
  }

  /** Logs in to the registry at {@code loginServer} with the person's ARM token. */
  static RegistryDataPlane login(PortalSettings settings, String loginServer, String armToken) {
    RegistryClient anonymous = RegistryClient.create(settings.http(), loginServer, l -> {});
    AuthChallenge challenge = anonymous.challenge();
    String refresh = anonymous.exchange(challenge, settings.tenantId(), armToken);
    return new RegistryDataPlane(anonymous.withRefreshToken(refresh));
  }

  /** What a failed call to the registry becomes on the page. */
  static Problem problem(RuntimeException e) {
    if (e instanceof RegistryCallException r) {
      return new Problem(r.status(), r.code(), r.getMessage());
    }
    if (e instanceof BerthUnreachableException) {
      return new Problem(0, "Unreachable", e.getMessage());
    }
    throw e;
  }

  static boolean validRepository(String name) {
    return name.length() <= 255 && REPOSITORY.matcher(name).matches();
  }

  /** Every repository ({@code GET /acr/v1/_catalog}, every page). */
  List<String> repositories() {
    List<String> names = new ArrayList<>();
    for (JsonNode page : client.getPages("/acr/v1/_catalog")) {
      page.path("repositories").forEach(n -> names.add(n.asText()));
    }
    return names;
  }

  /**
   * A repository's tags, newest push first, with each tag's digest, the size the registry reports
   * ({@code imageSize}: the manifest with its config and layers, as ACR counts it) and when it was
   * pushed.
   */
  List<TagRow> tags(String repository) {
    Map<String, Long> sizes = new HashMap<>();
    for (JsonNode m : client.get("/acr/v1/" + repository + "/_manifests").path("manifests")) {
      sizes.put(m.path("digest").asText(), m.path("imageSize").asLong());
    }
    List<TagRow> rows = new ArrayList<>();
    for (JsonNode page : client.getPages("/acr/v1/" + repository + "/_tags?orderby=timedesc")) {
      for (JsonNode t : page.path("tags")) {
        String digest = t.path("digest").asText();
        rows.add(
            new TagRow(
                t.path("name").asText(),
                digest,
                sizes.getOrDefault(digest, 0L),
                t.path("lastUpdateTime").asText()));
      }
    }
    return rows;
  }
}
