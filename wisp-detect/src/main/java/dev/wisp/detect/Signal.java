package dev.wisp.detect;

/**
 * One piece of evidence from one detector.
 *
 * @param detector which detector fired, e.g. "rate-burst"
 * @param metric   what it looked at, e.g. "arrivals/s"
 * @param at       epoch millis (the end of the 1-s bucket it was computed on)
 * @param score    strength in [0,1] (0.5 at the detector's threshold)
 * @param observed the observed value of the metric
 * @param expected what the context-aware baseline expected
 * @param evidence plain words
 */
public record Signal(String detector, String metric, long at, double score, double observed, double expected,
                     String evidence) {}
