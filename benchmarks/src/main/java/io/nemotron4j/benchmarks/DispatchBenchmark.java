package io.nemotron4j.benchmarks;

import io.nemotron4j.engine.tensor.WorkerPool;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one {@link WorkerPool#run} costs beyond the work itself: a decode step makes about 200 of them, so this
 * overhead times 200 is the per-token price of splitting matmuls over threads. {@code empty} hands out a task
 * that does nothing; {@code spaced} does the same after some work on the calling thread alone (the norms and
 * scans between two matmuls), so the workers have gone back to waiting; {@code work} is that work alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DispatchBenchmark {

    @Param({"2"})
    public int threads;

    private WorkerPool pool;
    /** One counter per part, 16 ints (a cache line) apart so that the parts do not share a line. */
    private final int[] touched = new int[64];
    private final WorkerPool.Task task = (part, parts) -> touched[part * 16]++;

    @Setup
    public void setUp() {
        pool = new WorkerPool(threads);
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public void empty() {
        pool.run(task);
    }

    @Benchmark
    public double spaced() {
        double s = work();
        pool.run(task);
        return s;
    }

    @Benchmark
    public double work() {
        double s = 0;
        for (int i = 1; i <= 2000; i++) {
            s += 1.0 / i;
        }
        return s;
    }
}
