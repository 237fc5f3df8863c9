package dev.wisp.bench.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores one detector's alerts against a scenario's ground truth, as SCHEMA.md defines it. An
 * alert matches an injection when it is about the injection's target and opens between the
 * injection's start and the end of its aftermath (as long again as the injection lasted, at least
 * {@code maxDelaySeconds}); an injection is detected when a matching alert opens by its end plus
 * {@code maxDelaySeconds}. Alerts matching nothing are false alarms.
 */
public final class Scorer {
    private final List<Truth> injections;
    private final List<Truth> benign;
    private final long scoredStart;
    private final long scoredEnd;
    private final long maxDelayMillis;

    /** What became of one injection. */
    public record InjectionOutcome(String id, String label, boolean detected, Double delaySeconds, String incidentType,
                                   String incidentId) {}

    /** An alert with the injection it matched (null: a false alarm). */
    public record ScoredAlert(Alert alert, String matched) {}

    /** The whole verdict for one detector. */
    public record Verdict(DetectorScore score, List<InjectionOutcome> injections, List<ScoredAlert> alerts,
                          Map<String, Boolean> benignAlerted) {}

    public Scorer(List<Truth> injections, List<Truth> benign, long scoredStart, long scoredEnd, double maxDelaySeconds) {
        this.injections = injections.stream().sorted(Comparator.comparingLong(Truth::start)).toList();
        this.benign = benign;
        this.scoredStart = scoredStart;
        this.scoredEnd = scoredEnd;
        this.maxDelayMillis = Math.round(maxDelaySeconds * 1000);
    }

    public Verdict score(List<Alert> all) {
        List<Alert> alerts = all.stream().filter(a -> a.openedAt() >= scoredStart && a.openedAt() <= scoredEnd)
                .sorted(Comparator.comparingLong(Alert::openedAt)).toList();
        List<ScoredAlert> scored = new ArrayList<>();
        Map<String, Alert> firstDetection = new LinkedHashMap<>();
        int matched = 0;
        for (Alert a : alerts) {
            Truth t = match(a);
            scored.add(new ScoredAlert(a, t == null ? null : t.id()));
            if (t == null) continue;
            matched++;
            if (a.openedAt() <= t.end() + maxDelayMillis) firstDetection.putIfAbsent(t.id(), a);
        }
        List<InjectionOutcome> outcomes = new ArrayList<>();
        int typedRight = 0;
        double delaySum = 0;
        for (Truth t : injections) {
            Alert a = firstDetection.get(t.id());
            if (a == null) {
                outcomes.add(new InjectionOutcome(t.id(), t.label(), false, null, null, null));
                continue;
            }
            double delay = (a.openedAt() - t.start()) / 1000.0;
            delaySum += delay;
            if (t.label().equals(a.type())) typedRight++;
            outcomes.add(new InjectionOutcome(t.id(), t.label(), true, delay, a.type(), a.id()));
        }
        Map<String, Boolean> benignAlerted = new LinkedHashMap<>();
        for (Truth b : benign) {
            boolean hit = alerts.stream().anyMatch(a -> b.targets(a) && a.openedAt() >= b.start()
                    && a.openedAt() <= b.end() + maxDelayMillis);
            benignAlerted.merge(b.id(), hit, Boolean::logicalOr);
        }
        int falseAlarms = alerts.size() - matched;
        DetectorScore score = new DetectorScore(alerts.size(), matched, injections.size(), firstDetection.size(), typedRight,
                delaySum, falseAlarms, benignHours());
        return new Verdict(score, outcomes, scored, benignAlerted);
    }

    /** The injection an alert belongs to: one it can detect first, else one whose aftermath it falls in. */
    private Truth match(Alert a) {
        for (Truth t : injections) {
            if (t.targets(a) && a.openedAt() >= t.start() && a.openedAt() <= t.end() + maxDelayMillis) return t;
        }
        for (Truth t : injections) {
            if (t.targets(a) && a.openedAt() >= t.start() && a.openedAt() <= t.end() + aftermath(t)) return t;
        }
        return null;
    }

    private long aftermath(Truth t) { return Math.max(maxDelayMillis, t.end() - t.start()); }

    /** Hours of the scored part outside every injection and its aftermath. */
    double benignHours() {
        long covered = 0;
        long cursor = scoredStart;
        for (Truth t : injections) {
            long from = Math.max(cursor, t.start());
            long to = Math.min(scoredEnd, t.end() + aftermath(t));
            if (to > from) {
                covered += to - from;
                cursor = to;
            }
        }
        return Math.max(0, scoredEnd - scoredStart - covered) / 3_600_000.0;
    }
}
