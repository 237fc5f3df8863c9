package dev.wisp.bench.run;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One detector's score on one scenario or on the whole suite (SCHEMA.md, Results). The counts
 * behind the ratios are kept so that a suite's score is the sum of its scenarios', not an average
 * of ratios.
 */
public record DetectorScore(@JsonIgnore int incidents, @JsonIgnore int matchedIncidents, @JsonIgnore int injections,
                            @JsonIgnore int detected, @JsonIgnore int typedRight, @JsonIgnore double delaySum,
                            @JsonIgnore int falseAlarms, @JsonIgnore double benignHours) {
    public static final DetectorScore EMPTY = new DetectorScore(0, 0, 0, 0, 0, 0, 0, 0);

    /** Matched incidents over all incidents; 1 when there were none. */
    public double precision() { return incidents == 0 ? 1.0 : (double) matchedIncidents / incidents; }

    /** Detected injections over injections; 1 when there were none. */
    public double recall() { return injections == 0 ? 1.0 : (double) detected / injections; }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Detected injections reported with their label's type, over detected ones; 1 with nothing to detect. */
    public double typeAccuracy() {
        if (detected == 0) return injections == 0 ? 1.0 : 0.0;
        return (double) typedRight / detected;
    }

    /** Mean seconds from an injection's onset to its incident; null when nothing was detected. */
    public Double meanDelaySeconds() { return detected == 0 ? null : delaySum / detected; }

    public double falseAlarmsPerHour() { return benignHours <= 0 ? 0 : falseAlarms / benignHours; }

    public DetectorScore plus(DetectorScore o) {
        return new DetectorScore(incidents + o.incidents, matchedIncidents + o.matchedIncidents, injections + o.injections,
                detected + o.detected, typedRight + o.typedRight, delaySum + o.delaySum, falseAlarms + o.falseAlarms,
                benignHours + o.benignHours);
    }
}
