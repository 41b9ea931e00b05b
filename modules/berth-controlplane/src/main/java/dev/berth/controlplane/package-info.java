/**
 * The ARM-compatible management API, desired state only: {@code ArmApi} serves every management
 * request through one chain (request ids, route, api-version, authentication, RBAC, body, handler)
 * and answers every failure in ARM's error envelope. Resource providers plug in by describing their
 * types ({@code ResourceType} with its {@code ResourceHooks}, {@code ProviderAction}, {@code
 * ProviderRoute}, {@code LinkedResource}); the generic layer does the rest (CRUD, lists,
 * long-running operations and their recovery after a crash, {@code RecoveryReport}). The server
 * builds {@code ArmApi} from an {@code ArmConfig} and routes to it every request that is neither a
 * registry's nor the token service's (docs/controlplane.md).
 */
package dev.berth.controlplane;
