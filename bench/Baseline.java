import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The "does nothing" HTTP server that bench/invoke-overhead.sh compares Wisp against.
 *
 * <p>Run as a single-file program: {@code java bench/Baseline.java PORT} (0 picks a free port).
 * Every request, on any path and method, is drained and answered {@code 200} with the body
 * {@code {}} and {@code Content-Type: application/json}, over HTTP/1.1 keep-alive, from the JDK's
 * built-in com.sun.net.httpserver on 127.0.0.1. It prints {@code listening on http://127.0.0.1:P}
 * when ready. Requests are handled on a small fixed pool (2 threads, the machine's core count),
 * which is what the JDK server would use for a real do-nothing service.
 */
public final class Baseline {
    private static final byte[] BODY = "{}".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BODY);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors())));
        server.start();
        System.out.println("listening on http://127.0.0.1:" + server.getAddress().getPort());
        System.out.flush();
    }
}
