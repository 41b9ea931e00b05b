package dev.berth.server.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * Runs axe-core (from npm, {@code node_modules/axe-core} at the repository root, installed by
 * {@code npm ci}) on the page a browser shows, and fails on any violation of impact serious or
 * critical, listing each with the elements it found. WebDriver's scripts are not subject to the
 * page's Content-Security-Policy, so the portal's CSP stays strict. Thread-safe.
 */
public final class Axe {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FAILING = Set.of("serious", "critical");

  private final String source;

  private Axe(String source) {
    this.source = source;
  }

  /** Loads axe.min.js from the repository's node_modules; fails saying how to install it. */
  public static Axe load() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("package-lock.json"))) {
      dir = dir.getParent();
    }
    Path axe = dir == null ? null : dir.resolve("node_modules/axe-core/axe.min.js");
    if (axe == null || !Files.isRegularFile(axe)) {
      throw new IllegalStateException(
          "node_modules/axe-core/axe.min.js is missing: run `npm ci` at the repository root"
              + " (.ci/run does)");
    }
    return new Axe(Files.readString(axe, StandardCharsets.UTF_8));
  }

  /** Checks the page {@code driver} shows; {@code what} names it in the failure. */
  public void check(WebDriver driver, String what) throws IOException {
    JavascriptExecutor js = (JavascriptExecutor) driver;
    js.executeScript(source);
    Object answer =
        js.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']})"
                + ".then(r => done(JSON.stringify(r.violations)))"
                + ".catch(e => done('axe failed: ' + e));");
    String text = String.valueOf(answer);
    if (!text.startsWith("[")) {
      throw new IllegalStateException(what + ": " + text);
    }
    List<String> failures = new ArrayList<>();
    for (JsonNode v : JSON.readTree(text)) {
      if (FAILING.contains(v.path("impact").asText())) {
        List<String> targets = new ArrayList<>();
        for (JsonNode node : v.path("nodes")) {
          targets.add(node.path("target").toString());
        }
        failures.add(
            v.path("impact").asText()
                + " "
                + v.path("id").asText()
                + ": "
                + v.path("help").asText()
                + " at "
                + targets);
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(
          "axe-core found serious or critical violations on "
              + what
              + " ("
              + driver.getCurrentUrl()
              + "):\n  "
              + String.join("\n  ", failures));
    }
  }
}
