package dev.wisp.invoker.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Turns an instance's merged stdout/stderr into lines. It never blocks in read: it drains what the
 * pipe holds, under a lock, polling with a backoff between 1 and 50 ms. That lets a finished
 * invocation drain the pipe itself ({@link #drainNow}) before its log tail is cut: runtimes flush
 * before they post their response, so everything the invocation printed is in the pipe by then,
 * and nothing is reordered or left to a reader thread that has not run yet.
 */
final class LogPump implements Runnable {
    private static final int MAX_LINE = 16 * 1024;
    private static final long MIN_PAUSE_NS = 1_000_000L;
    private static final long MAX_PAUSE_NS = 50_000_000L;

    private final InputStream in;
    private final Consumer<String> lines;
    private final ReentrantLock lock = new ReentrantLock();
    private final byte[] buf = new byte[8192];
    private final byte[] line = new byte[MAX_LINE];
    private int len;
    private volatile boolean stopped;
    private volatile Thread runner;

    LogPump(InputStream in, Consumer<String> lines) {
        this.in = in;
        this.lines = lines;
    }

    @Override
    public void run() {
        runner = Thread.currentThread();
        long pause = MIN_PAUSE_NS;
        while (!stopped) {
            pause = drainNow() > 0 ? MIN_PAUSE_NS : Math.min(MAX_PAUSE_NS, pause * 2);
            LockSupport.parkNanos(pause);
        }
        drainNow();
        lock.lock();
        try {
            if (len > 0) emit();
        } finally {
            lock.unlock();
        }
    }

    /** Reads and hands over everything the pipe holds now; returns the bytes read. */
    int drainNow() {
        lock.lock();
        try {
            int total = 0;
            int n;
            while ((n = in.available()) > 0) {
                int got = in.read(buf, 0, Math.min(n, buf.length));
                if (got <= 0) break;
                total += got;
                for (int i = 0; i < got; i++) {
                    byte b = buf[i];
                    if (b == '\n' || len == MAX_LINE) {
                        emit();
                        if (b == '\n') continue;
                    }
                    line[len++] = b;
                }
            }
            return total;
        } catch (IOException e) {
            stopped = true;
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** The process is gone: drain what is left and stop. */
    void stop() {
        stopped = true;
        Thread t = runner;
        if (t != null) LockSupport.unpark(t);
    }

    private void emit() {
        int end = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
        lines.accept(new String(line, 0, end, StandardCharsets.UTF_8));
        len = 0;
    }
}
