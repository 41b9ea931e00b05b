/** What {@code az} needs to talk to Berth as a custom cloud: docs/az-setup.md. */
package dev.berth.api.azcli;
