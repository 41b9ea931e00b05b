/**
 * Owner-only files: {@code PrivateFiles} creates files 0600 and directories 0700 from the first
 * moment, whatever the umask. The store, the registry's blob and metadata storage, the runtime, the
 * reconciler's logs and the server's data directory, keys and lock all write through it
 * (docs/security.md).
 */
package dev.berth.api.files;
