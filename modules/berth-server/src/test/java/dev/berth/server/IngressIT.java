package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.BerthCli;
import dev.berth.cli.CliEnvironment;
import dev.berth.registry.testing.OciLayouts;
import dev.berth.testing.Exec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The URL Berth prints answers, on real runc: curl, trusting Berth's CA and with no {@code
 * --resolve}, reaches an app with external ingress at its {@code fqdn} (a name under {@code
 * localhost}) through the ingress listeners; an unknown host gets 404, plain HTTP a redirect, a
 * failed revision a 503 with its error.
 */
class IngressIT {

  @RegisterExtension
  static final RunningBerth BERTH = RunningBerth.withReplicas("10.214.4.0/24", "bin").withIngress();

  static RegistryFixture fx;
  static AppFixture apps;
  static String environment;
  static String loginServer;
  static String password;

  @BeforeAll
  static void pushAnImage() throws Exception {
    Preconditions.requireRootAndTools("runc", "ip", "skopeo", "curl");
    fx = new RegistryFixture(BERTH);
    apps = new AppFixture(fx);
    String registryId = fx.createRegistry("edge", "edgeacr", "{\"adminUserEnabled\":true}");
    loginServer = fx.loginServer(registryId);
    password = fx.adminPassword(registryId);
    Path layout = Files.createTempDirectory(BERTH.dataDir(), "image");
    OciLayouts.busybox(
        layout,
        "v1",
        List.of(OciLayouts.File.of("www/index.html", "hello through the ingress\n")),
        List.of("httpd", "-f", "-p", "8080", "-h", "/www"));
    var pushed = fx.push(layout, loginServer, "edgeacr:" + password, "web:latest");
    assertThat(pushed.exit()).as(pushed.output()).isZero();
    environment = apps.createEnvironment("edge", "env");
  }

  static String app(String name) {
    return fx.group("edge") + "/providers/Microsoft.App/containerApps/" + name;
  }

  static JsonNode deploy(String name, String image) throws Exception {
    String body =
        """
        {"location":"local",
         "properties":{"environmentId":"%s",
           "configuration":{"activeRevisionsMode":"Single",
             "secrets":[{"name":"acr-pw","value":"%s"}],
             "registries":[{"server":"%s","username":"edgeacr","passwordSecretRef":"acr-pw"}],
             "ingress":{"external":true,"targetPort":8080}},
           "template":{"terminationGracePeriodSeconds":1,"containers":[{"name":"web",
             "image":"%s/%s","resources":{"cpu":0.25,"memory":"0.5Gi"}}],
             "scale":{"minReplicas":1,"maxReplicas":1}}}}
        """
            .formatted(environment, password, loginServer, loginServer, image);
    return apps.putApp(app(name), body);
  }

  /** curl's status line and body: {@code <status> <redirect>\n<body>}. */
  static String curl(String url) throws Exception {
    String out = curlRun("-w", "\n%{http_code} %{redirect_url}", url);
    int cut = out.lastIndexOf('\n');
    return out.substring(cut + 1) + "\n" + out.substring(0, cut);
  }

  /** What curl's {@code -w} {@code format} says of a request to {@code url}, body discarded. */
  static String curl(String url, String format, String... options) throws Exception {
    List<String> arguments = new ArrayList<>(List.of("-o", "/dev/null", "-w", format));
    arguments.addAll(List.of(options));
    arguments.add(url);
    return curlRun(arguments.toArray(String[]::new));
  }

