/**
 * Image pulls: {@code ImagePuller} (made by {@code ImagePullers}) pulls an {@code ImageReference}
 * over the OCI distribution API, authenticating as Azure Container Apps does against ACR ({@code
 * RegistryCredential}: a managed identity's token through ACR's exchange, a user name and password,
 * or anonymous), from the environment's outbound address, into a shared cache of unpacked layers,
 * and returns a {@code PulledImage} with its {@code ImageConfig}; a failure is a {@code
 * PullException} whose structured reason the pull diagnosis reads. The reconciler pulls with it;
 * the server builds it (docs/runtime-images.md).
 */
package dev.berth.runtime.image;
