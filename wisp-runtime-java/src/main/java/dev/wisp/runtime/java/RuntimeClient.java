package dev.wisp.runtime.java;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal keep-alive HTTP/1.1 client for the Runtime API on loopback. A general HTTP client
 * costs tens of milliseconds of class loading on every cold start; the Runtime API needs four
 * fixed requests with Content-Length bodies, so this is all the protocol the runtime uses.
 */
final class RuntimeClient {
    private final String host;
    private final int port;
    private final String prefix;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** The HTTP response to one call: status, lower-cased headers, body. */
    record Reply(int status, Map<String, String> headers, byte[] body) {}

    /** @param endpoint AWS_LAMBDA_RUNTIME_API: {@code host:port} with an optional path prefix */
    RuntimeClient(String endpoint) {
        int slash = endpoint.indexOf('/');
        String hostPort = slash < 0 ? endpoint : endpoint.substring(0, slash);
        this.prefix = slash < 0 ? "" : endpoint.substring(slash);
        int colon = hostPort.lastIndexOf(':');
        this.host = hostPort.substring(0, colon);
        this.port = Integer.parseInt(hostPort.substring(colon + 1));
    }

    Reply call(String method, String path, byte[] body, String extraHeader) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                connect();
                StringBuilder req = new StringBuilder(160)
                        .append(method).append(' ').append(prefix).append("/2018-06-01/runtime/").append(path)
                        .append(" HTTP/1.1\r\nHost: ").append(host).append("\r\nContent-Type: application/json\r\n");
                if (extraHeader != null) req.append(extraHeader).append("\r\n");
                req.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
                out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) out.write(body);
                out.flush();
                return read();
            } catch (IOException e) {
                close();
                if (attempt >= 2) throw e;
            }
        }
    }

    private void connect() throws IOException {
        if (socket != null) return;
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
    }

    private Reply read() throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new HashMap<>();
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        if (body.length < length) throw new IOException("connection closed mid-body");
        if ("close".equalsIgnoreCase(headers.get("connection"))) close();
        return new Reply(status, headers, body);
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new IOException("connection closed");
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private void close() {
        try {
            if (socket != null) socket.close();
        } catch (IOException ignored) {
            // reconnecting anyway
        }
        socket = null;
    }
}
