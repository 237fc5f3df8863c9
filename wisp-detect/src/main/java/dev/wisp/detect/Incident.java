package dev.wisp.detect;

import java.util.List;

/**
 * An incident: fused signals about one tenant and function ({@code function} null = platform-wide).
 * A snapshot: the engine replaces it with a new record (same id) as the incident evolves.
 *
 * @param closedAt 0 while open
 * @param severity 0..1, how bad the impact looks
 * @param confidence 0..1, how sure detection is that something is wrong
 */
public record Incident(String id, IncidentType type, String tenant, String function, long openedAt, long closedAt,
                       double severity, double confidence, List<Signal> signals, List<String> topSources,
                       List<String> triggers, String explanation) {
    public Incident {
        signals = signals == null ? List.of() : List.copyOf(signals);
        topSources = topSources == null ? List.of() : List.copyOf(topSources);
        triggers = triggers == null ? List.of() : List.copyOf(triggers);
    }

    public boolean open() { return closedAt == 0; }
}
