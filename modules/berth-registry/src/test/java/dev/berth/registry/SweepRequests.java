package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.acr.Registry;
import dev.berth.http.Route;
import dev.berth.registry.LoginServers.Seeded;
import dev.berth.registry.distribution.internal.RegistryRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The requests of {@link RegistryAuthorizationSweepTest}, generated from the registry's route
 * table, and the scope and challenge each must answer with, derived from the distribution and ACR
 * rules rather than read back from the server. Stateless.
 */
final class SweepRequests {

  private static final Pattern VAR = Pattern.compile("\\{(\\w+)}");

  private SweepRequests() {}

  /** One request of the sweep: a route filled for one repository, and the scope it must need. */
  record Sweep(
      String method, String template, String path, byte[] body, String type, String scope) {
    /** Only {@code pull} or {@code metadata_read} of a repository: what anonymous pull opens. */
    boolean reads() {
      return scope != null && scope.matches("repository:[^ ]+:(pull|metadata_read)");
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** A request for every route of the table, its variables filled from {@code s}. */
  static List<Sweep> generate(List<Route<RegistryRoute>> table, Seeded s) {
    List<Sweep> out = new ArrayList<>();
    for (Route<RegistryRoute> e : table) {
      String t = e.template();
      Matcher m = VAR.matcher(t);
      StringBuilder path = new StringBuilder();
      while (m.find()) {
        String value =
            switch (m.group(1)) {
              case "name" -> s.repository();
              case "digest" -> (t.contains("/blobs/") ? s.layer() : s.manifest()).toString();
              case "reference", "tag" -> Seeded.TAG;
              case "uuid" -> s.upload();
              default ->
                  throw new AssertionError(
                      "cannot build a request for " + e + ": no value for {" + m.group(1) + "}");
            };
        m.appendReplacement(path, Matcher.quoteReplacement(value));
      }
      m.appendTail(path);
      String p = path.toString().equals("/v2") ? "/v2/" : path.toString();
      byte[] body = null;
      String type = null;
      if (e.method().equals("PUT") && t.endsWith("/manifests/{reference}")) {
        body = s.manifestBytes();
        type = LoginServers.OCI;
      } else if (e.method().equals("PUT") && t.endsWith("/blobs/uploads/{uuid}")) {
        // The seeded upload holds no bytes: completing it names the empty blob.
        p += "?digest=sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
      }
      out.add(new Sweep(e.method(), t, p, body, type, scope(e, s.repository())));
    }
    return out;
  }

  /**
   * The scope a route needs, by the distribution and ACR rules: none for {@code /v2/}; {@code
   * registry:catalog:*} for the catalogs; pull and push for anything of an upload session; delete
   * to delete; {@code metadata_read} for ACR's metadata reads, pull for the others; pull and push
   * to write (docs/registry-auth.md; the challenge in ACR's AAD-OAuth.md, the grammar in
   * distribution's docs/content/spec/auth/scope.md).
   */
  static String scope(Route<RegistryRoute> e, String repository) {
    String t = e.template();
    if (t.equals("/v2")) {
      return null;
    }
    if (t.endsWith("/_catalog")) {
      return "registry:catalog:*";
    }
    assertThat(t).as("a route with no repository and no scope rule: " + e).contains("{name}");
    String actions =
        t.contains("/blobs/uploads")
            ? "pull,push"
            : switch (e.method()) {
              case "DELETE" -> "delete";
              case "GET", "HEAD" -> t.startsWith("/acr/v1/") ? "metadata_read" : "pull";
              default -> "pull,push";
            };
    return "repository:" + repository + ":" + actions;
  }

  static String challenge(Registry r, String scope, String error) {
    String ls = r.loginServer();
    return "Bearer realm=\"https://"
        + ls
        + "/oauth2/token\",service=\""
        + ls
        + "\""
        + (scope == null ? "" : ",scope=\"" + scope + "\"")
        + (error == null ? "" : ",error=\"" + error + "\"");
  }
}
