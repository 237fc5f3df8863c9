package dev.wisp.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * The latest memory reading of each instance of one function. Instance ids stay in here (never in
 * a label) and are forgotten once their readings are older than the freshness window.
 */
final class InstanceMemory {
    private record Reading(long timestamp, long bytes) {}

    private final Map<String, Reading> byInstance = new HashMap<>();

    synchronized void put(String instanceId, long timestamp, long bytes, long freshSince) {
        byInstance.put(Labels.of(instanceId), new Reading(timestamp, bytes));
        byInstance.values().removeIf(r -> r.timestamp < freshSince);
    }

    /** Instances that stopped reporting (evicted, killed) drop out once their reading is stale. */
    synchronized double total(long freshSince) {
        long sum = 0;
        for (Reading r : byInstance.values()) {
            if (r.timestamp >= freshSince) sum += r.bytes;
        }
        return sum;
    }
}
