package dev.wisp.runtime.java;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Entry point of a java21 instance: loads the function's classes from LAMBDA_TASK_ROOT (classes at
 * the root, jars at the root or in lib/), resolves _HANDLER, then loops on the Runtime API.
 */
public final class Bootstrap {
    private Bootstrap() {}

    public static void main(String[] args) throws Throwable {
        if (args.length > 0 && args[0].equals("--train")) {
            Training.run();
            return;
        }
        RuntimeClient client = new RuntimeClient(System.getenv("AWS_LAMBDA_RUNTIME_API"));
        if (System.getenv("WISP_STEM_CELL") != null) {
            specialize(client);
        }
        Handler handler;
        try {
            ClassLoader loader = functionClassLoader(new File(System.getenv("LAMBDA_TASK_ROOT")));
            Thread.currentThread().setContextClassLoader(loader);
            handler = Handler.load(System.getenv("_HANDLER"), loader);
        } catch (Throwable t) {
            String type = t instanceof ClassNotFoundException || t instanceof NoSuchMethodException
                    ? "Runtime.HandlerNotFound" : "Runtime.InitError";
            client.call("POST", "init/error", errorJson(t, type), "Lambda-Runtime-Function-Error-Type: " + type);
            System.exit(1);
            return;
        }
        loop(client, handler);
    }

    /**
     * A stem cell: warm up what every function needs (JSON), then wait for Wisp to give this JVM a
     * function and adopt its environment, so handlers read their variables with System.getenv.
     */
    private static void specialize(RuntimeClient client) throws IOException {
        try {
            Training.warm();
        } catch (Exception e) {
            // warming is an optimisation; a stem cell that cannot warm still serves
        }
        try {
            RuntimeClient.Reply r = client.call("GET", "wisp/specialize", null, null);
            if (r.status() != 200) System.exit(0);
            @SuppressWarnings("unchecked")
            Map<String, String> env = (Map<String, String>) Json.read(r.body(), Map.class);
            Map<String, String> view = System.getenv();
            java.lang.reflect.Field backing = view.getClass().getDeclaredField("m");
            backing.setAccessible(true);
            @SuppressWarnings("unchecked")
            Map<String, String> live = (Map<String, String>) backing.get(view);
            live.putAll(env);
            live.remove("WISP_STEM_CELL");
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot specialise this stem cell: " + e, e);
        }
    }

    private static void loop(RuntimeClient client, Handler handler) throws IOException {
        while (true) {
            RuntimeClient.Reply next = client.call("GET", "invocation/next", null, null);
            if (next.status() != 200) {
                System.exit(0); // the platform is retiring this instance
            }
            String id = next.headers().get("lambda-runtime-aws-request-id");
            long deadline = Long.parseLong(next.headers().getOrDefault("lambda-runtime-deadline-ms", "0"));
            InvocationContext ctx = new InvocationContext(id, next.headers().get("lambda-runtime-invoked-function-arn"), deadline);
            // as Lambda's Java runtime does: the AWS SDK in the function passes this trace on to what it calls
            String trace = next.headers().get("lambda-runtime-trace-id");
            if (trace != null) System.setProperty("com.amazonaws.xray.traceHeader", trace);
            else System.clearProperty("com.amazonaws.xray.traceHeader");
            byte[] response;
            try {
                response = handler.invoke(next.body(), ctx);
            } catch (Throwable t) {
                t.printStackTrace(System.out);
                System.out.flush();
                String type = t.getClass().getName();
                client.call("POST", "invocation/" + id + "/error", errorJson(t, type), "Lambda-Runtime-Function-Error-Type: " + type);
                continue;
            }
            System.out.flush();
            System.err.flush();
            client.call("POST", "invocation/" + id + "/response", response, null);
        }
    }

    static ClassLoader functionClassLoader(File root) throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(root.toURI().toURL());
        addJars(root, urls);
        addJars(new File(root, "lib"), urls);
        return new URLClassLoader(urls.toArray(URL[]::new), Bootstrap.class.getClassLoader());
    }

    private static void addJars(File dir, List<URL> urls) throws IOException {
        File[] files = dir.listFiles((d, n) -> n.endsWith(".jar"));
        if (files == null) return;
        java.util.Arrays.sort(files);
        for (File f : files) urls.add(f.toURI().toURL());
    }

    /** Lambda's error shape: errorMessage, errorType, stackTrace. */
    static byte[] errorJson(Throwable t, String type) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        StringBuilder sb = new StringBuilder("{\"errorMessage\":").append(quote(String.valueOf(t.getMessage())))
                .append(",\"errorType\":").append(quote(type)).append(",\"stackTrace\":[");
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(st.length, 50); i++) {
            if (i > 0) sb.append(',');
            sb.append(quote(st[i].toString()));
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
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
