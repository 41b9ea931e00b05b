package dev.berth.controlplane.providers.containerregistry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.Registry;
import dev.berth.controlplane.providers.containerregistry.ImageImports;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the body of {@code POST …/registries/{name}/importImage} ({@code ImportImageParameters}:
 * {@code source {registryUri | resourceId, sourceImage, credentials {username, password}},
 * targetTags, untaggedTargetRepositories, mode}) into a checked {@link ImageImports.Request}, or
 * refuses it with {@code InvalidParameter} naming the field. A {@code resourceId} names one of
 * Berth's own registries, which the caller's function finds. Stateless.
 */
final class ImportImageParameters {

  /** OCI distribution's repository name grammar. */
  private static final Pattern REPOSITORY =
      Pattern.compile(
          "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

  /** A registry's host and optional port: no scheme, path or user information. */
  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\\d{1,5})?");

  static final String REGISTRIES = "Microsoft.ContainerRegistry/registries";

  private ImportImageParameters() {}

  /**
   * @param berthRegistries finds the Berth registry a {@code source.resourceId} names, or throws
   *     the ARM error that says why it cannot be imported from
   */
  static ImageImports.Request parse(
      ObjectNode body, Function<ResourceId, Registry> berthRegistries) {
    JsonNode source = body.path("source");
    if (!source.isObject()) {
      throw invalid("source", "The 'source' property is required.");
    }
    Optional<Registry> berthSource = Optional.empty();
    String uri;
    if (source.hasNonNull("resourceId")) {
      if (source.hasNonNull("registryUri")) {
        throw invalid(
            "source.resourceId",
            "Give either source.resourceId (a registry of this cloud) or source.registryUri (any"
                + " registry's address), not both.");
      }
      berthSource = Optional.of(berthRegistries.apply(registryId(source.path("resourceId"))));
      uri = berthSource.get().loginServer();
    } else {
      uri = text(source, "registryUri", "source.registryUri");
      if (!HOST.matcher(uri).matches()) {
        throw invalid(
            "source.registryUri",
            "The source registry '" + uri + "' must be a host name with an optional port.");
      }
    }
    String image = text(source, "sourceImage", "source.sourceImage");
    String repository;
    String reference;
    int at = image.indexOf('@');
    int colon = image.lastIndexOf(':');
    if (at >= 0) {
      repository = image.substring(0, at);
      reference = image.substring(at + 1);
      if (!DIGEST.matcher(reference).matches()) {
        throw invalid("source.sourceImage", "The digest of '" + image + "' is not sha256:<hex>.");
      }
    } else if (colon > image.lastIndexOf('/')) {
      repository = image.substring(0, colon);
      reference = image.substring(colon + 1);
    } else {
      repository = image;
      reference = "latest";
    }
    checkRepository(repository, "source.sourceImage");
    if (at < 0 && !TAG.matcher(reference).matches()) {
      throw invalid("source.sourceImage", "The tag of '" + image + "' is not a valid tag.");
    }
    Optional<ImageImports.Credentials> credentials = Optional.empty();
    JsonNode creds = source.path("credentials");
    if (creds.isObject()) {
      String password = text(creds, "password", "source.credentials.password");
      credentials =
          Optional.of(new ImageImports.Credentials(creds.path("username").asText(""), password));
    }
    List<ImageImports.TargetTag> tags = new ArrayList<>();
    for (String t : strings(body, "targetTags")) {
      int c = t.lastIndexOf(':');
      String repo = c > 0 ? t.substring(0, c) : t;
      String tag = c > 0 ? t.substring(c + 1) : "latest";
      checkRepository(repo, "targetTags");
      if (!TAG.matcher(tag).matches()) {
        throw invalid("targetTags", "The target tag '" + t + "' is not a valid tag.");
      }
      tags.add(new ImageImports.TargetTag(repo, tag));
    }
    List<String> untagged = strings(body, "untaggedTargetRepositories");
    untagged.forEach(r -> checkRepository(r, "untaggedTargetRepositories"));
    if (tags.isEmpty() && untagged.isEmpty()) {
      if (at >= 0) {
        throw invalid(
            "targetTags", "An import by digest needs targetTags or untaggedTargetRepositories.");
      }
      tags.add(new ImageImports.TargetTag(repository, reference));
    }
    String mode = body.path("mode").asText("NoForce");
    if (!mode.equalsIgnoreCase("NoForce") && !mode.equalsIgnoreCase("Force")) {
      throw invalid("mode", "The mode must be NoForce or Force, not '" + mode + "'.");
    }
    return new ImageImports.Request(
        uri.toLowerCase(Locale.ROOT),
        repository,
        reference,
        credentials,
        tags,
        untagged,
        mode.equalsIgnoreCase("Force"),
        berthSource);
  }

  /** {@code source.resourceId}: a registry's ARM id, as az sends for a registry it found. */
  static ResourceId registryId(JsonNode value) {
    Optional<ResourceId> id =
        value.isTextual() ? ResourceId.tryParse(value.asText().strip()) : Optional.empty();
    if (id.isEmpty() || !id.get().type().equalsIgnoreCase(REGISTRIES)) {
      throw invalid(
          "source.resourceId",
          "The source.resourceId '"
              + value.asText()
              + "' is not the id of a container registry (/subscriptions/…/resourceGroups/…"
              + "/providers/Microsoft.ContainerRegistry/registries/<name>).");
    }
    return id.get();
  }

  private static void checkRepository(String name, String field) {
    if (name.length() > 256 || !REPOSITORY.matcher(name).matches()) {
      throw invalid(field, "The repository name '" + name + "' is not valid.");
    }
  }

  private static String text(JsonNode parent, String name, String field) {
    JsonNode v = parent.path(name);
    if (!v.isTextual() || v.asText().isBlank()) {
      throw invalid(field, "The '" + field + "' property is required.");
    }
    return v.asText().strip();
  }

  private static List<String> strings(JsonNode body, String name) {
    JsonNode v = body.path(name);
    List<String> out = new ArrayList<>();
    if (v.isMissingNode() || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw invalid(name, "The '" + name + "' property must be an array of strings.");
    }
    for (JsonNode e : v) {
      if (!e.isTextual() || e.asText().isBlank()) {
        throw invalid(name, "The '" + name + "' property must be an array of strings.");
      }
      out.add(e.asText().strip());
    }
    return out;
  }

  private static ArmException invalid(String target, String message) {
    return ArmException.of(ArmErrorCode.InvalidParameter, message).withTarget(target);
  }
}
