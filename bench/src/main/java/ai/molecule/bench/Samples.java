package ai.molecule.bench;

import java.util.Arrays;

/** Latencies in nanoseconds, summarised as p50 / p90 / p99 / max / mean in milliseconds. */
final class Samples {
    private long[] nanos = new long[1024];
    private int n;

    synchronized void add(long ns) {
        if (n == nanos.length) nanos = Arrays.copyOf(nanos, n * 2);
        nanos[n++] = ns;
    }

    synchronized int count() {
        return n;
    }

    synchronized double percentileMs(double p) {
        if (n == 0) return Double.NaN;
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, i))] / 1e6;
    }

    synchronized double meanMs() {
        if (n == 0) return Double.NaN;
        double sum = 0;
        for (int i = 0; i < n; i++) sum += nanos[i];
        return sum / n / 1e6;
    }

    String summary() {
        return String.format("p50 %7.3f  p90 %7.3f  p99 %7.3f  max %8.3f  mean %7.3f ms",
                percentileMs(50), percentileMs(90), percentileMs(99), percentileMs(100), meanMs());
    }
}
