package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.testing.OciLayouts;
import dev.berth.server.browser.Axe;
import dev.berth.server.browser.Browser;
import dev.berth.testing.Exec;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 14's browser path on real runc, clicked and typed as a person would in headless Chromium:
 * an Owner creates an app with the system identity and a Berth registry image picked from the
 * registry's own pickers, accepts the AcrPull offer, sees the revision run and its URL answer;
 * turns the registry's ARM-token policy off on its Policies blade, restarts the revision, sees the
 * diagnosis and clicks its fix, and the same revision runs again. A Reader sees the diagnosis with
 * no fix button, and a forged fix gets the API's 403. axe-core checks every page on the way.
 */
class PortalSeedBrowserIT {

  @RegisterExtension
  static final RunningBerth BERTH =
      RunningBerth.withReplicas("10.214.42.0/24", "psb").withIngress();

  private static final String GROUP = "seed";

  static RegistryFixture fx;
  static AppFixture apps;
  static String registryId;
  static String environmentId;
  static String appId;
  static Users.User owner;
  static Users.User reader;
  static Axe axe;
  static Browser ownerBrowser;
  static Browser readerBrowser;

  @BeforeAll
  static void aRegistryWithAnImageAndAnEnvironment() throws Exception {
    Preconditions.requireRootAndTools("runc", "ip", "skopeo");
    fx = new RegistryFixture(BERTH);
    apps = new AppFixture(fx);
    registryId = fx.createRegistry(GROUP, "seedacr", "{\"adminUserEnabled\":true}");
    String loginServer = fx.loginServer(registryId);
    Path layout = Files.createTempDirectory(BERTH.dataDir(), "image");
    OciLayouts.busybox(
        layout,
        "v1",
        List.of(OciLayouts.File.of("www/index.html", "hello from the seed\n")),
        List.of("httpd", "-f", "-p", "8080", "-h", "/www"));
    String creds = "seedacr:" + fx.adminPassword(registryId);
    for (String ref : List.of("api:1", "api:2")) {
      var pushed = fx.push(layout, loginServer, creds, ref);
      assertThat(pushed.exit()).as(pushed.output()).isZero();
    }
    environmentId = apps.createEnvironment(GROUP, "env");
    appId = fx.group(GROUP) + "/providers/Microsoft.App/containerApps/web";
    Users users = new Users(fx.https, fx.boot, fx.owner);
    owner = users.withRole("owner", Principals.OWNER);
    reader = users.withRole("reader", Principals.READER);
    axe = Axe.load();
    ownerBrowser = Browser.trusting(BERTH.caFile());
  }

  @AfterAll
  static void cleanUp() throws Exception {
    try {
      if (ownerBrowser != null) {
        ownerBrowser.close();
      }
      if (readerBrowser != null) {
        readerBrowser.close();
      }
    } finally {
      if (apps != null && appId != null) {
        apps.deleteApp(appId);
      }
    }
  }

  private static WebDriverWait waiting(WebDriver driver, int seconds) {
    return new WebDriverWait(driver, Duration.ofSeconds(seconds));
  }

  private static void signIn(WebDriver driver, Users.User user) throws Exception {
    driver.get(BERTH.baseUrl() + "/portal");
    waiting(driver, 20).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
    axe.check(driver, "the sign-in page");
    driver.findElement(By.id("username")).sendKeys(user.name());
    driver.findElement(By.id("password")).sendKeys(user.password());
    driver.findElement(By.xpath("//button[normalize-space()='Sign in']")).click();
    waiting(driver, 20).until(ExpectedConditions.textToBe(By.tagName("h1"), "Home"));
    axe.check(driver, "the home page");
  }

  /** From Home, the resource's link, then (if not empty) a blade in its menu. */
  private static void open(WebDriver driver, String resource, String blade) {
    if (!driver.findElement(By.tagName("h1")).getText().equals("Home")) {
      driver.findElement(By.cssSelector("nav.breadcrumbs a[href='/portal']")).click();
      waiting(driver, 20).until(ExpectedConditions.textToBe(By.tagName("h1"), "Home"));
    }
    driver.findElement(By.linkText(resource)).click();
    if (!blade.isEmpty()) {
      waiting(driver, 20)
          .until(ExpectedConditions.elementToBeClickable(By.linkText(blade)))
          .click();
    }
  }

