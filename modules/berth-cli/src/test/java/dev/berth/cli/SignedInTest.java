package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the command tests that run signed in: a {@link CliHarness} in a temporary directory,
 * logged in from bootstrap.json before each test and closed after it. Not thread-safe.
 */
abstract class SignedInTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path root;
  CliHarness cli;

  @BeforeEach
  void signIn() {
    cli = new CliHarness(root);
    cli.login();
  }

  @AfterEach
  void closeHarness() {
    cli.close();
  }

  static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }
}
