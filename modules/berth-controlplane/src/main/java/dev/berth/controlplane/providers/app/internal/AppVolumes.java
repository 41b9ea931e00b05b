package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.app.Template.Volume;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks {@code template.volumes} and the containers' {@code volumeMounts}, and fills the default
 * {@code storageType} ({@code EmptyDir}). Berth runs the two kinds that need nothing outside the
 * replica: {@code EmptyDir}, a directory for the replica's life, and {@code Secret}, the app's
 * secrets as read-only files. {@code AzureFile} and {@code NfsAzureFile} name an Azure Files share
 * through the environment's storages, which Berth does not have: refused, never stored and ignored.
 * Stateless.
 *
 * @see <a href="https://learn.microsoft.com/azure/container-apps/storage-mounts">Use storage mounts
 *     in Azure Container Apps</a>
 */
final class AppVolumes {

  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
  private static final List<String> KINDS = List.of(Volume.EMPTY_DIR, Volume.SECRET);
  private static final Set<String> AZURE_FILES = Set.of("azurefile", "nfsazurefile");

  /** Where Berth and the kernel mount their own file systems in every replica. */
  private static final List<String> RESERVED = List.of("/proc", "/sys", "/dev");

  /** What Berth mounts in every replica: its names and the registries' CA folders. */
  private static final List<String> BERTHS =
      List.of("/etc/hosts", "/etc/resolv.conf", "/etc/containers/certs.d", "/etc/docker/certs.d");

  /**
   * Volumes per template and mounts per container: Berth's bound (ACA publishes none). Each secret
   * volume is a mount of its own in every replica.
   */
  static final int MAX_VOLUMES = 32;

  private AppVolumes() {}

  /**
   * Checks {@code template.volumes}.
   *
   * @param secrets the app's secret names
   * @return the volume names
   */
  static Set<String> volumes(ObjectNode template, Set<String> secrets) {
    ArrayNode list = Fields.array(template, "volumes", "properties.template.volumes");
    if (list.size() > MAX_VOLUMES) {
      throw Fields.invalid(
          "template.volumes", "a container app may have at most " + MAX_VOLUMES + " volumes");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String path = "properties.template.volumes[" + i + "]";
      ObjectNode v = Fields.element(list.get(i), path);
      String name = Fields.text(v, "name", path + ".name");
      if (!NAME.matcher(name).matches()) {
        throw Fields.invalid(
            "template.volumes[" + i + "].name",
            "a volume needs a name of 1 to 63 letters, digits, '.', '-' or '_', starting and ending"
                + " with a letter or digit; got '"
                + name
                + "'");
      }
      String field = "template.volumes." + name;
      if (!names.add(name)) {
        throw Fields.invalid(field, "the volume name '" + name + "' is used more than once");
      }
      String type = Fields.text(v, "storageType", path + ".storageType");
      String kind = type.isEmpty() ? Volume.EMPTY_DIR : canonical(type, field);
      v.put("storageType", kind);
      secretFiles(v, kind, field, path, secrets);
    }
    if (list.isEmpty()) {
      template.remove("volumes");
    }
    return names;
  }

  private static String canonical(String type, String field) {
    if (AZURE_FILES.contains(type.toLowerCase(Locale.ROOT))) {
      throw Fields.invalid(
          field + ".storageType",
          "'"
              + type
              + "' mounts an Azure Files share of the environment's storages, which Berth does not"
              + " have; use EmptyDir (a directory for the replica's life) or Secret (the app's"
              + " secrets as files)");
    }
    return KINDS.stream()
        .filter(k -> k.equalsIgnoreCase(type))
        .findFirst()
        .orElseThrow(
            () ->
                Fields.invalid(
                    field + ".storageType",
                    "the storage type '" + type + "' is not one of EmptyDir, Secret"));
  }

