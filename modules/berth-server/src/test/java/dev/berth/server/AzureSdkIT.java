package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.Region;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.authorization.AuthorizationManager;
import com.azure.resourcemanager.authorization.models.BuiltInRole;
import com.azure.resourcemanager.authorization.models.RoleAssignment;
import com.azure.resourcemanager.resources.ResourceManager;
import com.azure.resourcemanager.resources.models.ResourceGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real Azure SDK for Java against a running Berth over HTTPS, trusting Berth's CA: log in with
 * {@code ClientSecretCredential}, manage resource groups with azure-resourcemanager-resources and
 * role assignments with azure-resourcemanager-authorization, through a custom AzureEnvironment.
 */
class AzureSdkIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  private static HttpClient http;
  private static TokenCredential credential;
  private static AzureProfile profile;

  @BeforeAll
  static void logIn() throws Exception {
    http = httpTrusting(BERTH.caFile());
    BootstrapInfo b = BERTH.bootstrap();
    credential = ownerCredential(b, http);
    profile = new AzureProfile(b.tenantId(), b.subscriptionId(), berthEnvironment(b));
  }

  /** The SDK's Netty HTTP client, trusting Berth's CA. */
  static HttpClient httpTrusting(Path caFile) throws Exception {
    SslContext trustBerth = SslContextBuilder.forClient().trustManager(caFile.toFile()).build();
    return new NettyAsyncHttpClientBuilder(
            reactor.netty.http.client.HttpClient.create()
                .secure(spec -> spec.sslContext(trustBerth)))
        .build();
  }

  /** The bootstrap Owner, logged in with ClientSecretCredential at Berth's authority. */
  static TokenCredential ownerCredential(BootstrapInfo b, HttpClient http) {
    return new ClientSecretCredentialBuilder()
        .authorityHost(b.authority())
        .tenantId(b.tenantId())
        .clientId(b.clientId())
        .clientSecret(b.clientSecret())
        .httpClient(http)
        .disableInstanceDiscovery()
        .build();
  }

  /**
   * Azure's public cloud endpoints with ARM and Entra pointed at Berth (README.md, "With the Azure
   * SDK for Java").
   */
  static AzureEnvironment berthEnvironment(BootstrapInfo b) {
    Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
    endpoints.put("resourceManagerEndpointUrl", b.managementEndpoint());
    endpoints.put("managementEndpointUrl", b.managementEndpoint());
    endpoints.put("activeDirectoryEndpointUrl", b.authority() + "/");
    endpoints.put("activeDirectoryResourceId", b.managementEndpoint());
    return new AzureEnvironment(endpoints);
  }

  @Test
  void clientSecretCredentialGetsATokenFromBerthsAuthority() {
    var token =
        credential
            .getToken(
                new TokenRequestContext()
                    .addScopes(BERTH.bootstrap().managementEndpoint() + ".default"))
            .block();
    assertThat(token).isNotNull();
    assertThat(token.getToken().split("\\.")).hasSize(3);
    assertThat(token.isExpired()).isFalse();
  }

  @Test
  void resourceGroupsAreCreatedListedAndDeleted() {
    ResourceManager arm =
        ResourceManager.configure()
            .withHttpClient(http)
            .authenticate(credential, profile)
            .withSubscription(profile.getSubscriptionId());

    ResourceGroup created =
        arm.resourceGroups()
            .define("sdk-rg")
            .withRegion(Region.fromName("local"))
            .withTag("team", "a")
            .create();
    assertThat(created.name()).isEqualTo("sdk-rg");
    assertThat(created.tags()).containsEntry("team", "a");
    assertThat(created.provisioningState()).isEqualTo("Succeeded");

    assertThat(arm.resourceGroups().list().stream().map(ResourceGroup::name)).contains("sdk-rg");
    assertThat(arm.resourceGroups().contain("SDK-RG")).isTrue();

    arm.resourceGroups().deleteByName("sdk-rg");
    assertThat(arm.resourceGroups().contain("sdk-rg")).isFalse();
    assertThatThrownBy(() -> arm.resourceGroups().getByName("sdk-rg"))
        .isInstanceOf(ManagementException.class)
        .satisfies(
            e ->
                assertThat(((ManagementException) e).getValue().getCode())
                    .isEqualTo("ResourceGroupNotFound"));
  }

  @Test
  void roleAssignmentsAreCreatedAndListed() {
    ResourceManager arm =
        ResourceManager.configure()
            .withHttpClient(http)
            .authenticate(credential, profile)
            .withSubscription(profile.getSubscriptionId());
    ResourceGroup group =
        arm.resourceGroups().define("sdk-rbac").withRegion(Region.fromName("local")).create();
    AuthorizationManager authz =
        AuthorizationManager.configure().withHttpClient(http).authenticate(credential, profile);
    String principal = UUID.randomUUID().toString();

    RoleAssignment assignment =
        authz
            .roleAssignments()
            .define(UUID.randomUUID().toString())
            .forObjectId(principal)
            .withBuiltInRole(BuiltInRole.READER)
            .withResourceGroupScope(group)
            .create();

    assertThat(assignment.principalId()).isEqualTo(principal);
    assertThat(assignment.roleDefinitionId()).endsWith("acdd72a7-3385-48ef-bd42-f606fba81ae7");
    assertThat(
            authz.roleAssignments().listByScope(group.id()).stream()
                .map(RoleAssignment::principalId))
        .contains(principal);
    assertThat(authz.roleDefinitions().getByScopeAndRoleName(group.id(), "AcrPull").id())
        .endsWith("7f951dda-4ed3-4680-a7ca-43fe172d538d");
  }
}
