package dev.wisp.metrics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Keeps label values that come from outside the platform (a function's own error type) from
 * creating unbounded series: each scope keeps its first {@code maxPerScope} values and maps any
 * further value to {@code other}.
 */
final class LabelGuard {
    static final String OTHER = "other";
    private static final int MAX_LENGTH = 64;

    private final int maxPerScope;
    private final Map<String, Set<String>> seen = new HashMap<>();

    LabelGuard(int maxPerScope) {
        this.maxPerScope = maxPerScope;
    }

    synchronized String bound(String scope, String value) {
        String v = Labels.of(value);
        if (v.length() > MAX_LENGTH) v = v.substring(0, MAX_LENGTH);
        Set<String> values = seen.computeIfAbsent(scope, k -> new HashSet<>());
        if (values.contains(v)) return v;
        if (values.size() >= maxPerScope) return OTHER;
        values.add(v);
        return v;
    }
}
