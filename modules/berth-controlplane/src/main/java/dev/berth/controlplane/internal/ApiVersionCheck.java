package dev.berth.controlplane.internal;

import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmErrors;
import dev.berth.api.ArmException;
import java.util.regex.Pattern;

/**
 * Requires {@code api-version}: missing → {@code MissingApiVersionParameter}; not {@code
 * YYYY-MM-DD[-preview…]} → {@code InvalidApiVersionParameter}; well-formed but not served for the
 * route's type → {@code NoRegisteredProviderFound} with the supported list; nothing for a route
 * that is not ARM's ({@code /metrics}). Thread-safe.
 *
 * @see <a href="https://github.com/Azure/azure-resource-manager-rpc">ARM RPC: api-version</a>
 */
public final class ApiVersionCheck implements Step {

  private static final Pattern FORMAT =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}(-(preview|alpha|beta|rc|privatepreview))?",
          Pattern.CASE_INSENSITIVE);

  private final String location;

  public ApiVersionCheck(String location) {
    this.location = location;
  }

  @Override
  public void apply(ArmCall call) {
    ArmRoute.ApiVersionRule rule = call.route().apiVersions().apply(call);
    if (rule instanceof ArmRoute.ApiVersionRule.NotRequired) {
      return;
    }
    String version = call.query("api-version").map(String::strip).orElse("");
    if (version.isEmpty()) {
      throw ArmErrors.missingApiVersion();
    }
    if (!FORMAT.matcher(version).matches()) {
      throw ArmErrors.invalidApiVersion(version);
    }
    switch (rule) {
      case ArmRoute.ApiVersionRule.Any any -> {}
      case ArmRoute.ApiVersionRule.OneOf one -> {
        if (one.versions().stream().noneMatch(version::equalsIgnoreCase)) {
          String type = one.type().substring(one.type().indexOf('/') + 1);
          throw ArmErrors.noRegisteredProvider(location, version, type, one.versions());
        }
      }
      case ArmRoute.ApiVersionRule.NotRequired none -> {}
      case ArmRoute.ApiVersionRule.UnknownType unknown ->
          throw ArmException.of(
              ArmErrorCode.NoRegisteredProviderFound,
              "The resource type '"
                  + unknown.type()
                  + "' could not be found in the namespace '"
                  + unknown.namespace()
                  + "' for api version '"
                  + version
                  + "'.");
    }
    call.apiVersion(version);
  }
}
