package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.browser.Axe;
import dev.berth.server.browser.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal in a real browser (Debian's headless Chromium) on a real Berth: a person lands on the
 * sign-in page, signs in, sees the home page in light and dark, signs out, and the old session
 * cookie no longer opens a page; a Reader signs in too. axe-core checks every page for serious or
 * critical accessibility violations. Screenshots land in {@code target/screenshots}.
 */
class PortalBrowserIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  private static final Path SCREENSHOTS = Path.of("target/screenshots");

  static Users.User owner;
  static Users.User reader;
  static Axe axe;
  static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    BootstrapInfo boot = BERTH.bootstrap();
    Https https = new Https(BERTH.caFile(), boot.managementEndpoint());
    String token =
        https.token(
            boot.tenantId(), boot.clientId(), boot.clientSecret(), boot.managementEndpoint());
    Users users = new Users(https, boot, token);
    owner = users.withRole("owner", Principals.OWNER);
    reader = users.withRole("reader", Principals.READER);
    axe = Axe.load();
    browser = Browser.trusting(BERTH.caFile());
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  private static WebDriverWait waiting(WebDriver driver) {
    return new WebDriverWait(driver, Duration.ofSeconds(20));
  }

  private static void screenshot(WebDriver driver, String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Fills in the token service's sign-in form and waits for the portal's home page. */
  private static void signIn(WebDriver driver, Users.User user) {
    waiting(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
    driver.findElement(By.id("username")).sendKeys(user.name());
    driver.findElement(By.id("password")).sendKeys(user.password());
    driver.findElement(By.xpath("//button[normalize-space()='Sign in']")).click();
    waiting(driver).until(ExpectedConditions.urlToBe(BERTH.baseUrl() + "/portal"));
    waiting(driver).until(ExpectedConditions.textToBe(By.tagName("h1"), "Home"));
  }

  /** Sign-in and a page, with the keyboard alone: Tab, typing and Enter, no mouse. */
  @Test
  void theSignInAndThePagesWorkFromTheKeyboardAlone() throws Exception {
    WebDriver driver = browser.driver();
    driver.manage().deleteAllCookies();
    driver.get(BERTH.baseUrl() + "/portal");
    waiting(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));

    // The user name field has the focus when the page opens.
    assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("username");
    driver.switchTo().activeElement().sendKeys(owner.name(), org.openqa.selenium.Keys.TAB);
    assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("password");
    driver.switchTo().activeElement().sendKeys(owner.password(), org.openqa.selenium.Keys.ENTER);
    waiting(driver).until(ExpectedConditions.textToBe(By.tagName("h1"), "Home"));

    // The first Tab reaches the skip link, and Enter on it moves the focus to the page's content.
    driver.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.TAB);
    assertThat(driver.switchTo().activeElement().getText()).isEqualTo("Skip to main content");
    driver.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ENTER);
    assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("main");
    // Tabbing on from the content reaches the filter, typed into and sent with Enter.
    driver.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.TAB);
    assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("q");
    driver.switchTo().activeElement().sendKeys("nothing-such", org.openqa.selenium.Keys.ENTER);
    waiting(driver).until(ExpectedConditions.urlContains("q=nothing-such"));
    assertThat(driver.getPageSource()).contains("No resource matches");
    driver.manage().deleteAllCookies(); // the other tests start signed out
  }

  @Test
  void aPersonSignsInSeesHomeInLightAndDarkAndSignsOut() throws Exception {
    WebDriver driver = browser.driver();

    driver.get(BERTH.baseUrl() + "/portal");
    waiting(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
    assertThat(driver.getCurrentUrl()).contains("/oauth2/v2.0/authorize");
    axe.check(driver, "the sign-in page");
    screenshot(driver, "signin");

    signIn(driver, owner);
    assertThat(driver.findElement(By.className("user")).getText()).isEqualTo(owner.name());
    assertThat(driver.getPageSource()).contains(BERTH.bootstrap().subscriptionId());
    axe.check(driver, "the home page (light)");
    screenshot(driver, "home-light");

    Cookie session = driver.manage().getCookieNamed("__Host-berth-session");
    assertThat(session).isNotNull();
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.isSecure()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Lax");
    assertThat(session.getPath()).isEqualTo("/");

    driver.findElement(By.cssSelector("[data-theme-toggle]")).click();
    assertThat(driver.findElement(By.tagName("html")).getDomAttribute("data-theme"))
        .isEqualTo("dark");
    axe.check(driver, "the home page (dark)");
    screenshot(driver, "home-dark");
    driver.findElement(By.cssSelector("[data-theme-toggle]")).click();

    driver.findElement(By.xpath("//button[normalize-space()='Sign out']")).click();
    waiting(driver).until(ExpectedConditions.urlToBe(BERTH.baseUrl() + "/portal/signedout"));
    assertThat(driver.findElement(By.linkText("Sign in again")).getDomAttribute("href"))
        .isEqualTo("/portal/signin");
    assertThat(driver.manage().getCookieNamed("__Host-berth-session")).isNull();
    axe.check(driver, "the signed-out page");

    PortalPages stale = new PortalPages(BERTH);
    stale.setCookie(session.getName(), session.getValue());
    assertThat(stale.get("/portal").statusCode()).isEqualTo(303);

    // Sign in again, as a Reader this time: the same pages, what RBAC lets a Reader see.
    driver.findElement(By.linkText("Sign in again")).click();
    signIn(driver, reader);
    assertThat(driver.findElement(By.className("user")).getText()).isEqualTo(reader.name());
    assertThat(driver.getPageSource()).contains(BERTH.bootstrap().subscriptionId());
    axe.check(driver, "the home page (Reader)");
  }
}
