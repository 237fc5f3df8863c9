package dev.wisp.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** One request/response pair with the few conveniences handlers need; blocking, for virtual threads. */
public record Exchange(Request request, Response response, Callback callback, byte[] body) {

    public String method() { return request.getMethod(); }

    /** The path as sent, still percent-encoded (SigV4 signs it that way). */
    public String rawPath() { return request.getHttpURI().getPath(); }

    /** The raw query string, or null. */
    public String rawQuery() { return request.getHttpURI().getQuery(); }

    public String header(String name) { return request.getHeaders().get(name); }

    public Iterable<HttpField> headers() { return request.getHeaders(); }

    public String remoteAddress() { return Request.getRemoteAddr(request); }

    /** The whole request body, or null when it was larger than the server's limit. */
    public byte[] bodyOrNull() { return body; }

    public void send(int status, String contentType, byte[] body, Map<String, String> headers) {
        response.setStatus(status);
        if (contentType != null) response.getHeaders().put("Content-Type", contentType);
        headers.forEach((k, v) -> {
            if (v != null) response.getHeaders().put(k, v);
        });
        response.getHeaders().put("Content-Length", body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    public void sendJson(int status, String json) {
        send(status, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public void sendJson(int status, String json, Map<String, String> headers) {
        send(status, "application/json", json.getBytes(StandardCharsets.UTF_8), headers);
    }
}
