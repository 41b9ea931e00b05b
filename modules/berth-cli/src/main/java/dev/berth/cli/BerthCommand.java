package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.client.ArmCallException;
import dev.berth.client.BerthUnreachableException;
import dev.berth.client.RegistryCallException;
import dev.berth.client.TokenRequestException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every leaf command: global options, output, and one place that turns failures into az's
 * {@code ERROR: (<code>) <message>} line with exit code 1. Not thread-safe (one per invocation).
 */
abstract class BerthCommand implements Callable<Integer> {

  static final ObjectMapper JSON = new ObjectMapper();

  @Mixin GlobalOptions global = new GlobalOptions();

  @Spec CommandSpec spec;

  final CliEnvironment env;

  BerthCommand(CliEnvironment env) {
    this.env = env;
  }

  /** Does the work; returns the exit code. */
  abstract int run();

  @Override
  public final Integer call() {
    try {
      return run();
    } catch (ArmCallException e) {
      return fail("(" + e.code() + ") " + e.getMessage());
    } catch (RegistryCallException e) {
      return fail("(" + e.code() + ") " + e.getMessage());
    } catch (TokenRequestException e) {
      return fail(e.getMessage());
    } catch (BerthUnreachableException e) {
      return fail(
          "Cannot connect to Berth at "
              + e.endpoint()
              + " (connection refused). Is Berth running? Start it with `berth up`.");
    } catch (CliFailure | IllegalArgumentException e) {
      return fail(e.getMessage());
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof SSLException ssl) {
        return fail(
            "TLS connection failed: "
                + ssl.getMessage()
                + ". Trust Berth's CA with `berth login --ca-file <ca.pem>`.");
      }
      return fail(e.getMessage());
    }
  }

  private int fail(String message) {
    printErr("ERROR: " + message);
    return 1;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Prints a line to stderr at once (warnings and progress, which must not mix into stdout). */
  void printErr(String line) {
    PrintWriter err = err();
    err.println(line);
    err.flush();
  }

  Consumer<String> debug() {
    if (!global.debug) {
      return message -> {};
    }
    return message -> printErr("DEBUG: " + message);
  }

  ProfileStore profiles() {
    return new ProfileStore(env.configDir());
  }

  /**
   * The saved profile commands use: the one for {@code $BERTH_ENDPOINT} when set, else the one for
   * the Berth of {@code $BERTH_DATA_DIR} when set and logged in to, else the last login's; or a
   * failure asking the user to log in.
   */
  Profile profile() {
    ProfileStore store = profiles();
    Optional<String> endpoint = env.variable("BERTH_ENDPOINT");
    if (endpoint.isPresent()) {
      URI chosen = URI.create(endpoint.get());
      return store
          .forEndpoint(chosen)
          .orElseThrow(
              () ->
                  new CliFailure(
                      "Please run 'berth login' for "
                          + chosen
                          + " ($BERTH_ENDPOINT) to set up an account."));
    }
    return env.variable("BERTH_DATA_DIR")
        .flatMap(dir -> LoginCommand.bootstrapEndpoint(Path.of(dir)))
        .flatMap(store::forEndpoint)
        .or(store::current)
        .orElseThrow(() -> new CliFailure("Please run 'berth login' to set up an account."));
  }

  /** The signed-in session, or a failure asking the user to log in. */
  Session session() {
    return new Session(profiles(), profile(), env, debug());
  }

  /** The subscription from {@code --subscription}, else the profile's default. */
  String subscription(Session session) {
    return global.subscription().orElse(session.profile().subscriptionId());
  }

  /** {@code /subscriptions/<subscription>}, the scope most commands start from. */
  String subscriptionPath(Session session) {
    return "/subscriptions/" + subscription(session);
  }

  /**
   * Where a {@code list} looks: the resource group {@code group}, or the whole subscription when
   * none is given.
   */
  String listScope(Session session, String group) {
    return group == null || group.isBlank()
        ? subscriptionPath(session)
        : subscriptionPath(session) + "/resourceGroups/" + group;
  }

  void print(JsonNode result, List<Output.Column> columns) {
    Output.print(out(), global.output, result, columns);
  }

  /** A query-parameter value, percent-encoded (spaces as %20, which every server decodes). */
  static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
