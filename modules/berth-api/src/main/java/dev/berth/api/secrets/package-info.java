/**
 * Secrets sealed at rest: {@code SecretSealer} seals a value with AES-256-GCM for one {@code
 * SecretSlot} (a document and a field), so that a copy of the database reveals nothing and a value
 * copied elsewhere no longer opens; {@code SealedValueException} says why a value does not open,
 * without the value. The control plane seals what clients send (app secrets, registry admin
 * passwords); the reconciler, the registry's token service and the pull diagnosis open them; the
 * server finds the key and seals what an older Berth stored in clear (docs/security.md).
 */
package dev.berth.api.secrets;
