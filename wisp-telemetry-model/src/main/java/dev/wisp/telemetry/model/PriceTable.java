package dev.wisp.telemetry.model;

/**
 * What an invocation costs: a price per request plus a price per GB-second of billed duration.
 * The defaults are AWS Lambda's public list price for x86 in us-east-1 ($0.20 per million requests,
 * $0.0000166667 per GB-second), so a Wisp bill reads like the cloud bill it replaces.
 */
public record PriceTable(double perRequestUsd, double perGbSecondUsd) {
    public static final PriceTable DEFAULT = new PriceTable(0.20 / 1_000_000, 0.0000166667);

    public PriceTable {
        if (perRequestUsd < 0 || perGbSecondUsd < 0 || Double.isNaN(perRequestUsd) || Double.isNaN(perGbSecondUsd)) {
            throw new IllegalArgumentException("prices must be non-negative numbers");
        }
    }

    /** The money for one billed invocation of {@code gbSeconds}. */
    public double costUsd(double gbSeconds) {
        return perRequestUsd + gbSeconds * perGbSecondUsd;
    }
}
