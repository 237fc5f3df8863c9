package dev.wisp.controller;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mitigations in force, consulted by the {@link Dispatcher} on every invocation: source keys
 * blocked from a function, and concurrency caps on functions. Every entry expires by itself, so a
 * mitigation whose undo never comes (its incident never closed) cannot outlive its time.
 */
public final class MitigationGuard {
    private record Until<T>(T value, long untilMillis) {}

    private final Map<String, Until<Boolean>> blocked = new ConcurrentHashMap<>();
    private final Map<String, Until<Integer>> caps = new ConcurrentHashMap<>();

    private static String fn(String tenant, String function) { return tenant + "/" + function; }

    private static String source(String tenant, String function, String sourceId) {
        return fn(tenant, function) + "/" + sourceId;
    }

    public void block(String tenant, String function, String sourceId, long untilMillis) {
        blocked.put(source(tenant, function, sourceId), new Until<>(true, untilMillis));
    }

    public void unblock(String tenant, String function, String sourceId) {
        blocked.remove(source(tenant, function, sourceId));
    }

    /** Cheap when nothing is blocked: the invoke path asks on every call. */
    public boolean isBlocked(String tenant, String function, String sourceId, long nowMillis) {
        if (blocked.isEmpty() || sourceId == null) return false;
        return live(blocked, source(tenant, function, sourceId), nowMillis) != null;
    }

    public void cap(String tenant, String function, int maxConcurrent, long untilMillis) {
        caps.put(fn(tenant, function), new Until<>(Math.max(1, maxConcurrent), untilMillis));
    }

    public void uncap(String tenant, String function) {
        caps.remove(fn(tenant, function));
    }

    /** The function's concurrency cap, or null when it has none. */
    public Integer capOf(String tenant, String function, long nowMillis) {
        if (caps.isEmpty()) return null;
        return live(caps, fn(tenant, function), nowMillis);
    }

    /** The entry's value while it is in force; an expired entry is removed on the way. */
    private static <T> T live(Map<String, Until<T>> entries, String key, long nowMillis) {
        Until<T> u = entries.get(key);
        if (u == null) return null;
        if (u.untilMillis() <= nowMillis) {
            entries.remove(key, u);
            return null;
        }
        return u.value();
    }
}
