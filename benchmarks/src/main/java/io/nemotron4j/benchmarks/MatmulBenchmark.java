package io.nemotron4j.benchmarks;

import io.nemotron4j.engine.tensor.GGMLType;
import io.nemotron4j.engine.tensor.Matmul;
import io.nemotron4j.engine.tensor.WeightMatrix;
import io.nemotron4j.engine.tensor.WorkerPool;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Prefill's matrix-matrix product: {@code n} activation vectors against one weight matrix through
 * {@link Matmul}. The {@code gigaflops} counter counts 2·rows·cols·n operations per call, so JMH reports
 * GFLOP/s; prefill is meant to be limited by arithmetic, so this is the number to hold against the FMA peak.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatmulBenchmark {

    @Param({"Q8_0", "Q4_0", "Q5_0", "Q4_K", "Q5_K", "Q6_K", "F16", "BF16", "F32"})
    public GGMLType type;

    /** ROWSxCOLS: rows are outputs, columns inputs. */
    @Param({"4480x4480"})
    public String shape;

    @Param({"16", "64"})
    public int n;

    @Param({"vector", "scalar"})
    public String kernels;

    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private WorkerPool pool;
    private Matmul matmul;
    private WeightMatrix w;
    private float[] x;
    private float[] out;

    /** Floating-point operations in units of 10^9; JMH reports them per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gigaflops;

        @Setup(Level.Iteration)
        public void reset() {
            gigaflops = 0;
        }
    }

    @Setup
    public void setUp() {
        arena = Arena.ofShared();
        w = RandomMatrix.of(arena, type, shape, kernels);
        x = RandomMatrix.activations(n, w.cols());
        out = new float[n * w.rows()];
        pool = new WorkerPool(threads);
        matmul = new Matmul(pool);
    }

    @TearDown
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public float matmul(Flops flops) {
        matmul.multiply(w, x, n, out);
        flops.gigaflops += 2e-9 * w.rows() * w.cols() * n;
        return out[0];
    }
}
