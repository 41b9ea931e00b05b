/**
 * Private to the store's drivers ({@code dev.berth.store} and the packages beneath it), not to be
 * used by other modules: {@code ChangeListeners}, the listeners of one store's {@code watch}, which
 * each driver calls after every write.
 */
package dev.berth.store.internal;
