package dev.berth.server;

import dev.berth.server.StormRegistryClient.Image;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a crash storm's clients were told succeeded: each restart must still show all of it. Only a
 * write whose success status reached the client goes in; one in flight at the kill may or may not
 * have happened, and is not checked. Thread-safe.
 */
final class StormLedger {

  /** Resource group id → the tag value its acknowledged PUT wrote. */
  final Map<String, Integer> groups = new ConcurrentHashMap<>();

  /** Identity id → the id of the group it lives in. */
  final Map<String, String> identities = new ConcurrentHashMap<>();

  /** Registry id → the highest tag value an acknowledged PATCH wrote (writers only go up). */
  final Map<String, Integer> registryTags = new ConcurrentHashMap<>();

  /**
   * Groups a DELETE was sent for, acknowledged or not: a kill may come after Berth accepted the
   * delete and before its 202 reached the client, and the next Berth then finishes it. Such a group
   * may be there or gone; one in {@link #deletedGroups} must be gone.
   */
  final Set<String> deleteSent = ConcurrentHashMap.newKeySet();

  /** Groups whose DELETE was acknowledged (202): they must end up gone. */
  final Set<String> deletedGroups = ConcurrentHashMap.newKeySet();

  /** Status paths of every acknowledged long-running operation: each must end Succeeded. */
  final Set<String> operations = ConcurrentHashMap.newKeySet();

  /** {@code repo:tag} → the image its acknowledged manifest PUT stored. */
  final Map<String, Image> images = new ConcurrentHashMap<>();

  /**
   * Repositories a delete was sent for, acknowledged or not: after a kill before the 202 arrived,
   * their images may be gone, or still there and whole.
   */
  final Set<String> repositoryDeleteSent = ConcurrentHashMap.newKeySet();

  /** Repositories whose delete was acknowledged: their images must be gone. */
  final Set<String> deletedRepositories = ConcurrentHashMap.newKeySet();

  final AtomicInteger armWrites = new AtomicInteger();
  final AtomicInteger pushes = new AtomicInteger();
}
