package dev.wisp.runtime.java;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A training run for the class-data-sharing archive that makes java21 cold starts fast: it goes
 * through everything an instance does (class loader, handler resolution, JSON both ways, errors,
 * the Runtime API client over a loopback socket) so those classes are archived, then exits.
 * Started by Wisp with {@code -XX:ArchiveClassesAtExit}.
 */
final class Training {
    private Training() {}

    /** A typical POJO-style handler. */
    public static final class MapHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
            context.getLogger().log("training " + context.getAwsRequestId());
            return Map.of("echo", input, "remaining", context.getRemainingTimeInMillis());
        }
    }

    /** A typical stream handler. */
    public static final class StreamHandler implements RequestStreamHandler {
        @Override
        public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
            out.write(in.readAllBytes());
        }
    }

    static void run() throws Throwable {
        ClassLoader loader = Bootstrap.functionClassLoader(new File(System.getenv().getOrDefault("LAMBDA_TASK_ROOT", "/tmp")));
        InvocationContext ctx = new InvocationContext("training", "arn:aws:lambda:us-east-1:000000000000:function:training",
                System.currentTimeMillis() + 1000);
        byte[] event = "{\"name\":\"training\",\"n\":1,\"list\":[1,2,3],\"nested\":{\"ok\":true}}".getBytes(StandardCharsets.UTF_8);
        Handler pojo = Handler.load(MapHandler.class.getName(), loader);
        Handler stream = Handler.load(StreamHandler.class.getName() + "::handleRequest", loader);
        for (int i = 0; i < 50; i++) {
            pojo.invoke(event, ctx);
            stream.invoke(event, ctx);
        }
        Bootstrap.errorJson(new IllegalStateException("training"), "java.lang.IllegalStateException");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            + "Lambda-Runtime-Aws-Request-Id: x\r\nContent-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException ignored) {
                    // training only
                }
            });
            peer.start();
            new RuntimeClient("127.0.0.1:" + server.getLocalPort() + "/token").call("GET", "invocation/next", null, null);
            peer.join();
        }
    }
}
