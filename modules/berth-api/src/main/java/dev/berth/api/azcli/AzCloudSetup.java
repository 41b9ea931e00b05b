package dev.berth.api.azcli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The complete set-up of Debian's {@code az} (2.45) for one Berth: the environment (CA bundle,
 * telemetry and the other calls home off), {@code az cloud register} with every endpoint and suffix
 * az reads, and the service principal's login. One source for {@code berth az-setup} and the banner
 * of {@code berth up}. Immutable and thread-safe.
 *
 * @param managementEndpoint ARM, such as {@code https://127.0.0.1:8443/}
 * @param authority the token service, without {@code /adfs}
 * @param graphEndpoint what az calls Microsoft Graph (Berth answers nothing there; az needs a
 *     value)
 * @param acrSuffix the cloud's {@code acr_login_server_endpoint}: every {@code az acr} command that
 *     takes {@code -n}/{@code -r} refuses to run without it
 * @param bootstrapFile the file holding the service principal's secret, read at login time so the
 *     secret is never printed nor put on a command line
 * @see <a href="https://learn.microsoft.com/cli/azure/manage-clouds-azure-cli">az cloud</a>
 */
public record AzCloudSetup(
    String cloudName,
    String managementEndpoint,
    String authority,
    String graphEndpoint,
    String acrSuffix,
    String tenantId,
    String clientId,
    Path bootstrapFile,
    Path caFile) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The environment az needs in every shell that runs it: the CA bundle (az uses {@code requests},
   * which reads it, and has no plain-HTTP mode) and no calls to Microsoft's hosts.
   */
  public Map<String, String> environment() {
    return Map.of(
        "REQUESTS_CA_BUNDLE", caFile.toString(),
        "AZURE_CORE_COLLECT_TELEMETRY", "false",
        "AZURE_CORE_ERROR_RECOMMENDATION", "off",
        "AZURE_CORE_SURVEY_MESSAGE", "false",
        "AZURE_EXTENSION_USE_DYNAMIC_INSTALL", "no");
  }

  /**
   * The cloud as {@code --cloud-config} JSON. ADFS mode ({@code /adfs} authority): MSAL then asks
   * Berth alone, never login.microsoftonline.com. {@code microsoftGraphResourceId} and the ACR
   * suffix can only be set this way in az 2.45 (the flags miss the one, the metadata mapping the
   * other).
   */
  public String cloudConfig() {
    String arm = slash(managementEndpoint);
    ObjectNode c = JSON.createObjectNode();
    c.putObject("endpoints")
        .put("resourceManager", arm)
        .put("management", arm)
        .put("activeDirectory", authority.replaceAll("/+$", "") + "/adfs")
        .put("activeDirectoryResourceId", arm)
        .put("activeDirectoryGraphResourceId", slash(graphEndpoint))
        .put("microsoftGraphResourceId", slash(graphEndpoint));
    c.putObject("suffixes").put("acrLoginServerEndpoint", acrSuffix);
    return c.toString();
  }

  /** The az commands, in order, each as its arguments (the login reads the secret from stdin). */
  public List<List<String>> commands() {
    List<List<String>> out = new ArrayList<>();
    out.add(List.of("az", "cloud", "register", "-n", cloudName, "--cloud-config", cloudConfig()));
    out.add(List.of("az", "cloud", "set", "-n", cloudName));
    out.add(
        List.of(
            "az",
            "login",
            "--service-principal",
            "-u",
            clientId,
            "--tenant",
            tenantId,
            "-p",
            "@-"));
    return out;
  }

  /** The same as a shell script: {@code eval "$(berth az-setup)"} applies it to this shell. */
  public String script() {
    StringBuilder s = new StringBuilder();
    s.append("# az set-up for Berth at ").append(managementEndpoint).append('\n');
    environment().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                s.append("export ")
                    .append(e.getKey())
                    .append('=')
                    .append(quote(e.getValue()))
                    .append('\n'));
    List<String> register = commands().get(0);
    // An existing cloud of that name is updated (register refuses a name it knows).
    s.append(shell(register))
        .append(" 2>/dev/null || ")
        .append(
            shell(
                List.of("az", "cloud", "update", "-n", cloudName, "--cloud-config", cloudConfig())))
        .append('\n');
    s.append(shell(commands().get(1))).append('\n');
    s.append("python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[\"clientSecret\"])' ")
        .append(quote(bootstrapFile.toString()))
        .append(" | ")
        .append(shell(commands().get(2)))
        .append('\n');
    return s.toString();
  }

  private static String shell(List<String> args) {
    List<String> quoted = new ArrayList<>();
    for (String a : args) {
      quoted.add(a.matches("[A-Za-z0-9@%+=:,./_-]+") ? a : quote(a));
    }
    return String.join(" ", quoted);
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static String slash(String url) {
    return url.endsWith("/") ? url : url + "/";
  }
}
