package dev.wisp.bench.scenario;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One bench scenario (SCHEMA.md), validated.
 *
 * @param modes          the modes it supports ("sim", "live")
 * @param historyDays    days of benign traffic simulated before {@code startTime}
 * @param traceFunctions real trace functions added as background, or null
 * @param file           where it was read from, or null when built in code
 */
public record Scenario(String name, String description, List<String> modes, long seed, Instant startTime,
                       double durationSeconds, double historyDays, PlatformSettings platform,
                       List<FunctionDef> functions, List<WorkloadStream> workload, List<Injection> injections,
                       List<BenignEvent> benign, Expect expect, TraceFunctions traceFunctions, Path file) {
    public Scenario {
        modes = List.copyOf(modes);
        functions = List.copyOf(functions);
        workload = List.copyOf(workload);
        injections = List.copyOf(injections);
        benign = List.copyOf(benign);
    }

    public boolean supports(String mode) { return modes.contains(mode); }

    /** The function of that name, or null. */
    public FunctionDef function(String name) {
        for (FunctionDef f : functions) {
            if (f.name().equals(name)) return f;
        }
        return null;
    }
}
