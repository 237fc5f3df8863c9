package dev.wisp.detect;

import java.util.Locale;

/** The probable kind of an incident. {@link #wireName()} is the label used in results and scenarios. */
public enum IncidentType {
    DOS, DOW, COLD_START_AMPLIFICATION, QUEUEING_COLLAPSE, DEPENDENCY_FAILURE, NOISY_NEIGHBOUR, REGRESSION,
    TRIGGER_ABUSE, RETRY_STORM, UNKNOWN;

    /** Lower case with dashes: "dos", "cold-start-amplification", ... */
    public String wireName() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    @Override public String toString() { return wireName(); }
}
