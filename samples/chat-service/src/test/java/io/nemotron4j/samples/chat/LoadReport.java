package io.nemotron4j.samples.chat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.json.JsonMapper;

/**
 * What a load test measured: per outcome (status and kind of request) the count and the percentiles of total latency
 * and, for streams, of the time to the first token; requests and generated tokens per second; the heap before and
 * after. Printed as a table and written as JSON.
 */
final class LoadReport {

    /**
     * One request as the client saw it.
     * @param outcome e.g. {@code 200 stream}
     * @param totalNanos from sending to the last byte
     * @param firstTokenNanos from sending to the first reasoning or answer event, -1 when there was none
     * @param tokens tokens the model generated for it (0 for refusals)
     */
    record Sample(String outcome, long totalNanos, long firstTokenNanos, long tokens) {
    }

    private static final double[] PERCENTILES = { 50, 90, 99, 100 };

    private final Map<String, Object> summary = new LinkedHashMap<>();

    private final Map<String, long[][]> table = new TreeMap<>();

    LoadReport(int clients, Duration duration, List<Sample> samples, long heapBefore, long heapAfter) {
        double seconds = duration.toMillis() / 1000.0;
        long tokens = samples.stream().mapToLong(Sample::tokens).sum();
        this.summary.put("clients", clients);
        this.summary.put("seconds", seconds);
        this.summary.put("requests", samples.size());
        this.summary.put("requestsPerSecond", round(samples.size() / seconds));
        this.summary.put("tokensGenerated", tokens);
        this.summary.put("tokensPerSecond", round(tokens / seconds));
        this.summary.put("heapAfterWarmUpBytes", heapBefore);
        this.summary.put("heapAtEndBytes", heapAfter);
        Map<String, Object> outcomes = new LinkedHashMap<>();
        samples.stream().map(Sample::outcome).distinct().sorted().forEach((outcome) -> {
            List<Sample> these = samples.stream().filter((s) -> s.outcome().equals(outcome)).toList();
            long[] total = percentilesMillis(these.stream().mapToLong(Sample::totalNanos).toArray());
            long[] first = percentilesMillis(these.stream().mapToLong(Sample::firstTokenNanos)
                .filter((nanos) -> nanos >= 0).toArray());
            this.table.put(outcome, new long[][] { { these.size() }, total, first });
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("count", these.size());
            entry.put("totalMs", named(total));
            entry.put("firstTokenMs", (first.length == 0) ? null : named(first));
            outcomes.put(outcome, entry);
        });
        this.summary.put("outcomes", outcomes);
    }

    /** The summary as a readable table. */
    String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%d clients for %.1f s: %d requests (%.1f/s), %d tokens generated (%.1f/s); "
                + "heap after GC %s after warm-up, %s at the end%n", this.summary.get("clients"),
                this.summary.get("seconds"), this.summary.get("requests"), this.summary.get("requestsPerSecond"),
                this.summary.get("tokensGenerated"), this.summary.get("tokensPerSecond"),
                mib((Long) this.summary.get("heapAfterWarmUpBytes")), mib((Long) this.summary.get("heapAtEndBytes"))));
        out.append(String.format("%-12s %7s | %-31s | %-31s%n", "outcome", "count", "total latency, ms",
                "time to first token, ms"));
        out.append(String.format("%-12s %7s | %7s %7s %7s %7s | %7s %7s %7s %7s%n", "", "", "p50", "p90", "p99", "max",
                "p50", "p90", "p99", "max"));
        this.table.forEach((outcome, row) -> {
            out.append(String.format("%-12s %7d | %7d %7d %7d %7d |", outcome, row[0][0], row[1][0], row[1][1],
                    row[1][2], row[1][3]));
            out.append((row[2].length == 0) ? String.format(" %7s %7s %7s %7s%n", "-", "-", "-", "-")
                    : String.format(" %7d %7d %7d %7d%n", row[2][0], row[2][1], row[2][2], row[2][3]));
        });
        return out.toString();
    }

    /** Writes the summary as JSON. */
    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, JsonMapper.builder().build().writerWithDefaultPrettyPrinter()
            .writeValueAsString(this.summary));
    }

    /** Nearest-rank percentiles in whole milliseconds; empty when there are no values. */
    private static long[] percentilesMillis(long[] nanos) {
        if (nanos.length == 0) {
            return new long[0];
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        long[] result = new long[PERCENTILES.length];
        for (int i = 0; i < PERCENTILES.length; i++) {
            int rank = (int) Math.ceil(PERCENTILES[i] / 100 * sorted.length);
            result[i] = Math.round(sorted[Math.max(0, rank - 1)] / 1e6);
        }
        return result;
    }

    private static Map<String, Long> named(long[] millis) {
        Map<String, Long> named = new LinkedHashMap<>();
        named.put("p50", millis[0]);
        named.put("p90", millis[1]);
        named.put("p99", millis[2]);
        named.put("max", millis[3]);
        return named;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }

}
