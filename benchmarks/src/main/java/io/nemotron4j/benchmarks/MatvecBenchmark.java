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
 * Decode's matrix-vector product ({@code n = 1}) through {@link Matmul}, as the forward pass calls it. The
 * {@code gigabytes} counter is the rate at which weight bytes are consumed (GB/s): decode is meant to be
 * limited by memory bandwidth, so this is the number to hold against a STREAM-like read rate. The default
 * shape is Nano-9B-v2's Mamba in_proj (22656 x 4480), far larger than the last-level cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatvecBenchmark {

    @Param({"Q8_0", "Q4_0", "Q5_0", "Q4_K", "Q5_K", "Q6_K", "F16", "BF16", "F32"})
    public GGMLType type;

    /** ROWSxCOLS: rows are outputs, columns inputs. */
    @Param({"22656x4480"})
    public String shape;

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

    /** Weight gigabytes consumed; JMH reports it per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public double gigabytes;

        @Setup(Level.Iteration)
        public void reset() {
            gigabytes = 0;
        }
    }

    @Setup
    public void setUp() {
        arena = Arena.ofShared();
        w = RandomMatrix.of(arena, type, shape, kernels);
        x = RandomMatrix.activations(1, w.cols());
        out = new float[w.rows()];
        pool = new WorkerPool(threads);
        matmul = new Matmul(pool);
    }

    @TearDown
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public float matvec(Bytes bytes) {
        matmul.multiply(w, x, 1, out);
        bytes.gigabytes += w.data().byteSize() * 1e-9;
        return out[0];
    }
}
