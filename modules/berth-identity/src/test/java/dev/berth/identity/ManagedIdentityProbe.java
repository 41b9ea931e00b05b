package dev.berth.identity;

import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ManagedIdentityCredentialBuilder;

/**
 * The replica side of {@link ManagedIdentityCredentialIT}: a main run in a child JVM whose
 * environment holds {@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER}, as a container's does.
 * Each argument {@code <clientId or ->|<scope>} asks azure-identity's real {@code
 * ManagedIdentityCredential} for one token; each answer is one stdout line, {@code OK <token>} or
 * {@code ERR <messages of the exception and its causes>}.
 */
public final class ManagedIdentityProbe {

  private ManagedIdentityProbe() {}

  public static void main(String[] args) {
    for (String arg : args) {
      int bar = arg.indexOf('|');
      String clientId = arg.substring(0, bar);
      String scope = arg.substring(bar + 1);
      ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder();
      if (!clientId.equals("-")) {
        builder.clientId(clientId);
      }
      try {
        String token =
            builder.build().getTokenSync(new TokenRequestContext().addScopes(scope)).getToken();
        System.out.println("OK " + token);
      } catch (RuntimeException e) {
        // azure-identity wraps MSAL's exception, which carries the endpoint's description.
        StringBuilder messages = new StringBuilder("ERR");
        for (Throwable t = e; t != null; t = t.getCause()) {
          messages.append(' ').append(t.getMessage());
        }
        System.out.println(messages.toString().replace('\n', ' '));
      }
    }
    System.out.flush();
    // Reactor and MSAL leave non-daemon threads behind.
    System.exit(0);
  }
}
