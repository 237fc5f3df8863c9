package dev.wisp.invoker.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads an instance's merged stdout/stderr and hands over complete lines. It tracks whether it has
 * consumed everything written so far, so a finished invocation can wait for its last log lines
 * (runtimes flush before posting their response) before its log tail is cut.
 */
final class LogPump implements Runnable {
    private static final int MAX_LINE = 16 * 1024;

    private final InputStream in;
    private final Consumer<String> lines;
    private volatile boolean waiting;

    LogPump(InputStream in, Consumer<String> lines) {
        this.in = in;
        this.lines = lines;
    }

    @Override
    public void run() {
        byte[] buf = new byte[8192];
        byte[] line = new byte[MAX_LINE];
        int len = 0;
        try {
            while (true) {
                waiting = true;
                int n = in.read(buf);
                waiting = false;
                if (n < 0) break;
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n' || len == MAX_LINE) {
                        emit(line, len);
                        len = 0;
                        if (b == '\n') continue;
                    }
                    line[len++] = b;
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        } finally {
            waiting = false;
            if (len > 0) emit(line, len);
        }
    }

    private void emit(byte[] line, int len) {
        int end = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
        lines.accept(new String(line, 0, end, StandardCharsets.UTF_8));
    }

    /**
     * Waits briefly until the pump is parked in read, i.e. has handled what it was woken for.
     * Runtimes flush before they post a response, so by then their last lines are in the pipe; a
     * pump that is still (or again) waiting after a yield has seen them. The pipe's own
     * {@code available()} cannot be asked: it shares a lock with the blocked read.
     */
    void awaitCaughtUp() {
        long deadline = System.nanoTime() + 2_000_000L;
        while (System.nanoTime() < deadline) {
            if (waiting) {
                Thread.yield();
                if (waiting) return;
            }
            Thread.onSpinWait();
        }
    }
}
