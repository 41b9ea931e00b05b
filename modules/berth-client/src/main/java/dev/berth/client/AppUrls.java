package dev.berth.client;

/**
 * Where a container app answers, as a person can open it: its {@code fqdn} on Berth's HTTPS
 * ingress, with the port when that is not 443 (ARM's {@code fqdn} never carries one; Berth tells
 * the port in {@code /metadata/endpoints}, docs/ingress.md). Shared by the CLI and the portal so
 * both print the same URL. Stateless.
 */
public final class AppUrls {

  private AppUrls() {}

  /**
   * {@code https://<fqdn>[:<port>]}, without a trailing slash.
   *
   * @param httpsPort the ingress HTTPS port; 443, or 0 and below (unknown or off), add none
   */
  public static String https(String fqdn, int httpsPort) {
    boolean defaultPort = httpsPort == 443 || httpsPort <= 0;
    return "https://" + fqdn + (defaultPort ? "" : ":" + httpsPort);
  }
}
