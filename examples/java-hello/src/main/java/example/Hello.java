package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Minimal Java Lambda handler used by the quick start.
 * The optional event knobs (fail, sleep_ms) let one function exercise error
 * reporting and timeouts without redeploying.
 */
public class Hello implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        // A "null" payload deserialises to null; treat it like an empty object.
        Map<String, Object> opts = event == null ? Map.of() : event;
        Object name = opts.getOrDefault("name", "world");

        if (opts.get("sleep_ms") instanceof Number ms && ms.longValue() > 0) {
            try {
                Thread.sleep(ms.longValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        context.getLogger().log("greeting " + name + "\n");

        if (Boolean.TRUE.equals(opts.get("fail"))) {
            throw new IllegalStateException("asked to fail");
        }

        // LinkedHashMap keeps the JSON field order stable for readers and tests.
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", "hello " + name);
        out.put("runtime", "java21");
        out.put("requestId", context.getAwsRequestId());
        return out;
    }
}
