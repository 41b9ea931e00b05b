package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth acr check-access -n REG --identity ID --repository R [--action pull|push]}: what the
 * registry would answer the identity (a user-assigned identity's resource id, or a principal id),
 * and which rule decided — a role assignment and its scope, an ABAC condition, a policy, a network
 * rule — from {@code POST …/registries/{name}/checkAccess}, which runs the registry's own decision.
 * Exits 0 when allowed, 3 when denied (so scripts can branch), 1 on errors.
 */
@Command(
    name = "check-access",
    mixinStandardHelpOptions = true,
    description = "Ask whether an identity may pull or push a repository, and why.")
final class AcrCheckAccessCommand extends AcrBase {

  /** The exit status of a denied access: the answer, not a failure of the command. */
  static final int DENIED = 3;

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("Allowed", "/allowed"),
          Output.Column.of("DecidedBy", "/decidedBy"),
          Output.Column.of("Rule", "/rule"),
          Output.Column.of("Code", "/code"));

  @Mixin ByName registry = new ByName();

  @Option(
      names = "--identity",
      required = true,
      paramLabel = "ID",
      description = "A user-assigned identity's resource id, or a principal id.")
  String identity;

  @Option(
      names = "--repository",
      required = true,
      paramLabel = "REPOSITORY",
      description = "Repository name.")
  String repository;

  @Option(
      names = "--action",
      defaultValue = "pull",
      paramLabel = "pull|push",
      description = "The access to ask about (default: pull).")
  String action;

  @Option(
      names = "--source-address",
      paramLabel = "IP",
      description = "The address the request would come from (judged by network rules).")
  String sourceAddress;

  @Option(
      names = "--audience",
      defaultValue = "arm",
      paramLabel = "arm|registry",
      description =
          "The identity's token audience: arm (as Container Apps pulls, the default) or registry.")
  String audience;

  AcrCheckAccessCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() {
    Session session = session();
    ObjectNode body = JSON.createObjectNode();
    body.put("identity", identity);
    body.put("repository", repository);
    body.put("action", action);
    body.put("audience", audience);
    if (sourceAddress != null) {
      body.put("sourceAddress", sourceAddress);
    }
    JsonNode answer = session.arm().post(at(registryId(session, registry), "checkAccess"), body);
    print(answer, COLUMNS);
    boolean allowed = answer.path("allowed").asBoolean();
    printErr(
        (allowed ? "Allowed" : "Denied")
            + " by "
            + answer.path("decidedBy").asText()
            + ": "
            + answer.path("rule").asText()
            + (allowed
                ? ""
                : " (" + answer.path("status").asInt() + " " + answer.path("code").asText() + ")"));
    return allowed ? 0 : DENIED;
  }
}
