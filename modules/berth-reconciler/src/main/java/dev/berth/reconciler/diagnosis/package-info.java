/**
 * The pull diagnosis: {@code PullDiagnosis} explains a failed image pull ({@code FailedPull}) the
 * way a person would after checking by hand, reading the app, the registry, the identities, the
 * role assignments and the environment from the store, and returns a {@code Diagnosis} of {@code
 * Finding}s, each with the Berth CLI command that fixes it. It judges with the registry's own rules
 * ({@code dev.berth.api.acr}) and, through two ports the server fills with the registry module's
 * code, the registry's pull decision ({@code PullPermissions}) and its tags ({@code
 * RegistryCatalog}). The reconciler calls it when a pull fails and appends the text to the
 * revision's error (docs/pull-diagnosis.md).
 */
package dev.berth.reconciler.diagnosis;
