package dev.berth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints command results: pretty JSON, or a table of aligned columns (az's {@code -o table}: a
 * header, a dashed rule, one row per item, two spaces between columns). Stateless, thread-safe.
 */
final class Output {

  /** One table column: its header and the JSON pointer of its value in each item. */
  record Column(String header, String pointer) {
    static Column of(String header, String pointer) {
      return new Column(header, pointer);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Indents like az (Python's {@code json.dumps(indent=2)}): {@code "key": value}, arrays one item
   * per line, {@code []} and {@code {}} when empty.
   */
  private static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEmptySeparator("")
                  .withArrayEmptySeparator(""))
          .withArrayIndenter(new DefaultIndenter("  ", "\n"))
          .withObjectIndenter(new DefaultIndenter("  ", "\n"));

  private Output() {}

  static void print(
      PrintWriter out, GlobalOptions.OutputFormat format, JsonNode result, List<Column> columns) {
    if (result == null || result.isMissingNode() || format == GlobalOptions.OutputFormat.none) {
      return;
    }
    if (format == GlobalOptions.OutputFormat.table) {
      out.print(table(result, columns));
    } else {
      try {
        out.println(JSON.writer(PRETTY).writeValueAsString(result));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    out.flush();
  }

  static String table(JsonNode result, List<Column> columns) {
    List<JsonNode> items = new ArrayList<>();
    if (result.isArray()) {
      result.forEach(items::add);
    } else {
      items.add(result);
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(columns.stream().map(Column::header).toList());
    for (JsonNode item : items) {
      rows.add(columns.stream().map(c -> text(item.at(c.pointer()))).toList());
    }
    int[] widths = new int[columns.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    List<String> rule = new ArrayList<>();
    for (int width : widths) {
      rule.add("-".repeat(width));
    }
    rows.add(1, rule);
    StringBuilder sb = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        if (i > 0) {
          line.append("  ");
        }
        line.append(row.get(i)).append(" ".repeat(widths[i] - row.get(i).length()));
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  private static String text(JsonNode value) {
    if (value.isMissingNode() || value.isNull()) {
      return "";
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }
}