  private static void secretFiles(
      ObjectNode v, String kind, String field, String path, Set<String> secrets) {
    ArrayNode files = Fields.array(v, "secrets", path + ".secrets");
    if (!files.isEmpty() && !kind.equals(Volume.SECRET)) {
      throw Fields.invalid(field + ".secrets", "only a Secret volume holds secrets");
    }
    Set<String> paths = new HashSet<>();
    for (int j = 0; j < files.size(); j++) {
      String p = path + ".secrets[" + j + "]";
      ObjectNode s = Fields.element(files.get(j), p);
      String ref = Fields.text(s, "secretRef", p + ".secretRef");
      if (!secrets.contains(ref)) {
        throw Fields.invalid(
            field + ".secrets[" + j + "].secretRef",
            "the secret '" + ref + "' is not defined in configuration.secrets");
      }
      String file = Fields.text(s, "path", p + ".path");
      String name = file.isEmpty() ? ref : file;
      if (name.equals(".")
          || name.equals("..")
          || name.contains("/")
          || name.indexOf('\0') >= 0
          || name.getBytes(StandardCharsets.UTF_8).length > 255) {
        throw Fields.invalid(
            field + ".secrets[" + j + "].path",
            "'" + file + "' must be a file name of at most 255 bytes, without '/'");
      }
      if (!paths.add(name)) {
        throw Fields.invalid(
            field + ".secrets[" + j + "].path", "two secrets would be the file '" + name + "'");
      }
    }
    if (files.isEmpty()) {
      v.remove("secrets");
    }
  }

  /** Checks a container's {@code volumeMounts} against the template's volume names. */
  static void mounts(ObjectNode c, String field, String path, Set<String> volumes) {
    ArrayNode list = Fields.array(c, "volumeMounts", path + ".volumeMounts");
    if (list.size() > MAX_VOLUMES) {
      throw Fields.invalid(
          field + ".volumeMounts",
          "a container may have at most " + MAX_VOLUMES + " volume mounts");
    }
    Set<String> targets = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String p = path + ".volumeMounts[" + i + "]";
      String f = field + ".volumeMounts[" + i + "]";
      ObjectNode m = Fields.element(list.get(i), p);
      String volume = Fields.text(m, "volumeName", p + ".volumeName");
      if (!volumes.contains(volume)) {
        throw Fields.invalid(
            f + ".volumeName", "the volume '" + volume + "' is not defined in template.volumes");
      }
      String target = Fields.text(m, "mountPath", p + ".mountPath");
      if (!target.startsWith("/") || !clean(target.substring(1)) || target.equals("/")) {
        throw Fields.invalid(
            f + ".mountPath",
            "'"
                + target
                + "' must be an absolute path other than '/', without '.', '..' or empty"
                + " segments");
      }
      if (RESERVED.stream().anyMatch(r -> target.equals(r) || target.startsWith(r + "/"))) {
        throw Fields.invalid(
            f + ".mountPath",
            "'" + target + "' is under /proc, /sys or /dev, which the runtime mounts itself");
      }
      if (BERTHS.stream()
          .anyMatch(
              b -> b.equals(target) || b.startsWith(target + "/") || target.startsWith(b + "/"))) {
        throw Fields.invalid(
            f + ".mountPath",
            "'"
                + target
                + "' would cover or enter what Berth mounts in every replica ("
                + String.join(", ", BERTHS)
                + ")");
      }
      if (!targets.add(target)) {
        throw Fields.invalid(f + ".mountPath", "two volume mounts at '" + target + "'");
      }
      String sub = Fields.text(m, "subPath", p + ".subPath");
      if (!sub.isEmpty() && !clean(sub)) {
        throw Fields.invalid(
            f + ".subPath",
            "'" + sub + "' must be a relative path inside the volume, without '.' or '..'");
      }
    }
    if (list.isEmpty()) {
      c.remove("volumeMounts");
    }
  }

  /** A relative path of plain segments: none empty, {@code .} or {@code ..}; no NUL. */
  private static boolean clean(String relative) {
    if (relative.isEmpty() || relative.indexOf('\0') >= 0 || relative.length() > 4096) {
      return false;
    }
    for (String segment : relative.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }
}
