package dev.berth.controlplane.support;

import dev.berth.api.Principal;
import dev.berth.identity.BuiltInRoles;
import dev.berth.identity.TokenRejectedException;
import dev.berth.identity.TokenVerifier;
import dev.berth.identity.VerifiedToken;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small stand-in for the identity module's token verification (tokens are names), enough to drive
 * the ARM layer in tests. Nothing else is faked: {@link ArmServer} runs the real directory and the
 * real {@code RbacAuthorizer} over role assignments in its store.
 */
public final class Fakes {

  public static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  public static final Principal OWNER = sp("11111111-1111-1111-1111-111111111111", "owner");
  public static final Principal READER = sp("22222222-2222-2222-2222-222222222222", "reader");
  public static final Principal CONTRIBUTOR =
      sp("33333333-3333-3333-3333-333333333333", "contributor");

  /** Authenticated, but holding no role anywhere. */
  public static final Principal NOBODY = sp("77777777-7777-7777-7777-777777777777", "nobody");

  public static final String ACR_PULL = BuiltInRoles.ACR_PULL;
  public static final String OWNER_ROLE = BuiltInRoles.OWNER;
  public static final String READER_ROLE = BuiltInRoles.READER;
  public static final String CONTRIBUTOR_ROLE = BuiltInRoles.CONTRIBUTOR;

  private Fakes() {}

  private static Principal sp(String objectId, String name) {
    return new Principal(
        objectId,
        TENANT,
        "a" + objectId.substring(1),
        Principal.PrincipalType.ServicePrincipal,
        name);
  }

  /**
   * Tokens are names: "owner", "reader", "contributor", "nobody" and those {@link #register}ed;
   * "expired", "wrong-aud", "forged", "ghost" are refused for their reason; a JWT (three
   * dot-separated parts) goes to the real verifier given; anything else is malformed. Thread-safe.
   */
  public static final class Tokens implements TokenVerifier {
    private final Map<String, Principal> byToken = new ConcurrentHashMap<>();
    private final TokenVerifier jwts;

    /**
     * @param jwts verifies real JWTs (build it with {@link #principal} as its principal lookup)
     */
    public Tokens(TokenVerifier jwts) {
      this.jwts = jwts;
      byToken.put("owner", OWNER);
      byToken.put("reader", READER);
      byToken.put("contributor", CONTRIBUTOR);
      byToken.put("nobody", NOBODY);
    }

    /** A principal some name token stands for, by object id. */
    public Optional<Principal> principal(String objectId) {
      return byToken.values().stream()
          .filter(p -> p.objectId().equalsIgnoreCase(objectId))
          .findFirst();
    }

    /** From now on, {@code token} authenticates as {@code principal}. */
    public void register(String token, Principal principal) {
      byToken.put(token, principal);
    }

    @Override
    public VerifiedToken verify(String token, Set<String> audiences) throws TokenRejectedException {
      Principal known = byToken.get(token);
      if (known != null) {
        return new VerifiedToken(
            known, audiences.iterator().next(), Instant.now().plusSeconds(3600));
      }
      if (token.split("\\.", -1).length == 3) {
        return jwts.verify(token, audiences);
      }
      TokenRejectedException.Reason reason =
          switch (token) {
            case "expired" -> TokenRejectedException.Reason.EXPIRED;
            case "wrong-aud" -> TokenRejectedException.Reason.WRONG_AUDIENCE;
            case "forged" -> TokenRejectedException.Reason.BAD_SIGNATURE;
            case "ghost" -> TokenRejectedException.Reason.UNKNOWN_PRINCIPAL;
            default -> TokenRejectedException.Reason.MALFORMED;
          };
      throw new TokenRejectedException(reason, "refused: " + reason);
    }
  }
}
