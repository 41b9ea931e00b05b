/**
 * TLS for Berth's listeners and its clients of itself: the local certificate authority made on
 * first start that signs the server certificate for every name Berth answers on ({@code
 * LocalCertificateAuthority}, printed by {@code berth ca}), PEM files read with the JDK alone, the
 * choice of engine ({@code TlsProvider}: BoringSSL through netty-tcnative where its native library
 * loads, the JDK's elsewhere), and client contexts that trust Berth's CA. Used only by the server
 * package (docs/registry.md explains the choice of engine).
 */
package dev.berth.server.tls;
