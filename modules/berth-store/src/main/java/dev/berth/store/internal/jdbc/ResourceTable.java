package dev.berth.store.internal.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.store.StoredResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code resources} table over one connection: rows to {@link StoredResource}s and back, bodies
 * to JSON text and back; the one statement that differs between databases, the upsert, comes from
 * the {@link Dialect}. Not thread-safe: {@link JdbcResourceStore} calls it with its lock held.
 */
final class ResourceTable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String COLUMNS = "id, body, etag, generation, created_at, updated_at";

  private final Connection db;
  private final Dialect dialect;

  ResourceTable(Connection db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  Optional<StoredResource> select(ResourceId id) throws SQLException {
    List<StoredResource> rows = selectAll("WHERE id_key = ?", id.key());
    return rows.stream().findFirst();
  }

  /** The documents a {@code WHERE … [ORDER BY …] [LIMIT …]} clause selects. */
  List<StoredResource> selectAll(String where, Object... args) throws SQLException {
    try (PreparedStatement statement =
            prepare("SELECT " + COLUMNS + " FROM resources " + where, args);
        ResultSet rs = statement.executeQuery()) {
      List<StoredResource> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(
            new StoredResource(
                ResourceId.parse(rs.getString("id")),
                read(rs.getString("body")),
                rs.getString("etag"),
                rs.getLong("generation"),
                Instant.parse(rs.getString("created_at")),
                Instant.parse(rs.getString("updated_at"))));
      }
      return rows;
    }
  }

  void upsert(StoredResource doc, String json) throws SQLException {
    ResourceId id = doc.id();
    update(
        dialect.upsert(),
        id.key(),
        id.value(),
        id.type().toLowerCase(Locale.ROOT),
        id.parent().map(ResourceId::key).orElse(""),
        json,
        doc.etag(),
        doc.generation(),
        doc.createdAt().toString(),
        doc.updatedAt().toString());
  }

  int update(String sql, Object... args) throws SQLException {
    try (PreparedStatement statement = prepare(sql, args)) {
      return statement.executeUpdate();
    }
  }

  void execute(String sql) throws SQLException {
    try (Statement statement = db.createStatement()) {
      statement.execute(sql);
    }
  }

  private PreparedStatement prepare(String sql, Object... args) throws SQLException {
    PreparedStatement statement = db.prepareStatement(sql);
    try {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      return statement;
    } catch (SQLException e) {
      statement.close();
      throw e;
    }
  }

  static String write(ObjectNode body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("body cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  static ObjectNode read(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node instanceof ObjectNode object) {
        return object;
      }
      throw new IllegalStateException("stored body is not a JSON object: " + json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored body is not JSON: " + e.getMessage(), e);
    }
  }
}
