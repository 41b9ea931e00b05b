package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTest {

  @Test
  void tableAlignsColumnsToTheWidestCellAndLeavesMissingValuesBlank() throws Exception {
    var items =
        new ObjectMapper()
            .readTree(
                """
                [{"name":"a","location":"westeurope","properties":{"provisioningState":"Succeeded"}},
                 {"name":"much-longer-name","location":"local"}]
                """);

    String table =
        Output.table(
            items,
            List.of(
                Output.Column.of("Name", "/name"),
                Output.Column.of("Location", "/location"),
                Output.Column.of("State", "/properties/provisioningState")));

    assertThat(table)
        .isEqualTo(
            """
            Name              Location    State
            ----------------  ----------  ---------
            a                 westeurope  Succeeded
            much-longer-name  local
            """);
  }

  @Test
  void aSingleObjectIsOneRow() throws Exception {
    String table =
        Output.table(
            new ObjectMapper().readTree("{\"name\":\"rg\"}"),
            List.of(Output.Column.of("Name", "/name")));
    assertThat(table).isEqualTo("Name\n----\nrg\n");
  }

  @Test
  void jsonIsIndentedLikeAz() throws Exception {
    StringWriter out = new StringWriter();
    Output.print(
        new PrintWriter(out),
        GlobalOptions.OutputFormat.json,
        new ObjectMapper().readTree("[{\"name\":\"rg\",\"tags\":{},\"ids\":[]}]"),
        List.of());
    assertThat(out.toString())
        .isEqualTo(
            """
            [
              {
                "name": "rg",
                "tags": {},
                "ids": []
              }
            ]
            """);
  }
}
