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
import java.util.List;
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

    /** What a stem cell does while it waits: the same paths as the training run, minus the socket. */
    static void warm() throws Exception {
        try {
            exercise();
        } catch (Exception e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void exercise() throws Throwable {
        ClassLoader loader = Bootstrap.functionClassLoader(new File(System.getenv().getOrDefault("LAMBDA_RUNTIME_DIR", "/tmp")));
        InvocationContext ctx = new InvocationContext("training", "arn:aws:lambda:us-east-1:000000000000:function:training",
                System.currentTimeMillis() + 1000);
        byte[] event = "{\"name\":\"training\",\"n\":1,\"list\":[1,2,3],\"nested\":{\"ok\":true}}".getBytes(StandardCharsets.UTF_8);
        Handler pojo = Handler.load(MapHandler.class.getName(), loader);
        Handler stream = Handler.load(StreamHandler.class.getName() + "::handleRequest", loader);
        Handler typed = Handler.load(RecordHandler.class.getName(), loader);
        for (int i = 0; i < 50; i++) {
            pojo.invoke(event, ctx);
            stream.invoke(event, ctx);
            typed.invoke(event, ctx);
        }
        Bootstrap.errorJson(new IllegalStateException("training"), "java.lang.IllegalStateException");
        loadFromJar();
    }

    /**
     * Function code arrives as jars: loading a class from one (JarFile, URLClassPath, verification)
     * costs tens of milliseconds on a JVM that never did it, so it is part of the training.
     */
    private static void loadFromJar() throws Exception {
        java.nio.file.Path jar = java.nio.file.Path.of(Training.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        java.nio.file.Path copy = java.nio.file.Files.createTempFile("wisp-training", ".jar");
        try {
            java.nio.file.Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            java.net.URL core = RequestHandler.class.getProtectionDomain().getCodeSource().getLocation();
            try (java.net.URLClassLoader isolated = new java.net.URLClassLoader(new java.net.URL[] {copy.toUri().toURL(), core},
                    ClassLoader.getPlatformClassLoader())) {
                Class<?> c = Class.forName(MapHandler.class.getName(), true, isolated);
                c.getMethods();
            }
        } finally {
            java.nio.file.Files.deleteIfExists(copy);
        }
    }

    /** A handler taking and returning typed objects (the databind path). */
    public static final class RecordHandler implements RequestHandler<RecordHandler.In, RecordHandler.Out> {
        public record In(String name, int n, List<Integer> list) {}

        public record Out(String greeting, int total) {}

        @Override
        public Out handleRequest(In in, Context context) {
            return new Out("hello " + in.name(), in.list() == null ? 0 : in.list().size());
        }
    }

    static void run() throws Throwable {
        exercise();
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
