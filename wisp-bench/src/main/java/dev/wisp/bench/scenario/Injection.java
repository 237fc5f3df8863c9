package dev.wisp.bench.scenario;

import java.util.List;
import java.util.Set;

/**
 * A threat or fault with ground truth. The fields after {@code function} belong to some types only
 * and are null where they do not apply; the parser checks that each type has what it needs.
 *
 * @param type  wire name, one of {@link #TYPES}
 * @param label the incident type detection should report
 * @param function the target (for noisy-neighbour: the victim, optional; unused by queueing-collapse)
 */
public record Injection(String id, String type, String label, double startSecond, double durationSeconds,
                        String function, Double ratePerSecond, String source, Integer sources, Repeat repeat,
                        Double burstRatePerSecond, Double burstSeconds, Double idleSeconds, Integer cycles,
                        Double errorRate, Distribution addedLatencyMs, Double cpuMillicores, Distribution execMs,
                        String trigger, Double dispatchCapacityFactor) {

    public static final String DOS_BURST = "dos-burst";
    public static final String DOW = "dow";
    public static final String COLD_START_AMPLIFICATION = "cold-start-amplification";
    public static final String DEPENDENCY_FAILURE = "dependency-failure";
    public static final String NOISY_NEIGHBOUR = "noisy-neighbour";
    public static final String LATENCY_REGRESSION = "latency-regression";
    public static final String TRIGGER_ABUSE = "trigger-abuse";
    public static final String RETRY_STORM = "retry-storm";
    public static final String QUEUEING_COLLAPSE = "queueing-collapse";

    public static final Set<String> TYPES = Set.of(DOS_BURST, DOW, COLD_START_AMPLIFICATION, DEPENDENCY_FAILURE,
            NOISY_NEIGHBOUR, LATENCY_REGRESSION, TRIGGER_ABUSE, RETRY_STORM, QUEUEING_COLLAPSE);

    /** More bursts after the first: {@code count} bursts in all, separated by random gaps (seconds). */
    public record Repeat(int count, Distribution gapSeconds) {}

    /** The type-specific fields each type requires and those it may have (SCHEMA.md's table). */
    record Fields(List<String> required, List<String> optional) {}

    static Fields fieldsOf(String type) {
        return switch (type) {
            case DOS_BURST -> new Fields(List.of("function", "ratePerSecond", "source"), List.of("repeat", "trigger"));
            case DOW -> new Fields(List.of("function", "ratePerSecond", "source"), List.of("sources", "trigger"));
            case COLD_START_AMPLIFICATION -> new Fields(
                    List.of("function", "burstRatePerSecond", "burstSeconds", "idleSeconds", "cycles"), List.of("source", "trigger"));
            case DEPENDENCY_FAILURE -> new Fields(List.of("function", "errorRate", "addedLatencyMs"), List.of());
            case NOISY_NEIGHBOUR -> new Fields(List.of("cpuMillicores"), List.of("function"));
            case LATENCY_REGRESSION -> new Fields(List.of("function", "execMs"), List.of());
            case TRIGGER_ABUSE -> new Fields(List.of("function", "trigger", "source", "ratePerSecond"), List.of());
            case RETRY_STORM -> new Fields(List.of("function", "ratePerSecond", "errorRate"), List.of("source"));
            case QUEUEING_COLLAPSE -> new Fields(List.of("dispatchCapacityFactor"), List.of());
            default -> throw new IllegalArgumentException(type);
        };
    }
}
