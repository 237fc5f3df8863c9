package dev.wisp.invoker;

import java.nio.file.Path;
import java.util.Map;

/**
 * Everything needed to start an instance of one function version. Instances are never shared
 * between specs: a configuration change yields a new {@code revisionId} and fresh instances.
 *
 * @param codeDir   the unpacked, read-only code
 * @param maxInstances cap on this function's instances (0 = the host default)
 * @param networkAccess false cuts instances off every network but their Runtime API
 */
public record FunctionSpec(String tenant, String functionName, String version, String arn,
                           String revisionId, RuntimeKind runtime, String runtimeName, String handler,
                           Path codeDir, int memoryMb, int timeoutSeconds, Map<String, String> environment,
                           int maxInstances, boolean networkAccess) {
    public FunctionSpec {
        environment = Map.copyOf(environment);
    }

    /** The key instances are pooled under. */
    public String poolKey() {
        return tenant + "/" + functionName + "/" + version + "/" + revisionId;
    }
}
