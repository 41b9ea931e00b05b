package dev.berth.server;

import dev.berth.runtime.ReplicaExtras.HostEntry;
import java.util.Collection;
import java.util.List;

/**
 * The apps' names in every replica's {@code /etc/hosts}: each host the ingress routes (an app's
 * {@code fqdn}, internal ones included, its revisions' and its labels'), at the bridge's gateway,
 * where the ingress listens for replicas. Container Apps' environments resolve these by DNS; here a
 * replica has no DNS of Berth's, and names under {@code localhost} would otherwise resolve to the
 * replica itself. Stateless.
 */
final class ReplicaAppHosts {

  private ReplicaAppHosts() {}

  /** One line per host, sorted, each naming {@code gateway}. */
  static List<HostEntry> of(Collection<String> hosts, String gateway) {
    return hosts.stream().sorted().map(host -> new HostEntry(gateway, host)).toList();
  }
}
