package io.scasml.spark.job;

import java.io.PrintWriter;
import java.util.Locale;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;

/**
 * A one-line console progress report on stderr: work units done / total, Monte Carlo paths per second and an ETA.
 * Driven by task ends (a {@link SparkListener}); the counts come from accumulators the simulation tasks add to.
 * On a terminal the line is redrawn in place; otherwise a line is printed at most every 10 seconds.
 */
public final class ProgressReporter extends SparkListener {
    private final LongAccumulator units;
    private final LongAccumulator paths;
    private final long totalUnits;
    private final PrintWriter err;
    private final boolean tty;
    private final long start = System.nanoTime();
    private volatile boolean enabled = true;
    private long lastPrint;
    private boolean drewInPlace;

    public ProgressReporter(LongAccumulator units, LongAccumulator paths, long totalUnits, PrintWriter err) {
        this.units = units;
        this.paths = paths;
        this.totalUnits = totalUnits;
        this.err = err;
        this.tty = System.console() != null;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (units.value() == 0) {
            return; // still reading and validating
        }
        synchronized (this) {
            if (now - lastPrint < (tty ? 250_000_000L : 10_000_000_000L)) {
                return;
            }
            lastPrint = now;
            String line = line(now);
            if (tty) {
                err.print("\r" + line + "   ");
                drewInPlace = true;
            } else {
                err.println(line);
            }
            err.flush();
        }
    }

    /** The current progress line. */
    public String line(long now) {
        long done = Math.min(units.value(), totalUnits);
        double secs = (now - start) / 1e9;
        double rate = secs > 0 ? paths.value() / secs : 0;
        String eta = done > 0 && done < totalUnits
            ? String.format(Locale.ROOT, ", ETA %.0f s", secs * (totalUnits - done) / done) : "";
        return String.format(Locale.ROOT, "scasml: %d/%d work units (%.0f%%), %.3g paths/s, %.0f s elapsed%s",
            done, totalUnits, totalUnits == 0 ? 100.0 : 100.0 * done / totalUnits, rate, secs, eta);
    }

    /** Stops reporting and ends an in-place line. */
    public synchronized void close() {
        enabled = false;
        if (drewInPlace) {
            err.println();
            err.flush();
        }
    }
}
