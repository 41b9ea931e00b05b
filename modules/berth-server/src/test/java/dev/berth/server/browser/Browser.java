package dev.berth.server.browser;

import dev.berth.testing.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Debian Chromium driven by Debian's ChromeDriver through Selenium, in a fresh temporary
 * profile that trusts one CA (Berth's) and nothing else added: the CA goes into an NSS database
 * under a temporary {@code HOME}, where Chromium on Linux reads locally trusted roots, so TLS is
 * checked as for any person (no {@code --ignore-certificate-errors}). Nothing is downloaded: the
 * driver and the browser are named explicitly, so Selenium Manager never runs. Closing quits the
 * browser and deletes the profile. Not thread-safe.
 */
public final class Browser implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CERTUTIL = Path.of("/usr/bin/certutil");

  private final Path home;
  private final ChromeDriverService service;
  private final ChromeDriver driver;

  private Browser(Path home, ChromeDriverService service, ChromeDriver driver) {
    this.home = home;
    this.service = service;
    this.driver = driver;
  }

  /** Starts a browser that trusts the CA in {@code caPem}. */
  public static Browser trusting(Path caPem) throws Exception {
    require(CHROMIUM, "chromium");
    require(CHROMEDRIVER, "chromium-driver");
    require(CERTUTIL, "libnss3-tools");
    Path home = Files.createTempDirectory("berth-browser-");
    ChromeDriverService service = null;
    try {
      trustCa(home, caPem);
      service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(CHROMEDRIVER.toFile())
              .usingAnyFreePort()
              // Chromium (started by the driver) reads the NSS database under $HOME/.pki.
              .withEnvironment(Map.of("HOME", home.toString()))
              .build();
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments(
          "--headless=new",
          // As root, Chromium's sandbox cannot start; the tests load only Berth's own pages.
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--disable-quic",
          // This machine's network is closed: no background calls to Google's services.
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--window-size=1280,900",
          "--user-data-dir=" + home.resolve("profile"));
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
      return new Browser(home, service, driver);
    } catch (Exception | Error e) {
      if (service != null) {
        service.stop();
      }
      delete(home);
      throw e;
    }
  }

  /**
   * Saves what the browser shows as {@code target/screenshots/<name>.png} (docs/portal.md shows
   * them: copy them to docs/portal/ after a run).
   */
  public void screenshot(String name) throws IOException {
    Path dir = Path.of("target/screenshots");
    Files.createDirectories(dir);
    Path shot = driver().getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath();
    Files.copy(shot, dir.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  public ChromeDriver driver() {
    return driver;
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      service.stop();
      delete(home);
    }
  }

  /** A fresh NSS database under {@code home} that trusts {@code caPem} to identify servers. */
  private static void trustCa(Path home, Path caPem) throws Exception {
    Path nss = Files.createDirectories(home.resolve(".pki/nssdb"));
    String db = "sql:" + nss;
    Exec.of(CERTUTIL.toString(), "-N", "-d", db, "--empty-password")
        .timeout(Duration.ofSeconds(30))
        .run()
        .requireSuccess();
    Exec.of(
            CERTUTIL.toString(),
            "-A",
            "-d",
            db,
            "-n",
            "Berth test CA",
            "-t",
            "C,,",
            "-i",
            caPem.toString())
        .timeout(Duration.ofSeconds(30))
        .run()
        .requireSuccess();
  }

  private static void require(Path tool, String debianPackage) {
    if (!Files.isExecutable(tool)) {
      throw new IllegalStateException(
          tool
              + " is missing: install Debian's "
              + debianPackage
              + " (apt-get install "
              + debianPackage
              + "; .ci/run installs what the tests need)");
    }
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
