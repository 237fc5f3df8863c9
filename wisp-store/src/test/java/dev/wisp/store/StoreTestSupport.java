package dev.wisp.store;

import dev.wisp.common.ManualClock;
import java.nio.file.Path;

/** Opens a store in a test's temp directory with a clock the test moves. */
final class StoreTestSupport {
    static final long T0 = 1_750_000_000_000L;

    private StoreTestSupport() {}

    static TelemetryStore open(Path dir, ManualClock clock) {
        return TelemetryStore.open(dir.resolve("telemetry/wisp.duckdb"), new StoreConfig("256MB", 1, 1_000), clock);
    }
}
