/**
 * The telemetry store: the four telemetry streams in an embedded DuckDB file, appended in batches
 * off the bus ({@link dev.wisp.store.TelemetryStore}) and read by tenant-scoped queries
 * ({@link dev.wisp.store.TelemetryQueries}). DuckDB is columnar, so the dashboards' scans and
 * aggregations over millions of rows stay fast, and its Appender ingests far faster than row inserts.
 */
package dev.wisp.store;
