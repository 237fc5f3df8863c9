package dev.wisp.bench.sim;

import dev.wisp.bench.scenario.Scenario;
import dev.wisp.bench.scenario.ScenarioParser;
import dev.wisp.telemetry.model.InvocationRecord;
import java.nio.file.Path;

/**
 * Measures sim speed (invocations per second of wall time); a main, never a test, since speed is
 * measured, not asserted. Run: {@code java -cp <test classpath> dev.wisp.bench.sim.SimSpeed FILE...}
 */
public final class SimSpeed {
    private SimSpeed() {}

    public static void main(String[] args) {
        for (String a : args) {
            Scenario s = ScenarioParser.parse(Path.of(a));
            long[] counts = new long[6];
            SimOutcome o = new Simulator(s).run(new SimListener() {
                @Override
                public void telemetry(Object item) {
                    counts[0]++;
                    if (item instanceof InvocationRecord r) {
                        counts[1]++;
                        if (r.coldStart()) counts[2]++;
                        if (r.status() != dev.wisp.telemetry.model.InvocationStatus.SUCCESS) counts[3]++;
                    }
                }

                @Override
                public void tick(long epochMillis) { counts[4]++; }
            }, p -> { });
            System.out.printf("%-28s invocations %,d (scored %,d) cold %,d failed %,d items %,d ticks %,d  %.2f s  %,.0f inv/s%n",
                    s.name(), o.totalInvocations(), o.scoredInvocations(), counts[2], counts[3], counts[0], counts[4],
                    o.wallSeconds(), o.totalInvocations() / o.wallSeconds());
        }
    }
}
