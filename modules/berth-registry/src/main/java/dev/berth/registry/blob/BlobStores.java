package dev.berth.registry.blob;

import dev.berth.registry.blob.internal.AzureBlobStore;
import dev.berth.registry.blob.internal.FileSystemBlobStore;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Opens a {@link BlobStore} driver by the scheme of a location, like distribution's storage driver
 * factory: {@code file:/abs/dir} is the filesystem driver; {@code azure-blob:<container URL>} an
 * Azure Blob Storage container ({@code azure-blob:https://<account>.blob.core.windows.net/berth},
 * or Azurite's {@code azure-blob:http://127.0.0.1:10000/devstoreaccount1/berth}) with the account
 * key from {@code AZURE_STORAGE_KEY}, as az's storage commands take it. Thread-safe.
 */
public final class BlobStores {

  /** The scheme of an Azure Blob Storage container's location. */
  public static final String AZURE_BLOB = "azure-blob";

  /** Where the Azure driver reads the storage account's key. */
  public static final String AZURE_STORAGE_KEY = "AZURE_STORAGE_KEY";

  /** Uploads idle longer than this are purged unless the caller says otherwise. */
  public static final Duration DEFAULT_UPLOAD_TTL = Duration.ofHours(24);

  private BlobStores() {}

  public static BlobStore open(String location) throws IOException {
    return open(location, DEFAULT_UPLOAD_TTL);
  }

  /**
   * @throws IllegalArgumentException for a scheme no driver serves
   */
  public static BlobStore open(String location, Duration uploadTtl) throws IOException {
    return open(location, uploadTtl, System.getenv());
  }

  /**
   * @param environment where a driver finds its credentials ({@code AZURE_STORAGE_KEY})
   * @throws IllegalArgumentException for a scheme no driver serves, or a credential missing
   */
  public static BlobStore open(String location, Duration uploadTtl, Map<String, String> environment)
      throws IOException {
    validate(location, environment);
    URI uri = URI.create(location);
    return switch (uri.getScheme()) {
      case AZURE_BLOB ->
          AzureBlobStore.open(
              uri.getRawSchemeSpecificPart(), environment.get(AZURE_STORAGE_KEY), uploadTtl);
      default -> FileSystemBlobStore.open(Path.of(uri), uploadTtl);
    };
  }

  /**
   * A location as it is recorded and compared: an {@code azure-blob:} container URL without the
   * trailing slashes a copied URL may carry; anything else as given.
   */
  public static String normalize(String location) {
    String l = location.strip();
    if (l.startsWith(AZURE_BLOB + ":")) {
      while (l.endsWith("/")) {
        l = l.substring(0, l.length() - 1);
      }
    }
    return l;
  }

  /**
   * Checks a location without opening it: a driver serves its scheme, and the credential it needs
   * is in {@code environment}.
   *
   * @throws IllegalArgumentException saying what is wrong; never repeating a credential
   */
  public static void validate(String location, Map<String, String> environment) {
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a blob store location: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    switch (scheme) {
      case "file" -> {
        if (uri.isOpaque() || uri.getPath() == null) {
          throw new IllegalArgumentException(
              "a file: blob store needs an absolute path: " + location);
        }
      }
      case AZURE_BLOB -> {
        String container = uri.getRawSchemeSpecificPart();
        if (container.contains("?")) {
          // Not repeated: a query here is most likely a SAS token, which is a credential.
          throw new IllegalArgumentException(
              "an azure-blob: location takes no query (a SAS token would show in ps and logs);"
                  + " give the storage account's key in "
                  + AZURE_STORAGE_KEY);
        }
        if (!container.startsWith("https://") && !container.startsWith("http://")) {
          throw new IllegalArgumentException(
              "an azure-blob: location is the container's URL after the scheme, as"
                  + " azure-blob:https://<account>.blob.core.windows.net/<container>: "
                  + location);
        }
        AzureBlobStore.validate(container);
        String key = environment.get(AZURE_STORAGE_KEY);
        if (key == null || key.isBlank()) {
          throw new IllegalArgumentException(
              "the blob store "
                  + location
                  + " needs the storage account's key in "
                  + AZURE_STORAGE_KEY);
        }
      }
      default ->
          throw new IllegalArgumentException(
              "no blob store driver for "
                  + location
                  + " (file:/DIR, or azure-blob:https://<account>.blob.core.windows.net/<container>)");
    }
  }
}
