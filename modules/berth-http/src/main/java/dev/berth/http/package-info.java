/**
 * Small blocking helpers over Jetty 12's core {@code Handler} API that the token service, the ARM
 * layer and the registry share: {@code HttpExchange} (one request and its response, for a virtual
 * thread), {@code Router} with {@code Route} and {@code PathPattern} (one route table per API, each
 * row carrying the API's own route record), {@code Json} (the one Jackson configuration), {@code
 * UrlEncoding}, and {@code MalformedRequestException}, which each API answers as a 4xx in its own
 * error envelope. It holds no policy: error envelopes, authentication and access checks stay with
 * the API that owns them (docs/architecture.md).
 */
package dev.berth.http;
