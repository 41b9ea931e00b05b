package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.registry.testing.OciLayouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Traffic splitting on real runc: two revisions of one app in Multiple mode, serving different
 * pages, split 20/80; over 1 000 requests to the app's own host the split holds within ±5 %, and a
 * label's host reaches only its revision.
 */
class TrafficSplitIT {

  @RegisterExtension
  static final RunningBerth BERTH = RunningBerth.withReplicas("10.214.8.0/24", "tsp").withIngress();

  static RegistryFixture fx;
  static AppFixture apps;
  static String environment;
  static String domain;
  static String loginServer;
  static String password;
  static HttpClient client;

  @BeforeAll
  static void pushTwoImages() throws Exception {
    Preconditions.requireRootAndTools("runc", "ip", "skopeo");
    fx = new RegistryFixture(BERTH);
    apps = new AppFixture(fx);
    String registryId = fx.createRegistry("split", "splitacr", "{\"adminUserEnabled\":true}");
    loginServer = fx.loginServer(registryId);
    password = fx.adminPassword(registryId);
    for (String version : List.of("blue", "green")) {
      Path layout = Files.createTempDirectory(BERTH.dataDir(), "image");
      OciLayouts.busybox(
          layout,
          "v1",
          List.of(OciLayouts.File.of("www/index.html", version + "\n")),
          List.of("httpd", "-f", "-p", "8080", "-h", "/www"));
      var pushed = fx.push(layout, loginServer, "splitacr:" + password, "web:" + version);
      assertThat(pushed.exit()).as(pushed.output()).isZero();
    }
    environment = apps.createEnvironment("split", "env");
    domain = apps.get(environment).at("/properties/defaultDomain").asText();
    client = new HttpClient();
    client.setFollowRedirects(false);
    client.start();
  }

  @AfterAll
  static void stopClient() throws Exception {
    if (client != null) {
      client.stop();
    }
  }

  static String app(String name) {
    return fx.group("split") + "/providers/Microsoft.App/containerApps/" + name;
  }

  static String deploy(String tag, String traffic) throws Exception {
    String body =
        """
        {"location":"local",
         "properties":{"environmentId":"%s",
           "configuration":{"activeRevisionsMode":"Multiple",
             "secrets":[{"name":"acr-pw","value":"%s"}],
             "registries":[{"server":"%s","username":"splitacr","passwordSecretRef":"acr-pw"}],
             "ingress":{"external":true,"targetPort":8080,"allowInsecure":true%s}},
           "template":{"terminationGracePeriodSeconds":1,"containers":[{"name":"web",
             "image":"%s/web:%s","resources":{"cpu":0.25,"memory":"0.5Gi"}}],
             "scale":{"minReplicas":1,"maxReplicas":1}}}}
        """
            .formatted(environment, password, loginServer, traffic, loginServer, tag);
    JsonNode op = apps.putApp(app("web"), body);
    assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Succeeded");
    return apps.get(app("web")).at("/properties/latestRevisionName").asText();
  }

  static String get(String host) throws Exception {
    ContentResponse r =
        client
            .newRequest("http://127.0.0.1:" + BERTH.server().ingressHttpPort() + "/")
            .headers(h -> h.put("Host", host))
            .timeout(30, TimeUnit.SECONDS)
            .send();
    assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
    return r.getContentAsString().strip();
  }

  @Test
  void twentyEightyHoldsOverAThousandRequestsAndALabelReachesOnlyItsRevision() throws Exception {
    String blue = deploy("blue", "");
    String green =
        deploy(
            "green",
            """
            ,"traffic":[{"revisionName":"%s","weight":20,"label":"old"},
                        {"latestRevision":true,"weight":80}]"""
                .formatted(blue));

    int blues = 0;
    for (int i = 0; i < 1_000; i++) {
      String page = get("web." + domain);
      assertThat(page).isIn("blue", "green");
      blues += page.equals("blue") ? 1 : 0;
    }
    assertThat(blues).as("requests served by the 20 % revision").isBetween(150, 250);

    for (int i = 0; i < 50; i++) {
      assertThat(get("web---old." + domain)).isEqualTo("blue");
      assertThat(get(green.toLowerCase(Locale.ROOT) + "." + domain)).isEqualTo("green");
    }
    JsonNode revisions = apps.revisions(app("web"));
    assertThat(revisions)
        .anySatisfy(
            r -> {
              assertThat(r.path("name").asText()).isEqualTo(blue);
              assertThat(r.at("/properties/trafficWeight").asInt()).isEqualTo(20);
            })
        .anySatisfy(
            r -> {
              assertThat(r.path("name").asText()).isEqualTo(green);
              assertThat(r.at("/properties/trafficWeight").asInt()).isEqualTo(80);
            });
  }
}
