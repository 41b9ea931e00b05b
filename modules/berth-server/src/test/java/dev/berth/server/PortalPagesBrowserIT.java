package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.browser.Axe;
import dev.berth.server.browser.Browser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every portal page the seed's browser test does not walk through, in headless Chromium on a real
 * Berth without replicas (the pages read what the API stores): the group, each blade of a registry,
 * a managed identity, an environment and a container app, the create page and the error page, each
 * checked by axe-core in light and in dark.
 */
class PortalPagesBrowserIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  private static final String V = "?api-version=2025-01-01";

  static RegistryFixture fx;
  static Users.User owner;
  static Axe axe;
  static Browser browser;
  static final List<String[]> PAGES = new ArrayList<>();

  @BeforeAll
  static void oneOfEachResource() throws Exception {
    fx = new RegistryFixture(BERTH);
    String group = fx.group("rg-axe");
    String registry = fx.createRegistry("rg-axe", "axeacr", "{\"adminUserEnabled\":true}");
    String identity = group + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pull-id";
    var created =
        fx.https.send(
            "PUT", identity + "?api-version=2023-01-31", fx.owner, "{\"location\":\"local\"}");
    assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
    String principalId = Https.json(created).at("/properties/principalId").asText();
    new Principals(fx.https, fx.boot, fx.owner)
        .grant(RegistryFixture.ACR_PULL, principalId, registry);
    String env = group + "/providers/Microsoft.App/managedEnvironments/env1";
    assertThat(fx.https.send("PUT", env + V, fx.owner, "{\"location\":\"local\"}").statusCode())
        .isEqualTo(201);
    String app = group + "/providers/Microsoft.App/containerApps/web";
    var put =
        fx.https.send(
            "PUT",
            app + V,
            fx.owner,
            "{\"location\":\"local\",\"identity\":{\"type\":\"SystemAssigned\"},"
                + "\"properties\":{\"environmentId\":\""
                + env
                + "\",\"configuration\":{\"secrets\":[{\"name\":\"s1\",\"value\":\"v1\"}],"
                + "\"ingress\":{\"external\":true,\"targetPort\":80}},"
                + "\"template\":{\"containers\":[{\"name\":\"api\",\"image\":\"localhost:5001/api:1\"}]}}}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);

    PAGES.add(new String[] {"the resource group", page(group, "")});
    for (String blade :
        List.of("", "repositories", "access-keys", "policies", "networking", "access-control")) {
      PAGES.add(new String[] {"the registry's " + blade, page(registry, blade)});
    }
    for (String blade : List.of("", "role-assignments", "access-control")) {
      PAGES.add(new String[] {"the identity's " + blade, page(identity, blade)});
    }
    for (String blade : List.of("", "apps", "access-control")) {
      PAGES.add(new String[] {"the environment's " + blade, page(env, blade)});
    }
    for (String blade :
        List.of(
            "",
            "revisions",
            "containers",
            "ingress",
            "scale",
            "identity",
            "secrets",
            "logstream",
            "diagnose")) {
      PAGES.add(new String[] {"the app's " + blade, page(app, blade)});
    }
    PAGES.add(
        new String[] {
          "the create page", page(group, "providers/Microsoft.App/createContainerApp")
        });
    PAGES.add(new String[] {"the error page", page(group + "/providers/Nope.Nope/x/y", "")});

    Users users = new Users(fx.https, fx.boot, fx.owner);
    owner = users.withRole("owner", Principals.OWNER);
    axe = Axe.load();
    browser = Browser.trusting(BERTH.caFile());
  }

  private static String page(String id, String blade) {
    return PortalPages.page(id, blade);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void everyPageHasNoSeriousOrCriticalViolationInLightOrDark() throws Exception {
    WebDriver driver = browser.driver();
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    driver.get(BERTH.baseUrl() + "/portal");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
    driver.findElement(By.id("username")).sendKeys(owner.name());
    driver.findElement(By.id("password")).sendKeys(owner.password());
    driver.findElement(By.xpath("//button[normalize-space()='Sign in']")).click();
    wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Home"));

    List<String> failures = new ArrayList<>();
    for (String theme : List.of("light", "dark")) {
      for (String[] p : PAGES) {
        driver.get(BERTH.baseUrl() + p[1]);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
        boolean dark =
            "dark".equals(driver.findElement(By.tagName("html")).getDomAttribute("data-theme"));
        if (dark != theme.equals("dark")) {
          driver.findElement(By.cssSelector("[data-theme-toggle]")).click();
        }
        if (theme.equals("light")) {
          browser.screenshot(p[0].replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", ""));
        }
        try {
          axe.check(driver, p[0] + " (" + theme + ")");
        } catch (AssertionError e) {
          failures.add(e.getMessage());
        }
      }
    }
    assertThat(failures).isEmpty();
  }
}
