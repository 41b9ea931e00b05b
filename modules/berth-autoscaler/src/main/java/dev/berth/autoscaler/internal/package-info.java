/** The autoscaler's arithmetic over time: the windowed average of observed concurrency. */
package dev.berth.autoscaler.internal;
