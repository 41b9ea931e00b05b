/**
 * Private to {@code dev.berth.identity}: the pieces of the token service and the managed-identity
 * endpoint that no other module sees — client credentials from Basic authentication or the form
 * (RFC 6749 §2.3.1), form bodies, the OIDC discovery documents, the error bodies of Entra and of
 * the managed-identity endpoint, the choice of identity a managed-identity request names, and the
 * generation and salted hashing of client secrets.
 */
package dev.berth.identity.internal;
