package dev.wisp.store;

/**
 * How the store uses the machine.
 *
 * @param memoryLimit DuckDB's memory limit (e.g. "1GB"); DuckDB's own default, 80% of RAM, is
 *                    too greedy next to the instances it shares the host with
 * @param threads     DuckDB worker threads for queries; 0 keeps DuckDB's default (one per core)
 * @param maxPending  items buffered before {@link TelemetryStore#accept} writes without waiting for
 *                    {@link TelemetryStore#flush}: the bus only calls flush once it has caught up,
 *                    which under sustained load may not happen for a long time
 */
public record StoreConfig(String memoryLimit, int threads, int maxPending) {
    public static final StoreConfig DEFAULTS = new StoreConfig("1GB", 0, 16_384);

    public StoreConfig {
        if (memoryLimit == null || !memoryLimit.matches("\\d+(\\.\\d+)?\\s*[KMGT]i?B")) {
            throw new IllegalArgumentException("memoryLimit must look like 512MB or 2GB, not " + memoryLimit);
        }
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0");
        if (maxPending < 1) throw new IllegalArgumentException("maxPending must be >= 1");
    }
}
