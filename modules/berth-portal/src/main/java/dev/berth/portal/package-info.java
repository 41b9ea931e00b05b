/**
 * The web portal: server-rendered pages (jte templates, htmx) at {@code /portal} on the management
 * port. Every page reads and acts through Berth's REST API with the signed-in person's own token,
 * so RBAC applies to the portal exactly as to the CLI. {@link dev.berth.portal.Portal} is the
 * entry; pages, sessions and assets live in {@code internal}. See docs/portal.md.
 */
package dev.berth.portal;
