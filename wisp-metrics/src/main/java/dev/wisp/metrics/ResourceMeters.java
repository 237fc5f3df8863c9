package dev.wisp.metrics;

import dev.wisp.telemetry.model.ResourceSample;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Once-a-second resource samples: host gauges, and per-function instance counts and memory. */
final class ResourceMeters {
    private final MeterRegistry registry;
    private final FunctionGauges functions;
    private volatile double hostCpuMillicores;
    private volatile double hostMemoryBytes;
    private volatile boolean hostRegistered;

    ResourceMeters(MeterRegistry registry, FunctionGauges functions) {
        this.registry = registry;
        this.functions = functions;
    }

    void accept(ResourceSample s) {
        switch (s.scope()) {
            case HOST -> host(s);
            case INSTANCE -> functions.update(s.tenant(), s.functionName(), f -> f.memory(s.instanceId(), s.timestamp(), s.rssBytes()));
            case FUNCTION -> functions.update(s.tenant(), s.functionName(),
                    f -> f.instances(s.timestamp(), s.idle(), s.busy(), s.initializing()));
        }
    }

    private void host(ResourceSample s) {
        hostCpuMillicores = s.cpuMillicores();
        hostMemoryBytes = s.rssBytes();
        // registered on the first sample so a server without a sampler shows no host series rather than zeros
        if (!hostRegistered) {
            synchronized (this) {
                if (!hostRegistered) {
                    Gauge.builder("wisp.host.cpu.millicores", this, m -> m.hostCpuMillicores)
                            .description("Host CPU in use, in millicores (1000 = one core)").register(registry);
                    Gauge.builder("wisp.host.memory.used", this, m -> m.hostMemoryBytes).baseUnit("bytes")
                            .description("Host memory in use").register(registry);
                    hostRegistered = true;
                }
            }
        }
    }
}