  /** Reloads the page (its Refresh) until {@code css} shows, as a person waiting would. */
  private static WebElement refreshUntil(WebDriver driver, By what, int seconds) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      List<WebElement> found = driver.findElements(what);
      if (!found.isEmpty()) {
        return found.get(0);
      }
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "no "
                + what
                + " on "
                + driver.getCurrentUrl()
                + " after "
                + seconds
                + "s:\n"
                + driver.findElement(By.tagName("main")).getText());
      }
      sleep(2000);
      driver.navigate().refresh();
    }
  }

  /** Reloads the page until its status line matches {@code regex}, as a person waiting would. */
  private static void refreshUntilStatus(WebDriver driver, String regex, int seconds) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    String text = "";
    while (System.nanoTime() < end) {
      try {
        List<WebElement> status = driver.findElements(By.id("app-status"));
        text = status.isEmpty() ? "" : status.get(0).getText();
      } catch (StaleElementReferenceException e) {
        continue; // htmx swapped the status line in between: read the new one
      }
      if (text.matches(regex)) {
        return;
      }
      sleep(3000);
      driver.navigate().refresh();
    }
    throw new AssertionError("status never matched " + regex + ": " + text);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theSeedsFlowClickedThrough() throws Exception {
    WebDriver driver = ownerBrowser.driver();
    signIn(driver, owner);

    // Create the app: system identity, the Berth registry's image.
    driver.get(
        BERTH.baseUrl()
            + "/portal/resource"
            + fx.group(GROUP)
            + "/providers/Microsoft.App/createContainerApp");
    waiting(driver, 20).until(ExpectedConditions.visibilityOfElementLocated(By.id("name")));
    axe.check(driver, "the create page");
    driver.findElement(By.id("name")).sendKeys("web");
    new Select(driver.findElement(By.id("environment"))).selectByValue(environmentId);
    driver.findElement(By.cssSelector("input[name=source][value=berth]")).click();
    new Select(driver.findElement(By.id("registry"))).selectByValue(registryId);
    driver.findElement(By.id("repository")).sendKeys("api");
    driver.findElement(By.id("tag")).clear();
    driver.findElement(By.id("tag")).sendKeys("1");
    driver.findElement(By.cssSelector("input[name=auth][value=identity]")).click();
    driver.findElement(By.id("targetPort")).sendKeys("8080");
    driver.findElement(By.id("create")).click();

    // Edit and deploy checks the pull and offers AcrPull; the pickers come from the registry.
    WebElement offer =
        waiting(driver, 60)
            .until(ExpectedConditions.visibilityOfElementLocated(By.id("assign-acrpull")));
    assertThat(driver.getCurrentUrl()).endsWith("/containers?check=1");
    assertThat(offer.getText()).startsWith("Assign AcrPull to");
    axe.check(driver, "Edit and deploy with the AcrPull offer");
    Select registry = new Select(driver.findElement(By.id("registry")));
    assertThat(registry.getFirstSelectedOption().getDomAttribute("value"))
        .isEqualToIgnoringCase(registryId);
    new Select(driver.findElement(By.id("repository"))).selectByValue("api");
    Select tag = new Select(driver.findElement(By.id("tag")));
    assertThat(tag.getOptions()).extracting(WebElement::getText).contains("1", "2");
    // The tag the app was created with: the first revision heals in place once AcrPull is there.
    tag.selectByValue("1");
    assertThat(
            new Select(driver.findElement(By.id("identity")))
                .getFirstSelectedOption()
                .getDomAttribute("value"))
        .isEqualTo("system");
    driver.findElement(By.id("assign-acrpull")).click();

    // The saved page shows the status live; the first revision heals in place (the Overview's
    // Refresh, as a person would press it, until the status says Running).
    waiting(driver, 30).until(ExpectedConditions.presenceOfElementLocated(By.id("app-status")));
    axe.check(driver, "Edit and deploy, saved");
    open(driver, "web", "");
    refreshUntilStatus(driver, "(?s).*Latest revision \\S+: Running\\..*", 180);
    assertThat(apps.get(appId).at("/properties/template/containers/0/image").asText())
        .endsWith("/api:1");
    String revision = apps.get(appId).at("/properties/latestRevisionName").asText();

    // The Overview's URL answers.
    open(driver, "web", "");
    axe.check(driver, "the app's Overview");
    String url = driver.findElement(By.id("app-url")).getDomAttribute("href");
    assertThat(fetch(url)).contains("hello from the seed");

    open(driver, "web", "Identity");
    axe.check(driver, "the app's Identity blade");
    assertThat(driver.findElement(By.tagName("main")).getText()).contains("System assigned");

    // The registry stops taking ARM tokens, on its Policies blade.
    open(driver, "seedacr", "Policies");
    new Select(driver.findElement(By.id("armPolicy"))).selectByValue("disabled");
    driver.findElement(By.cssSelector("#policies-form button[type=submit]")).click();
    waiting(driver, 20).until(ExpectedConditions.textToBe(By.id("arm-policy"), "Disabled"));
    axe.check(driver, "the registry's Policies blade");

    // Restart the revision from the Revisions blade; the diagnosis shows under it.
    open(driver, "web", "Revisions and replicas");
    driver
        .findElement(By.cssSelector("form[action$='/revisions/" + revision + "/restart'] button"))
        .click();
    WebElement diagnosis =
        refreshUntil(driver, By.cssSelector("[data-code='ARM_AUDIENCE_DISABLED']"), 120);
    assertThat(diagnosis.isDisplayed()).isTrue();
    assertThat(driver.findElements(By.cssSelector("[data-fix='arm-policy']"))).hasSize(1);
    axe.check(driver, "the Revisions blade with the diagnosis");

    // A Reader sees the diagnosis and no fix; a forged fix gets the API's 403 in its words.
    readerBrowser = Browser.trusting(BERTH.caFile());
    WebDriver readers = readerBrowser.driver();
    signIn(readers, reader);
    open(readers, "web", "Revisions and replicas");
    assertThat(readers.findElements(By.cssSelector("[data-code='ARM_AUDIENCE_DISABLED']")))
        .hasSize(1);
    assertThat(readers.findElements(By.cssSelector("[data-fix]"))).isEmpty();
    axe.check(readers, "the Revisions blade as a Reader");
    PortalPages forger =
        new PortalPages(BERTH, readers.manage().getCookieNamed("__Host-berth-session").getValue());
    HttpResponse<String> forged =
        forger.post(PortalPages.page(appId, "fix"), "kind", "arm-policy", "target", registryId);
    assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);
    assertThat(forged.body()).contains("AuthorizationFailed");
    assertThat(
            fx.registry(registryId)
                .at("/properties/policies/azureADAuthenticationAsArmPolicy/status")
                .asText())
        .isEqualToIgnoringCase("disabled");

    // The Owner clicks the fix: the same revision runs again.
    driver.findElement(By.cssSelector("[data-fix='arm-policy']")).click();
    refreshUntilStatus(driver, "(?s).*Latest revision " + revision + ": Running\\..*", 180);
    assertThat(apps.get(appId).at("/properties/latestRevisionName").asText()).isEqualTo(revision);
    assertThat(fetch(url)).contains("hello from the seed");
  }

  /**
   * GETs the app's URL exactly as the page shows it ({@code https://<fqdn>:<ingress port>/}, the
   * name under {@code localhost}, which curl sends to loopback itself) with curl trusting Berth's
   * CA only, so TLS checks the name. Waits up to a minute for the route to answer 200.
   */
  private static String fetch(String url) throws Exception {
    URI shown = URI.create(url);
    assertThat(shown.getPort()).as(url).isEqualTo(BERTH.server().ingressHttpsPort());
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      Exec.Result r =
          Exec.of(
                  "curl",
                  "-sSv",
                  "--noproxy",
                  "*",
                  "--max-time",
                  "10",
                  "--cacert",
                  BERTH.caFile().toString(),
                  "-w",
                  "\n%{http_code}",
                  url)
              .timeout(Duration.ofSeconds(20))
              .run();
      String out = r.stdout();
      if (r.exit() == 0 && out.endsWith("\n200")) {
        return out;
      }
      if (System.nanoTime() > end) {
        Exec.Result plain =
            Exec.of(
                    "curl",
                    "-sSv",
                    "--max-time",
                    "10",
                    "-H",
                    "Host: " + shown.getHost(),
                    "http://127.0.0.1:" + BERTH.server().ingressHttpPort() + "/")
                .timeout(Duration.ofSeconds(20))
                .run();
        throw new AssertionError(
            url
                + " did not answer 200: "
                + r.output()
                + "\nplain HTTP: "
                + plain.output()
                + "\napp: "
                + apps.get(appId)
                + "\nrevisions: "
                + apps.revisions(appId));
      }
      sleep(2000);
    }
  }
}
