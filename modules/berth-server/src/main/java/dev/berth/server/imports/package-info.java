/**
 * ACR's {@code importImage} on the server side: {@code SourceRegistry} reads an image from another
 * registry over the OCI distribution API (with its login, if any), {@code RegistryImageImports}
 * writes it into a Berth registry through the registry's {@code RepositoryWriter}
 * (docs/provider-containerregistry.md, "Imports").
 */
package dev.berth.server.imports;
