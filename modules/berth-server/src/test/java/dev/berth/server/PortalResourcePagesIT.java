package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The managed identity's, the environment's and the resource group's portal pages, and the home
 * page's search, on a real Berth over HTTP (no replicas: the pages read what the API stores).
 */
class PortalResourcePagesIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  static final String V = "?api-version=2025-01-01";

  static RegistryFixture fx;
  static String registry;
  static String identity;
  static String principalId;
  static String env;
  static String app;
  static PortalPages owner;
  static PortalPages reader;

  @BeforeAll
  static void anIdentityWithARoleAnEnvironmentAndAnApp() throws Exception {
    fx = new RegistryFixture(BERTH);
    registry = fx.createRegistry("rg-pages", "pagesacr", "{}");
    identity =
        fx.group("rg-pages")
            + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pull-id";
    var created =
        fx.https.send(
            "PUT", identity + "?api-version=2023-01-31", fx.owner, "{\"location\":\"local\"}");
    assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
    principalId = Https.json(created).at("/properties/principalId").asText();
    Principals principals = new Principals(fx.https, fx.boot, fx.owner);
    principals.grant(RegistryFixture.ACR_PULL, principalId, registry);
    env = fx.group("rg-pages") + "/providers/Microsoft.App/managedEnvironments/env1";
    assertThat(fx.https.send("PUT", env + V, fx.owner, "{\"location\":\"local\"}").statusCode())
        .isEqualTo(201);
    app = fx.group("rg-pages") + "/providers/Microsoft.App/containerApps/web";
    var put =
        fx.https.send(
            "PUT",
            app + V,
            fx.owner,
            "{\"location\":\"local\",\"properties\":{\"environmentId\":\""
                + env
                + "\",\"configuration\":{\"ingress\":{\"external\":true,\"targetPort\":80}},"
                + "\"template\":{\"containers\":[{\"name\":\"api\",\"image\":\"localhost:5001/api:1\"}]}}}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    owner = new PortalPages(BERTH, BERTH.portalSession(fx.owner, "owner", fx.boot.objectId()));
    Principals.Created r = principals.withRole(Principals.READER, fx.group("rg-pages"));
    reader = new PortalPages(BERTH, BERTH.portalSession(r.token(), "reader", r.principalId()));
  }

  @Test
  void theIdentitysOverviewShowsItsIds() throws Exception {
    HttpResponse<String> r = owner.get(PortalPages.page(identity, ""));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body())
        .contains("id=\"principal-id\">" + principalId + "<")
        .contains("id=\"tenant-id\">" + fx.boot.tenantId() + "<")
        .containsPattern("id=\"client-id\">[0-9a-f-]{36}<");
  }

  @Test
  void theIdentitysRoleAssignmentsShowAcrPullOnTheRegistry() throws Exception {
    HttpResponse<String> r = reader.get(PortalPages.page(identity, "role-assignments"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body())
        .contains("<th scope=\"row\">AcrPull</th>")
        .contains("href=\"/portal/resource" + registry + "\"");
  }

  @Test
  void theEnvironmentsOverviewShowsItsDomainAndAddress() throws Exception {
    var props = Https.json(fx.https.send("GET", env + V, fx.owner, null)).path("properties");

    HttpResponse<String> r = owner.get(PortalPages.page(env, ""));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body())
        .contains("id=\"default-domain\">" + props.path("defaultDomain").asText() + "<")
        .contains("id=\"static-ip\">" + props.path("staticIp").asText() + "<");
  }

  @Test
  void theEnvironmentsAppsLinkToTheAppsPagesWithTheirUrls() throws Exception {
    String fqdn =
        Https.json(fx.https.send("GET", app + V, fx.owner, null))
            .at("/properties/configuration/ingress/fqdn")
            .asText();

    HttpResponse<String> r = reader.get(PortalPages.page(env, "apps"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    // The URL opens the app: it names the ingress' HTTPS port unless that is 443 (or off).
    int port = BERTH.server().ingressHttpsPort();
    String url = "https://" + fqdn + (port == 443 || port <= 0 ? "" : ":" + port) + "/";
    assertThat(r.body())
        .contains("<a href=\"/portal/resource" + app + "\">web</a>")
        .contains("<a href=\"" + url + "\">" + url + "</a>");
  }

  @Test
  void theIdentityAndTheEnvironmentHaveAnAccessControlBladeToo() throws Exception {
    HttpResponse<String> id = owner.get(PortalPages.page(identity, "access-control"));
    HttpResponse<String> en = reader.get(PortalPages.page(env, "access-control"));

    assertThat(id.statusCode()).as(id.body()).isEqualTo(200);
    assertThat(id.body()).contains("id=\"add-role-assignment\"");
    assertThat(en.statusCode()).as(en.body()).isEqualTo(200);
    assertThat(en.body()).contains("id=\"role-assignments\"").doesNotContain("add-role-assignment");
  }

  @Test
  void theResourceGroupPageListsItsResources() throws Exception {
    HttpResponse<String> r = owner.get("/portal/resource" + fx.group("rg-pages"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body())
        .contains("<a href=\"/portal/resource" + registry + "\">pagesacr</a>")
        .contains("<a href=\"/portal/resource" + identity + "\">pull-id</a>")
        .contains("<a href=\"/portal/resource" + app + "\">web</a>");
    // The way to the create page, which nothing else links to.
    assertThat(r.body())
        .contains(
            "href=\"/portal/resource"
                + fx.group("rg-pages")
                + "/providers/Microsoft.App/createContainerApp\"");
    HttpResponse<String> create =
        owner.get(
            "/portal/resource"
                + fx.group("rg-pages")
                + "/providers/Microsoft.App/createContainerApp");
    assertThat(create.statusCode()).as(create.body()).isEqualTo(200);
  }

  @Test
  void theTopBarsSearchFindsResourcesByNameTypeAndGroup() throws Exception {
    assertThat(owner.get("/portal?q=pull").body())
        .contains(">pull-id</a>")
        .doesNotContain(">pagesacr</a>");
    assertThat(owner.get("/portal?q=registry").body())
        .contains(">pagesacr</a>")
        .doesNotContain(">pull-id</a>");
    assertThat(owner.get("/portal?q=RG-PAGES").body()).contains(">web</a>").contains(">env1</a>");
  }

  @Test
  void aReaderOfOneGroupSeesThatGroupAndItsResourcesOnTheHomePage() throws Exception {
    // Another group the reader holds no role in: ARM's filtered lists leave it out.
    fx.createRegistry("rg-hidden", "hiddenacr", "{}");

    HttpResponse<String> r = reader.get("/portal");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body())
        .contains(">rg-pages<", ">web<", ">pagesacr<")
        .doesNotContain("rg-hidden", "hiddenacr", "You may not list");
  }

  @Test
  void aPathWithAnOddSegmentIsThePortals404() throws Exception {
    HttpResponse<String> r =
        owner.get(
            PortalPages.page(
                fx.group("rg-pages")
                    + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/a%20b",
                ""));

    assertThat(r.statusCode()).isEqualTo(404);
  }
}
