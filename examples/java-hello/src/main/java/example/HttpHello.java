package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * API Gateway HTTP API (payload format 2.0) echo handler. It returns the proxy
 * integration response shape so a gateway can turn it into an HTTP response.
 * JSON is written by hand to keep the example free of dependencies beyond
 * aws-lambda-java-core.
 */
public class HttpHello implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Map<?, ?> in = event == null ? Map.of() : event;
        Map<?, ?> http = child(child(in, "requestContext"), "http");

        Object body = in.get("body");
        // Gateways base64-encode bodies they consider binary; echo the decoded text.
        if (body instanceof String s && Boolean.TRUE.equals(in.get("isBase64Encoded"))) {
            body = new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
        }

        String json = "{\"method\":" + str(http.get("method"))
                + ",\"path\":" + str(in.get("rawPath"))
                + ",\"query\":" + obj(child(in, "queryStringParameters"))
                + ",\"body\":" + str(body)
                + ",\"requestId\":" + str(context.getAwsRequestId())
                + "}";

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("statusCode", 200);
        out.put("headers", Map.of("content-type", "application/json"));
        // The proxy contract wants the body as a string, not a nested object.
        out.put("body", json);
        return out;
    }

    /** Missing or non-object fields become empty maps, so lookups never need null checks. */
    private static Map<?, ?> child(Map<?, ?> parent, String key) {
        return parent.get(key) instanceof Map<?, ?> m ? m : Map.of();
    }

    private static String obj(Map<?, ?> map) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (sb.length() > 1) sb.append(',');
            sb.append(str(e.getKey())).append(':').append(str(e.getValue()));
        }
        return sb.append('}').toString();
    }

    private static String str(Object value) {
        if (value == null) return "null";
        String s = value.toString();
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
