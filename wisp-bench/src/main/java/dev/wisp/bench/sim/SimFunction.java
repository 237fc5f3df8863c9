package dev.wisp.bench.sim;

import dev.wisp.bench.scenario.Distribution;
import dev.wisp.bench.scenario.FunctionDef;
import dev.wisp.invoker.FunctionSpec;
import dev.wisp.invoker.RuntimeKind;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A function as the simulation runs it: its definition, the spec the pool keys instances by, and
 * the faults injected into it right now.
 */
final class SimFunction {
    /** Every function demands at least this much CPU while executing: no real handler uses none. */
    static final double MIN_CPU_MILLICORES = 10;

    final FunctionDef def;
    final String tenant;
    final String name;
    final Integer reserved;
    final double cpu;
    /** Draws init durations (instances are not tied to a traffic stream). */
    final SplittableRandom initRandom;
    FunctionSpec spec;
    private int revision = 1;

    /** A regressed version's execution time, or null. */
    Distribution execOverride;
    /** A failing dependency's error rate, or NaN when it is healthy. */
    double dependencyErrorRate = Double.NaN;
    Distribution dependencyLatency;

    SimFunction(FunctionDef def, String tenant, SplittableRandom initRandom) {
        this.def = def;
        this.tenant = tenant;
        this.name = def.name();
        this.reserved = def.reservedConcurrency();
        this.cpu = Math.max(MIN_CPU_MILLICORES, def.cpuMillicores());
        this.initRandom = initRandom;
        this.spec = buildSpec();
    }

    /** As {@code Dispatcher.buildSpec} does: the reserved concurrency also caps instances. */
    private FunctionSpec buildSpec() {
        return new FunctionSpec(tenant, name, "$LATEST", "arn:aws:lambda:local:" + tenant + ":function:" + name,
                "r" + revision, runtimeOf(def.runtime()), def.runtime(), "sim.handler", Path.of("sim"), def.memoryMb(),
                def.timeoutSeconds(), Map.of(), reserved == null ? 0 : Math.max(1, reserved), true);
    }

    private static RuntimeKind runtimeOf(String runtime) {
        try {
            return RuntimeKind.fromLambdaName(runtime);
        } catch (RuntimeException e) {
            return RuntimeKind.PROVIDED; // sim ignores the runtime; trace functions have none
        }
    }

    /** A new deployment of $LATEST: new revision, fresh instances from now on. Returns the old spec. */
    FunctionSpec redeploy() {
        FunctionSpec old = spec;
        revision++;
        spec = buildSpec();
        return old;
    }

    double sampleExecMs(SplittableRandom rnd) {
        double ms = (execOverride != null ? execOverride : def.execMs()).sample(rnd);
        if (dependencyLatency != null) ms += dependencyLatency.sample(rnd);
        return ms;
    }

    double sampleInitMs() { return def.initMs().sample(initRandom); }
}
