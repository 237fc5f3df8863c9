package dev.wisp.invoker.process;

import dev.wisp.invoker.FunctionSpec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The environment an instance starts with: the function's own variables, then Lambda's reserved
 * ones on top (a function cannot override them). Nothing is inherited from the server, so no
 * server secret reaches a function.
 */
final class LambdaEnvironment {
    static final String REGION = "us-east-1";

    private LambdaEnvironment() {}

    /** A stem cell's environment: enough to start the runtime and ask for its function. */
    static Map<String, String> stem(String instanceId, String runtimeApi, InstanceLayout view) {
        Map<String, String> env = new LinkedHashMap<>();
        putCommon(env, instanceId, runtimeApi, view);
        env.put("WISP_STEM_CELL", "1");
        return env;
    }

    /**
     * A function's environment. With an empty {@code runtimeApi} (a stem cell adopting it) the
     * Runtime API endpoint the runtime already has stays as it is.
     */
    static Map<String, String> of(FunctionSpec spec, String instanceId, String runtimeApi, InstanceLayout view) {
        Map<String, String> env = new LinkedHashMap<>(spec.environment());
        putCommon(env, instanceId, runtimeApi, view);
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.functionName());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", spec.version());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", Integer.toString(spec.timeoutSeconds()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.functionName());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "wisp/" + spec.version() + "/" + spec.revisionId());
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_REGION", REGION);
        env.put("AWS_DEFAULT_REGION", REGION);
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + spec.runtimeName().toLowerCase(Locale.ROOT));
        env.put("_HANDLER", spec.handler() == null ? "" : spec.handler());
        return env;
    }

    private static void putCommon(Map<String, String> env, String instanceId, String runtimeApi, InstanceLayout view) {
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("HOME", view.tmp().toString());
        env.put("TMPDIR", view.tmp().toString());
        env.put("WISP_INSTANCE_ID", instanceId);
        if (!runtimeApi.isEmpty()) env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("LAMBDA_TASK_ROOT", view.taskRoot().toString());
        env.put("LAMBDA_RUNTIME_DIR", view.runtimeDir().toString());
        env.put("PYTHONUNBUFFERED", "1");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
    }
}
