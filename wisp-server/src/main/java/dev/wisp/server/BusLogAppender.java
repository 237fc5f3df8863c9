package dev.wisp.server;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import dev.wisp.telemetry.model.LogLine;
import java.util.function.Consumer;

/**
 * Publishes the platform's own log lines to the telemetry bus as {@link LogLine}s with a level and
 * the component (gateway, controller, invoker, telemetry, server) that wrote them: the text source
 * for log-based detection. Logback creates the appender; the server connects it to its bus.
 */
public final class BusLogAppender extends AppenderBase<ILoggingEvent> {
    private static volatile Consumer<Object> target;

    /** Connects every bus appender to the server's bus (null disconnects). */
    static void connect(Consumer<Object> bus) { target = bus; }

    @Override
    protected void append(ILoggingEvent e) {
        Consumer<Object> bus = target;
        if (bus == null) return;
        String message = e.getFormattedMessage();
        IThrowableProxy t = e.getThrowableProxy();
        if (t != null) message = message + " (" + t.getClassName() + ": " + t.getMessage() + ")";
        bus.accept(new LogLine(e.getTimeStamp(), LogLine.Source.PLATFORM, null, null, component(e.getLoggerName()),
                e.getLevel().toString(), null, message));
    }

    static String component(String logger) {
        if (!logger.startsWith("dev.wisp.")) return "library";
        String rest = logger.substring("dev.wisp.".length());
        int dot = rest.indexOf('.');
        String layer = dot < 0 ? rest : rest.substring(0, dot);
        return switch (layer) {
            case "gateway", "controller", "invoker" -> layer;
            case "telemetry", "store", "metrics", "tracing" -> "telemetry";
            default -> "server";
        };
    }
}
