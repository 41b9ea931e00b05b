package dev.berth.runtime.runc.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.files.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes replica records, one JSON file each, atomically. Thread-safe. */
public final class RecordStore {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final StateLayout layout;

  public RecordStore(StateLayout layout) {
    this.layout = layout;
  }

  public void write(ReplicaRecord record) throws IOException {
    Path file = layout.record(record.name());
    PrivateFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
  }

  public void delete(String name) throws IOException {
    Files.deleteIfExists(layout.record(name));
  }

  /** Every record in the state directory; unreadable files are reported, not skipped silently. */
  public List<ReplicaRecord> readAll() throws IOException {
    List<ReplicaRecord> records = new ArrayList<>();
    if (!Files.isDirectory(layout.records())) {
      return records;
    }
    try (var files = Files.list(layout.records())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        try {
          records.add(JSON.readValue(Files.readAllBytes(file), ReplicaRecord.class));
        } catch (NoSuchFileException e) {
          // Deleted since the listing: a replica torn down meanwhile has no record.
        } catch (IOException e) {
          throw new IOException("replica record " + file + " is unreadable: " + e.getMessage(), e);
        }
      }
    }
    return records;
  }
}
