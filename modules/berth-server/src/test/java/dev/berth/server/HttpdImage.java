package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.testing.OciLayouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What ITs that run apps on runc start from: a registry of their own with a busybox {@code httpd}
 * image (port 8080) pushed with its admin user, and an environment in the same group. Not
 * thread-safe; made once per test class.
 *
 * @param image the pushed image, {@code <loginServer>/api:1}
 * @param user the registry's admin user, for {@code registries[].username}
 * @param password its admin password, for the secret {@code passwordSecretRef} names
 */
record HttpdImage(
    RegistryFixture fx,
    AppFixture apps,
    String loginServer,
    String image,
    String user,
    String password,
    String environment) {

  static HttpdImage push(RunningBerth berth, String group, String registryName) throws Exception {
    Preconditions.requireRootAndTools("runc", "ip", "skopeo");
    RegistryFixture fx = new RegistryFixture(berth);
    AppFixture apps = new AppFixture(fx);
    String registry = fx.createRegistry(group, registryName, "{\"adminUserEnabled\":true}");
    String server = fx.loginServer(registry);
    String password = fx.adminPassword(registry);
    Path layout = Files.createTempDirectory(berth.dataDir(), "image");
    OciLayouts.busybox(
        layout,
        "v1",
        List.of(OciLayouts.File.of("www/index.html", "hello\n")),
        List.of("httpd", "-f", "-p", "8080", "-h", "/www"));
    var pushed = fx.push(layout, server, registryName + ":" + password, "api:1");
    assertThat(pushed.exit()).as(pushed.output()).isZero();
    String env = apps.createEnvironment(group, "env");
    return new HttpdImage(fx, apps, server, server + "/api:1", registryName, password, env);
  }

  /**
   * The body of an app of this image in Single mode, one replica, no ingress, pulling with the
   * admin password kept in the secret {@code pw}.
   */
  String appBody() {
    return """
        {"location":"local",
         "properties":{"environmentId":"%s",
           "configuration":{"activeRevisionsMode":"Single",
             "secrets":[{"name":"pw","value":"%s"}],
             "registries":[{"server":"%s","username":"%s","passwordSecretRef":"pw"}]},
           "template":{"terminationGracePeriodSeconds":1,
             "containers":[{"name":"api","image":"%s","resources":{"cpu":0.25,"memory":"0.5Gi"}}],
             "scale":{"minReplicas":1,"maxReplicas":1}}}}
        """
        .formatted(environment, password, loginServer, user, image);
  }
}
