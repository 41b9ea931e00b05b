package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretValuesTest {

  @TempDir Path dir;

  static SecretArguments stdin(String text) {
    return new SecretArguments(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aValueIsItselfAFileOrStdinWithOneLineBreakDropped() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "from-file\n");
    Path crlf = Files.writeString(dir.resolve("crlf"), "two\nlines\r\n");
    SecretArguments values = stdin("from-stdin\n");

    assertThat(values.resolve("plain", "x")).isEqualTo("plain");
    assertThat(values.resolve("secretref:db", "x")).isEqualTo("secretref:db");
    assertThat(values.resolve(null, "x")).isNull();
    assertThat(values.resolve("@" + file, "x")).isEqualTo("from-file");
    assertThat(values.resolve("@" + crlf, "x")).isEqualTo("two\nlines");
    assertThat(values.resolve("@-", "x")).isEqualTo("from-stdin");
    assertThat(values.resolve("@@starts-with-at", "x")).isEqualTo("@starts-with-at");
  }

  @Test
  void stdinServesOneValueAndErrorsNameTheValueNotItsContent() throws Exception {
    SecretArguments values = stdin("s3cr3t");
    values.resolve("@-", "secret 'a'");

    assertThatThrownBy(() -> values.resolve("@-", "secret 'b'"))
        .isInstanceOf(CliFailure.class)
        .hasMessageContaining("secret 'a' already reads it")
        .hasMessageContaining("secret 'b' as @FILE");
    assertThatThrownBy(() -> values.resolve("@" + dir.resolve("missing"), "--password"))
        .isInstanceOf(CliFailure.class)
        .hasMessageContaining("Cannot read --password from")
        .hasMessageContaining("no such file");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> values.resolve("@" + empty, "--password"))
        .isInstanceOf(CliFailure.class)
        .hasMessageContaining("is empty");
    assertThatThrownBy(() -> stdin("").resolve("@-", "--password"))
        .isInstanceOf(CliFailure.class)
        .hasMessageContaining("read from standard input is empty");
  }
}
