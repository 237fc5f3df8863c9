package dev.wisp.bench.scenario;

/** What detection is held to: an injection counts as detected within {@code maxDelaySeconds} of its end. */
public record Expect(double maxDelaySeconds) {
    public static final Expect DEFAULTS = new Expect(5);
}
