package dev.berth.runtime.image;

import java.util.List;

/**
 * The parts of an OCI image configuration ({@code config} in the config blob) that decide how a
 * container starts. Empty lists and strings mean "not set".
 */
public record ImageConfig(
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    String workingDir,
    String user,
    List<String> exposedPorts) {

  public ImageConfig {
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = List.copyOf(env);
    exposedPorts = List.copyOf(exposedPorts);
    workingDir = workingDir == null ? "" : workingDir;
    user = user == null ? "" : user;
  }
}
