package dev.wisp.http;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.VirtualThreads;

/**
 * Builds Jetty servers the Wisp way: bound to one address, blocking handlers on virtual threads
 * (a long-polling Runtime API {@code next} or a waiting invoke costs no platform thread).
 */
public final class HttpServers {
    private HttpServers() {}

    /** A handler written in plain blocking style; it runs on its own virtual thread with the body already read. */
    @FunctionalInterface
    public interface BlockingHandler {
        void handle(Exchange exchange);
    }

    /**
     * Starts a server whose requests are read fully (up to {@code maxBody} bytes; beyond it the
     * exchange's body is null) without blocking Jetty's threads, then handed to the handler on a
     * virtual thread, where it may block as long as it likes (a Runtime API long poll, a waiting invoke).
     */
    public static Server start(String name, String host, int port, long maxBody, BlockingHandler handler) {
        return start(name, host, port, maxBody, handler, request -> false);
    }

    /**
     * As above, except that requests {@code inline} accepts are handled on the Jetty thread that
     * read them, without a virtual thread: for short handlers that never block (a Runtime API
     * {@code response} post), where starting and scheduling a thread costs more than the work.
     */
    public static Server start(String name, String host, int port, long maxBody, BlockingHandler handler,
                               Predicate<Request> inline) {
        var executor = java.util.concurrent.Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-", 0).factory());
        return start(name, host, port, new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, org.eclipse.jetty.server.Response response,
                                  org.eclipse.jetty.util.Callback callback) {
                Executor run = inline.test(request) ? Runnable::run : executor;
                long declared = request.getLength();
                if (declared > maxBody) {
                    run.execute(() -> handler.handle(new Exchange(request, response, callback, null)));
                    return true;
                }
                org.eclipse.jetty.io.Content.Source.asByteArrayAsync(request, (int) Math.min(maxBody, Integer.MAX_VALUE - 8))
                        .whenComplete((body, error) -> run.execute(() ->
                                handler.handle(new Exchange(request, response, callback, error == null ? body : null))));
                return true;
            }
        });
    }

    private static Server start(String name, String host, int port, Handler handler) {
        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setName(name);
        pool.setVirtualThreadsExecutor(VirtualThreads.getDefaultVirtualThreadsExecutor());
        Server server = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(false);
        config.setRequestHeaderSize(16 * 1024);
        config.setIdleTimeout(15 * 60 * 1000L);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(15 * 60 * 1000L);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(handler);
        server.setStopTimeout(2_000);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start " + name + " on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return server;
    }

    public static InetSocketAddress address(Server server) {
        ServerConnector c = (ServerConnector) server.getConnectors()[0];
        return new InetSocketAddress(c.getHost(), c.getLocalPort());
    }

    public static void stop(Server server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // best effort on shutdown
        }
    }
}
