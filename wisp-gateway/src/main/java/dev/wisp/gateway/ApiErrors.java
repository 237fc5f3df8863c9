package dev.wisp.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.ErrorCode;
import dev.wisp.common.WispException;
import dev.wisp.http.Exchange;
import java.util.Map;

/**
 * The one place a {@link WispException} becomes AWS's error shape: the type in
 * {@code x-amzn-ErrorType} (which SDKs read) and a JSON body with Type and message.
 */
final class ApiErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiErrors() {}

    static void send(Exchange ex, WispException e, String requestId) {
        ErrorCode code = e.code();
        ObjectNode body = JSON.createObjectNode();
        body.put("Type", code.fault() == ErrorCode.Fault.USER ? "User" : "Service");
        body.put("message", e.getMessage());
        e.extra().forEach((k, v) -> body.putPOJO(k, v));
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (Exception impossible) {
            text = "{\"message\":\"error\"}";
        }
        ex.sendJson(code.httpStatus(), text, Map.of("x-amzn-ErrorType", code.awsType(), "x-amzn-RequestId", requestId));
    }
}
