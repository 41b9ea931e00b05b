package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.registry.testing.OciLayouts;
import dev.berth.testing.Exec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ingress' edge policies on real runc: an IP restriction denies and allows, {@code
 * allowInsecure} serves plain HTTP where the default redirects, a WebSocket handshake and its bytes
 * pass through to a replica and back, and an internal app answers a replica (from its network
 * namespace, through the bridge's gateway) but not the host.
 */
class IngressEdgeIT {

  static final String NETWORK = "10.214.6.0/24";
  static final String PREFIX = "bed";
  static final String GATEWAY = "10.214.6.1";

  @RegisterExtension
  static final RunningBerth BERTH = RunningBerth.withReplicas(NETWORK, PREFIX).withIngress();

  static RegistryFixture fx;
  static AppFixture apps;
  static String environment;
  static String domain;
  static String loginServer;
  static String password;

  /**
   * A WebSocket replica in busybox: {@code nc} hands each connection to a script that reads the
   * handshake, answers 101 and then echoes every byte (the frames as the client sent them: enough
   * to show the tunnel carries bytes both ways and closes with the replica).
   */
  static final String WS_ECHO =
      """
      #!/bin/sh
      while read -r line; do [ ${#line} -le 1 ] && break; done
      printf 'HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n\\r\\n'
      exec cat
      """;

  @BeforeAll
  static void pushImages() throws Exception {
    Preconditions.requireRootAndTools("runc", "ip", "skopeo", "curl");
    fx = new RegistryFixture(BERTH);
    apps = new AppFixture(fx);
    String registryId = fx.createRegistry("edge2", "edgeacr2", "{\"adminUserEnabled\":true}");
    loginServer = fx.loginServer(registryId);
    password = fx.adminPassword(registryId);
    Path web = Files.createTempDirectory(BERTH.dataDir(), "image");
    OciLayouts.busybox(
        web,
        "v1",
        List.of(OciLayouts.File.of("www/index.html", "edge says hello\n")),
        List.of("httpd", "-f", "-p", "8080", "-h", "/www"));
    assertThat(fx.push(web, loginServer, "edgeacr2:" + password, "web:latest").exit()).isZero();
    Path ws = Files.createTempDirectory(BERTH.dataDir(), "image");
    OciLayouts.busybox(
        ws,
        "v1",
        List.of(
            OciLayouts.File.executable("bin/ws.sh", WS_ECHO.getBytes(StandardCharsets.UTF_8)),
            OciLayouts.File.symlink("bin/nc", "busybox")),
        List.of("nc", "-ll", "-p", "8080", "-e", "/bin/ws.sh"));
    assertThat(fx.push(ws, loginServer, "edgeacr2:" + password, "ws:latest").exit()).isZero();
    environment = apps.createEnvironment("edge2", "env");
    domain = apps.get(environment).at("/properties/defaultDomain").asText();
  }

  static String app(String name) {
    return fx.group("edge2") + "/providers/Microsoft.App/containerApps/" + name;
  }

  static JsonNode deploy(String name, String image, String ingress) throws Exception {
    return deployIn(environment, name, image, ingress);
  }

  static JsonNode deployIn(String environment, String name, String image, String ingress)
      throws Exception {
    String body =
        """
        {"location":"local",
         "properties":{"environmentId":"%s",
           "configuration":{"activeRevisionsMode":"Single",
             "secrets":[{"name":"acr-pw","value":"%s"}],
             "registries":[{"server":"%s","username":"edgeacr2","passwordSecretRef":"acr-pw"}],
             "ingress":%s},
           "template":{"terminationGracePeriodSeconds":1,"containers":[{"name":"main",
             "image":"%s/%s","resources":{"cpu":0.25,"memory":"0.5Gi"}}],
             "scale":{"minReplicas":1,"maxReplicas":1}}}}
        """
            .formatted(environment, password, loginServer, ingress, loginServer, image);
    JsonNode op = apps.putApp(app(name), body);
    assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Succeeded");
    return apps.get(app(name));
  }

  /** curl's answer as {@code <status>\n<body>}; {@code extra} arguments go before the URL. */
  static String curl(List<String> prefix, String url, String... extra) throws Exception {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(
            "curl",
            "-sS",
            "--noproxy",
            "*",
            "--max-time",
            "10",
            "--cacert",
            BERTH.caFile().toString(),
            "-w",
            "\n%{http_code}"));
    command.addAll(Arrays.asList(extra));
    command.add(url);
    var result = Exec.of(command).timeout(Duration.ofSeconds(20)).run();
    assertThat(result.exit()).as(result.output()).isZero();
    String out = result.stdout();
    int cut = out.lastIndexOf('\n');
    return out.substring(cut + 1) + "\n" + out.substring(0, cut);
  }

  static String https(String host) {
    return "https://" + host + ":" + BERTH.server().ingressHttpsPort() + "/";
  }

  static String http(String host) {
    return "http://" + host + ":" + BERTH.server().ingressHttpPort() + "/";
  }

  @Test
  void anIpRestrictionDeniesAndAllows() throws Exception {
    String fqdn =
        deploy(
                "guarded",
                "web:latest",
                """
                {"external":true,"targetPort":8080,"ipSecurityRestrictions":[
                  {"name":"elsewhere","ipAddressRange":"203.0.113.0/24","action":"Allow"}]}""")
            .at("/properties/configuration/ingress/fqdn")
            .asText();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(curl(List.of(), https(fqdn)))
                    .isEqualTo(
                        "403\nContainer app guarded does not accept requests from 127.0.0.1 (its"
                            + " ipSecurityRestrictions).\n"));

    String patch =
        """
        {"properties":{"configuration":{"ingress":{"ipSecurityRestrictions":[
          {"name":"here","ipAddressRange":"127.0.0.0/8","action":"Allow"}]}}}}""";
    var patched = apps.https.send("PATCH", app("guarded") + AppFixture.APP_API, apps.owner, patch);
    assertThat(patched.statusCode()).as(patched.body()).isIn(200, 202);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(curl(List.of(), https(fqdn))).isEqualTo("200\nedge says hello\n"));

    String deny =
        """
        {"properties":{"configuration":{"ingress":{"ipSecurityRestrictions":[
          {"name":"loopback","ipAddressRange":"127.0.0.1","action":"Deny"}]}}}}""";
    var denied = apps.https.send("PATCH", app("guarded") + AppFixture.APP_API, apps.owner, deny);
    assertThat(denied.statusCode()).as(denied.body()).isIn(200, 202);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(curl(List.of(), https(fqdn))).startsWith("403\n"));
  }

  @Test
  void plainHttpIsRedirectedUnlessAllowInsecure() throws Exception {
    String strict =
        deploy("strict", "web:latest", "{\"external\":true,\"targetPort\":8080}")
            .at("/properties/configuration/ingress/fqdn")
            .asText();
    String lax =
        deploy(
                "lax",
                "web:latest",
                "{\"external\":true,\"targetPort\":8080,\"allowInsecure\":true}")
            .at("/properties/configuration/ingress/fqdn")
            .asText();

    assertThat(curl(List.of(), http(strict))).startsWith("301\n");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(curl(List.of(), http(lax))).isEqualTo("200\nedge says hello\n"));
  }

  @Test
  void aWebSocketHandshakeAndItsBytesPassThroughAndTheReplicasCloseReachesTheClient()
      throws Exception {
    String fqdn =
        deploy(
                "wsecho",
                "ws:latest",
                "{\"external\":true,\"targetPort\":8080,\"allowInsecure\":true}")
            .at("/properties/configuration/ingress/fqdn")
            .asText();
    // A masked text frame "hello" (RFC 6455 §5.7's example).
    byte[] frame = {
      (byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f, 0x4d, 0x51, 0x58
    };
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              try (Socket s = new Socket("127.0.0.1", BERTH.server().ingressHttpPort())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(
                    ("GET /chat HTTP/1.1\r\nHost: "
                            + fqdn
                            + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                            + "Sec-WebSocket-Version: 13\r\n"
                            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = s.getInputStream();
                assertThat(head(in)).startsWith("HTTP/1.1 101 ");
                out.write(frame);
                out.flush();
                assertThat(in.readNBytes(frame.length)).isEqualTo(frame);
                // The client closes its side: the replica's cat ends, and with it the tunnel.
                s.shutdownOutput();
                assertThat(in.read()).isEqualTo(-1);
              }
            });
  }

  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** The replica's {@code /etc/hosts}, read inside it. */
  static String hostsOf(String replica) throws Exception {
    var result = inside(replica, "cat", "/etc/hosts");
    assertThat(result.exit()).as(result.output()).isZero();
    return result.stdout();
  }

  /** A busybox applet run inside the replica, with its names, its resolver and its network. */
  static Exec.Result inside(String replica, String... applet) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "runc",
                "--root",
                BERTH.dataDir().resolve("runtime").resolve("runc").toString(),
                "exec",
                PREFIX + "-" + replica,
                "/bin/busybox"));
    command.addAll(Arrays.asList(applet));
    return Exec.of(command).separateStderr().timeout(Duration.ofSeconds(30)).run();
  }

  /** The name of the one replica of the app {@code deployed}, once it has one. */
  static String replicaOf(JsonNode deployed) throws Exception {
    String revision =
        deployed.path("id").asText()
            + "/revisions/"
            + deployed.at("/properties/latestRevisionName").asText();
    await().atMost(Duration.ofSeconds(30)).until(() -> apps.replicas(revision).size() == 1);
    return apps.replicas(revision).get(0).path("name").asText();
  }

  @Test
  void anInternalAppAnswersTheEnvironmentsReplicasButNotTheHost() throws Exception {
    JsonNode inner = deploy("inner", "web:latest", "{\"external\":false,\"targetPort\":8080}");
    String fqdn = inner.at("/properties/configuration/ingress/fqdn").asText();
    assertThat(fqdn).isEqualTo("inner.internal." + domain);
    JsonNode caller = deploy("caller", "web:latest", "{\"external\":true,\"targetPort\":8080}");
    String revision =
        app("caller") + "/revisions/" + caller.at("/properties/latestRevisionName").asText();
    await().atMost(Duration.ofSeconds(30)).until(() -> apps.replicas(revision).size() == 1);
    String replica = apps.replicas(revision).get(0).path("name").asText();
    List<String> inside = List.of("ip", "netns", "exec", PREFIX + "-" + replica);
    // The replica's own /etc/hosts names the app at the gateway: curl resolves it as it says.
    assertThat(hostsOf(replica)).contains(GATEWAY + "\t" + fqdn + "\n");
    String resolve = fqdn + ":" + BERTH.server().ingressHttpsPort() + ":" + GATEWAY;

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(curl(inside, https(fqdn), "--resolve", resolve))
                    .isEqualTo("200\nedge says hello\n"));

    // A replica of another environment, on the same bridge, is not told the name, and the app does
    // not answer it even when it names the gateway itself: internal means its own environment only.
    String elsewhere = apps.createEnvironment("edge2", "env-b");
    JsonNode stranger =
        deployIn(elsewhere, "stranger", "web:latest", "{\"external\":true,\"targetPort\":8080}");
    String strangerRevision =
        app("stranger") + "/revisions/" + stranger.at("/properties/latestRevisionName").asText();
    await().atMost(Duration.ofSeconds(30)).until(() -> apps.replicas(strangerRevision).size() == 1);
    List<String> strangerInside =
        List.of(
            "ip",
            "netns",
            "exec",
            PREFIX + "-" + apps.replicas(strangerRevision).get(0).path("name").asText());
    String strangerHosts = hostsOf(apps.replicas(strangerRevision).get(0).path("name").asText());
    String callerFqdn = caller.at("/properties/configuration/ingress/fqdn").asText();
    assertThat(strangerHosts).doesNotContain(fqdn).contains(GATEWAY + "\t" + callerFqdn + "\n");
    assertThat(curl(strangerInside, https(fqdn), "--resolve", resolve))
        .startsWith("404\nNo container app has the host name " + fqdn);

    // An app made after the replica started: its name reaches the running replica too.
    JsonNode later = deploy("later", "web:latest", "{\"external\":false,\"targetPort\":8080}");
    String laterFqdn = later.at("/properties/configuration/ingress/fqdn").asText();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(hostsOf(replica)).contains(GATEWAY + "\t" + laterFqdn + "\n"));

    assertThat(curl(List.of(), https(fqdn)))
        .startsWith("404\nNo container app has the host name " + fqdn);
    // Nor does the host get in by calling the gateway itself.
    assertThat(curl(List.of(), https(fqdn), "--resolve", resolve)).startsWith("404\n");
  }

  @Test
  void anAppIsCalledByItsBareNameFromItsOwnEnvironmentOnly() throws Exception {
    // Internal, and HTTPS only (allowInsecure false): http://<app> is still how its neighbours
    // call it, as in Container Apps.
    deploy("named", "web:latest", "{\"external\":false,\"targetPort\":8080}");
    // A worker with no ingress of its own (so no name) calls it too.
    String worker = replicaOf(deploy("worker", "web:latest", "null"));
    assertThat(hostsOf(worker)).contains(GATEWAY + "\tnamed\n").doesNotContain("\tworker\n");

    String url = "http://named:" + BERTH.server().ingressHttpPort() + "/";
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var answer = inside(worker, "wget", "-q", "-O", "-", url);
              assertThat(answer.exit()).as(answer.output()).isZero();
              assertThat(answer.stdout()).isEqualTo("edge says hello\n");
            });

    // Another environment's replica neither resolves the name nor, naming the gateway itself,
    // gets an answer from the app.
    String elsewhere = apps.createEnvironment("edge2", "env-c");
    String stranger =
        replicaOf(
            deployIn(
                elsewhere, "outsider", "web:latest", "{\"external\":true,\"targetPort\":8080}"));
    assertThat(hostsOf(stranger)).contains(GATEWAY + "\toutsider\n").doesNotContain("\tnamed\n");
    assertThat(hostsOf(worker)).doesNotContain("\toutsider\n");
    String resolve = "named:" + BERTH.server().ingressHttpPort() + ":" + GATEWAY;
    List<String> strangerInside = List.of("ip", "netns", "exec", PREFIX + "-" + stranger);
    assertThat(curl(strangerInside, url, "--resolve", resolve))
        .startsWith("404\nNo container app has the host name named");
    // An external app too: its bare name means nothing outside its environment (its full one
    // answers anyone).
    deploy("open", "web:latest", "{\"external\":true,\"targetPort\":8080}");
    String open = "http://open:" + BERTH.server().ingressHttpPort() + "/";
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(inside(worker, "wget", "-q", "-O", "-", open).stdout())
                    .isEqualTo("edge says hello\n"));
    assertThat(
            curl(
                strangerInside,
                open,
                "--resolve",
                "open:" + BERTH.server().ingressHttpPort() + ":" + GATEWAY))
        .startsWith("404\nNo container app has the host name open");
    // Nor does the host, on loopback or at the gateway.
    assertThat(curl(List.of(), url, "--resolve", resolve)).startsWith("404\n");
    assertThat(curl(List.of(), http("127.0.0.1"), "-H", "Host: named")).startsWith("404\n");
  }
}
