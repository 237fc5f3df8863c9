package dev.wisp.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One {@link FunctionSeries} per function that is sending samples. A function whose samples have
 * stopped for {@code staleAfter} (deleted, or its pool gone) loses its gauges, so deleted functions
 * do not stay in the scrape, or in memory, for the life of the server.
 */
final class FunctionGauges {
    private record Key(String tenant, String function) {}

    private final MeterRegistry registry;
    private final InstantSource clock;
    private final long staleAfterMillis;
    private final Map<Key, FunctionSeries> series = new HashMap<>();

    FunctionGauges(MeterRegistry registry, InstantSource clock, Duration staleAfter) {
        this.registry = registry;
        this.clock = clock;
        this.staleAfterMillis = staleAfter.toMillis();
    }

    /** Applies a sample under the lock, so an expiry cannot remove the series halfway through. */
    synchronized void update(String tenant, String function, Consumer<FunctionSeries> change) {
        if (tenant == null || function == null) return;
        FunctionSeries s = series.computeIfAbsent(new Key(tenant, function), k -> new FunctionSeries(registry, k.tenant, k.function));
        s.seen(clock.millis());
        change.accept(s);
    }

    synchronized void expire() {
        long cutoff = clock.millis() - staleAfterMillis;
        series.values().removeIf(s -> {
            if (s.lastSeenMillis() >= cutoff) return false;
            s.unregister(registry);
            return true;
        });
    }

    synchronized int size() {
        return series.size();
    }
}
