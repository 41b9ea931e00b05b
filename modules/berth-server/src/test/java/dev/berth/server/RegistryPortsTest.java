package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.distribution.RepositoryMetadata.Tag;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryPortsTest {

  private static final Instant T = Instant.parse("2026-12-07T20:00:00Z");

  @Test
  void tagsComeNewestFirstAndThoseOfOneInstantByName() {
    List<Tag> byName =
        List.of(tag("1.0", T), tag("2.0", T.plusSeconds(60)), tag("a", T), tag("latest", T));

    assertThat(RegistryPorts.newestFirst(byName)).containsExactly("2.0", "1.0", "a", "latest");
  }

  private static Tag tag(String name, Instant updated) {
    return new Tag(name, null, T.minusSeconds(3600), updated);
  }
}
