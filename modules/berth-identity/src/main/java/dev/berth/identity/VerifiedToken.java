package dev.berth.identity;

import dev.berth.api.Principal;
import java.time.Instant;

/** A token that passed {@link TokenVerifier}: who it names, for which audience, until when. */
public record VerifiedToken(Principal principal, String audience, Instant expiresAt) {}