  /** curl's output, trusting Berth's CA, within 10 s; it must succeed. */
  private static String curlRun(String... arguments) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "curl",
                "-sS",
                "--noproxy",
                "*",
                "--max-time",
                "10",
                "--cacert",
                BERTH.caFile().toString()));
    command.addAll(List.of(arguments));
    var result = Exec.of(command).timeout(Duration.ofSeconds(20)).run();
    assertThat(result.exit()).as(result.output()).isZero();
    return result.stdout();
  }

  static String https(String host, String path) {
    return "https://" + host + ":" + BERTH.server().ingressHttpsPort() + path;
  }

  @Test
  void thePrintedUrlAnswersWithTheReplicasPageAndPlainHttpIsRedirected() throws Exception {
    JsonNode op = deploy("web", "web:latest");
    assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Succeeded");
    JsonNode p = apps.get(app("web")).path("properties");
    String fqdn = p.at("/configuration/ingress/fqdn").asText();
    assertThat(fqdn).matches("web\\.env\\.[a-z0-9]{8}\\.localhost");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(curl(https(fqdn, "/"))).isEqualTo("200 \nhello through the ingress\n"));
    assertThat(curl(https(p.path("latestRevisionFqdn").asText(), "/index.html")))
        .isEqualTo("200 \nhello through the ingress\n");
    // curl offers HTTP/2 in ALPN over HTTPS, and speaks it when offered: so it did above.
    assertThat(curl(https(fqdn, "/"), "%{http_version}")).isEqualTo("2");
    assertThat(curl(https(fqdn, "/"), "%{http_version}", "--http1.1")).isEqualTo("1.1");
    // An encoded slash reaches the app (busybox httpd: 404), not Jetty's 400.
    assertThat(curl(https(fqdn, "/a%2Fb"))).startsWith("404 ");

    String http = "http://" + fqdn + ":" + BERTH.server().ingressHttpPort() + "/index.html?x=1";
    assertThat(curl(http)).startsWith("301 " + https(fqdn, "/index.html?x=1") + "\n");
    // h2c by prior knowledge on the plain port: redirected too, over HTTP/2.
    assertThat(curl(http, "%{http_version} %{http_code}", "--http2-prior-knowledge"))
        .isEqualTo("2 301");
  }

  @Test
  void theUrlContainerappCreatePrintsWorksAsPrinted() throws Exception {
    Path home = Files.createTempDirectory(BERTH.dataDir(), "cli-home");
    CliEnvironment env =
        CliEnvironment.of(
            Map.of(
                "BERTH_DATA_DIR",
                BERTH.dataDir().toString(),
                "BERTH_CONFIG_DIR",
                home.resolve("config").toString()),
            home,
            Clock.systemUTC());
    assertThat(BerthCli.commandLine(env).execute("login")).isZero();
    CommandLine cli = BerthCli.commandLine(env);
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    int exit =
        cli.execute(
            "containerapp",
            "create",
            "-n",
            "cli-web",
            "-g",
            "edge",
            "--environment",
            "env",
            "--image",
            loginServer + "/web:latest",
            "--registry-server",
            loginServer,
            "--registry-username",
            "edgeacr",
            "--registry-password",
            password,
            "--target-port",
            "8080",
            "--ingress",
            "external");
    assertThat(exit).as(err.toString()).isZero();

    Matcher printed = Pattern.compile("Access your app at (\\S+)").matcher(err.toString());
    assertThat(printed.find()).as(err.toString()).isTrue();
    String url = printed.group(1);
    assertThat(url)
        .matches(
            "https://cli-web\\.env\\.[a-z0-9]{8}\\.localhost:"
                + BERTH.server().ingressHttpsPort()
                + "/");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(curl(url)).isEqualTo("200 \nhello through the ingress\n"));
  }

  @Test
  void theCloudMetadataNamesTheIngressPortForClientsToPrint() throws Exception {
    JsonNode clouds = apps.get("/metadata/endpoints?api-version=2022-09-01");
    assertThat(clouds.at("/0/berth/ingressHttpsPort").asInt())
        .isEqualTo(BERTH.server().ingressHttpsPort());
  }

  @Test
  void anUnknownHostGets404AndAFailedRevision503WithItsError() throws Exception {
    String domain = apps.get(environment).at("/properties/defaultDomain").asText();
    assertThat(curl(https("nope." + domain, "/")))
        .isEqualTo("404 \nNo container app has the host name nope." + domain + ".\n");

    JsonNode op = deploy("broken", "web:missing");
    assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Failed");
    assertThat(curl(https("broken." + domain, "/")))
        .startsWith("503 \nContainer app broken cannot serve requests:\n")
        .containsIgnoringCase("image");
  }
}
