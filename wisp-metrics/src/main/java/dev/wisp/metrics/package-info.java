/**
 * Prometheus metrics for Wisp: telemetry items from the bus become Micrometer meters, and
 * {@link dev.wisp.metrics.WispMetrics#scrape()} renders them in the Prometheus text format.
 * Labels are limited to tenant, function and small closed sets (status, trigger, reason, ...), so
 * the number of series grows with deployed functions, never with requests or instances.
 */
package dev.wisp.metrics;
