/**
 * The {@code Microsoft.App} documents as every module reads them: typed, read-only views of
 * container apps ({@link dev.berth.api.app.ContainerApp}), their revisions ({@link
 * dev.berth.api.app.Revision}) and managed environments over the JSON the store keeps, the revision
 * status vocabulary the reconciler writes and the control plane reads ({@link
 * dev.berth.api.app.RevisionStatus}), and the type names ({@link dev.berth.api.app.AppTypes}).
 * Views take a {@code JsonNode}, never the store; they are lenient (a missing or mistyped field
 * reads as its default), because the control plane has already refused what does not fit
 * (docs/provider-app.md).
 */
package dev.berth.api.app;
