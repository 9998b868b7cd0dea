package io.nemotron4j.engine.cli;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CountDownLatch;

/**
 * A STREAM-like read test: threads sum disjoint parts of a buffer far larger than the caches, and the best of a few
 * passes gives the bytes per second this machine's memory delivers to that many threads. It is the ceiling decode
 * speed is measured against, since decoding reads every weight once per token.
 */
final class MemoryBandwidth {

    /** How a thread reads its part: 64 bytes per load with the Vector API, which a scalar loop cannot match. */
    private static final Reader READER = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            ? new VectorReader() : MemoryBandwidth::scalarSum;

    /** Sums the longs {@code [from, to)} of a segment, so that none of the reads can be left out. */
    interface Reader {
        long sum(MemorySegment buffer, long from, long to);
    }

    private MemoryBandwidth() {
    }

    private static long scalarSum(MemorySegment buffer, long from, long to) {
        // Four independent sums so the adds do not serialise on one register.
        long a = 0;
        long b = 0;
        long c = 0;
        long d = 0;
        long i = from;
        for (; i + 4 <= to; i += 4) {
            a += buffer.getAtIndex(ValueLayout.JAVA_LONG, i);
            b += buffer.getAtIndex(ValueLayout.JAVA_LONG, i + 1);
            c += buffer.getAtIndex(ValueLayout.JAVA_LONG, i + 2);
            d += buffer.getAtIndex(ValueLayout.JAVA_LONG, i + 3);
        }
        return a + b + c + d;
    }

    /** Read bandwidth in bytes per second with {@code threads} readers over {@code bytes} of memory. */
    static double measure(int threads, long bytes, int passes) throws InterruptedException {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buffer = arena.allocate(bytes, 64);
            buffer.fill((byte) 1);
            double best = 0;
            for (int p = 0; p < passes; p++) {
                best = Math.max(best, pass(buffer, threads));
            }
            return best;
        }
    }

    private static double pass(MemorySegment buffer, int threads) throws InterruptedException {
        long words = buffer.byteSize() / Long.BYTES;
        long[] sums = new long[threads * 8];
        CountDownLatch start = new CountDownLatch(1);
        Thread[] readers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            long from = words * t / threads;
            long to = words * (t + 1) / threads;
            readers[t] = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                sums[index * 8] = READER.sum(buffer, from, to);
            });
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread r : readers) {
            r.join();
        }
        long elapsed = System.nanoTime() - t0;
        long check = 0;
        for (long s : sums) {
            check += s;
        }
        if (check == 42) {
            // Consume the sums so the reads cannot be optimised away.
            System.out.print("");
        }
        return buffer.byteSize() / (elapsed / 1e9);
    }
}
