package dev.berth.controlplane.internal;

import java.util.List;

/**
 * The api-versions the built-in namespaces accept: every version the Azure SDKs and {@code az}
 * releases in use send (for example {@code az} 2.45 sends 2019-11-01 for subscriptions, 2021-04-01
 * for groups, 2018-01-01-preview for role definitions and 2020-04-01-preview for assignments).
 */
final class ApiVersions {

  private ApiVersions() {}

  static final List<String> RESOURCES =
      List.of(
          "2015-01-01",
          "2015-11-01",
          "2016-02-01",
          "2016-06-01",
          "2016-07-01",
          "2016-09-01",
          "2017-05-10",
          "2018-02-01",
          "2018-05-01",
          "2019-03-01",
          "2019-05-01",
          "2019-05-10",
          "2019-06-01",
          "2019-07-01",
          "2019-08-01",
          "2019-10-01",
          "2019-11-01",
          "2020-01-01",
          "2020-06-01",
          "2020-08-01",
          "2020-10-01",
          "2021-01-01",
          "2021-04-01",
          "2022-01-01",
          "2022-09-01",
          "2022-12-01",
          "2023-07-01",
          "2024-03-01",
          "2024-07-01",
          "2024-11-01",
          "2025-03-01",
          "2025-04-01");

  static final List<String> AUTHORIZATION =
      List.of(
          "2015-07-01",
          "2018-01-01-preview",
          "2018-07-01",
          "2018-09-01-preview",
          "2020-03-01-preview",
          "2020-04-01-preview",
          "2020-08-01-preview",
          "2020-10-01-preview",
          "2022-01-01-preview",
          "2022-04-01",
          "2022-05-01-preview");

  static final List<String> BERTH_IDENTITY = List.of("2025-01-01");
}
