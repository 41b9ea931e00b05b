/**
 * Private to {@code dev.berth.controlplane.providers.app}: the hooks of environments, container
 * apps and revisions; the checks and defaults of a container app body (template, configuration,
 * secrets sealed at rest, identity, environment, limits, links, image references) with ACA's error
 * codes; the making of revisions when the template changes and the long-running wait for them; the
 * log-stream route; {@code getAuthToken}, its stream tokens and the event and log streams az reads;
 * the environments' Log Analytics configuration check; and a test implementation of {@code
 * OutboundAddresses} (docs/provider-app.md).
 */
package dev.berth.controlplane.providers.app.internal;
