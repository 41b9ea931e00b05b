package dev.berth.runtime.runc.internal;

import dev.berth.runtime.image.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container's argv, environment and working directory, from the image configuration and the
 * app's container settings, by Kubernetes' rules: {@code command} replaces the entrypoint (and
 * drops the image's cmd), {@code args} replaces the cmd.
 *
 * @see <a
 *     href="https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/">Kubernetes:
 *     command and args</a>
 */
public record ProcessPlan(List<String> args, List<String> env, String cwd) {

  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /**
   * @throws IllegalArgumentException when neither the image nor the app names a program
   */
  public static ProcessPlan of(
      ImageConfig image,
      List<String> command,
      List<String> args,
      Map<String, String> env,
      String hostname) {
    List<String> argv = new ArrayList<>(command.isEmpty() ? image.entrypoint() : command);
    if (!args.isEmpty()) {
      argv.addAll(args);
    } else if (command.isEmpty()) {
      argv.addAll(image.cmd());
    }
    if (argv.isEmpty()) {
      throw new IllegalArgumentException(
          "nothing to run: the image has no entrypoint or cmd, and the container sets no command");
    }
    Map<String, String> variables = new LinkedHashMap<>();
    for (String entry : image.env()) {
      int equals = entry.indexOf('=');
      if (equals > 0) {
        variables.put(entry.substring(0, equals), entry.substring(equals + 1));
      }
    }
    variables.putIfAbsent("PATH", DEFAULT_PATH);
    variables.put("HOSTNAME", hostname);
    variables.putAll(env);
    List<String> environment = new ArrayList<>();
    variables.forEach((key, value) -> environment.add(key + "=" + value));
    String cwd = image.workingDir().isEmpty() ? "/" : image.workingDir();
    return new ProcessPlan(List.copyOf(argv), List.copyOf(environment), cwd);
  }
}
