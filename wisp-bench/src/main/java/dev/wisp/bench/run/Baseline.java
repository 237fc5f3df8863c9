package dev.wisp.bench.run;

import java.util.List;

/** A simple detector the bench scores beside Wisp's, fed one {@link SecondStats} per function per second. */
sealed interface Baseline permits ThresholdBaseline, ZScoreBaseline {
    String name();

    void accept(SecondStats s);

    /** The second ending at {@code nowMillis} is complete. */
    void tick(long nowMillis);

    List<Alert> alerts();
}
