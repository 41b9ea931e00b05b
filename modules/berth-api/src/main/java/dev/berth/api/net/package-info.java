/** Network values the registry and the ingress both judge clients by: {@link IpRange}. */
package dev.berth.api.net;
