package dev.wisp.bench.run;

import java.io.PrintStream;

/**
 * A progress bar on the terminal: redrawn in place when there is one, otherwise a line every
 * tenth (CI logs). Redraws at most once per percent.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final boolean terminal;
    private int shown = -1;

    public ProgressBar(PrintStream out, String label) {
        this.out = out;
        this.label = label;
        this.terminal = System.console() != null;
    }

    public void update(double fraction) {
        int percent = (int) Math.floor(Math.max(0, Math.min(1, fraction)) * 100);
        if (percent == shown || (!terminal && percent / 10 == shown / 10 && shown >= 0)) return;
        shown = percent;
        int filled = percent * WIDTH / 100;
        String bar = "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + String.format("%3d%% ", percent) + label;
        if (terminal) out.print("\r" + bar);
        else out.println(bar);
        out.flush();
    }

    /** Ends the bar with a closing note on the same line. */
    public void done(String note) {
        update(1);
        if (terminal) out.println(" " + note);
        else out.println("  " + label + ": " + note);
        out.flush();
    }
}
