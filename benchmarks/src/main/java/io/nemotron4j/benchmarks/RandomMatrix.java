package io.nemotron4j.benchmarks;

import io.nemotron4j.engine.tensor.GGMLType;
import io.nemotron4j.engine.tensor.Quantizer;
import io.nemotron4j.engine.tensor.TensorFormat;
import io.nemotron4j.engine.tensor.TensorFormats;
import io.nemotron4j.engine.tensor.WeightMatrix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/** Weight matrices and activations of a given shape filled with random values, for the kernel benchmarks. */
final class RandomMatrix {

    /** Distinct encoded rows; the rest repeat them, which costs the kernels the same and fills memory fast. */
    private static final int DISTINCT_ROWS = 16;

    private RandomMatrix() {
    }

    /**
     * A {@code rows x cols} matrix of {@code type} in off-heap memory owned by {@code arena}, read with the
     * Vector API kernels ({@code kernels = "vector"}, or whichever the engine picked when the module is absent)
     * or with the scalar ones ({@code "scalar"}). Columns are rounded up to whole blocks (4480 becomes 4608 for
     * the K-quants, whose blocks are 256 wide), as a quantizer would have to.
     */
    static WeightMatrix of(Arena arena, GGMLType type, String shape, String kernels) {
        int rows = rows(shape);
        int cols = Math.ceilDiv(cols(shape), type.blockSize()) * type.blockSize();
        long rowBytes = type.bytesFor(cols);
        MemorySegment data = arena.allocate(rows * rowBytes, 64);
        Random random = new Random(42);
        float[] row = new float[cols];
        for (int r = 0; r < Math.min(rows, DISTINCT_ROWS); r++) {
            for (int c = 0; c < cols; c++) {
                row[c] = (float) random.nextGaussian() * 0.05f;
            }
            Quantizer.quantize(type, row, 0, cols, data, r * rowBytes);
        }
        for (int r = DISTINCT_ROWS; r < rows; r++) {
            MemorySegment.copy(data, (r % DISTINCT_ROWS) * rowBytes, data, r * rowBytes, rowBytes);
        }
        TensorFormat format = switch (kernels) {
            case "vector" -> TensorFormats.forType(type);
            case "scalar" -> TensorFormats.scalarForType(type);
            default -> throw new IllegalArgumentException("kernels must be vector or scalar, got " + kernels);
        };
        return new WeightMatrix("bench", format, data, rows, cols);
    }

    /** {@code n} activation vectors of {@code cols} Gaussian values, row-major. */
    static float[] activations(int n, int cols) {
        Random random = new Random(7);
        float[] x = new float[n * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    private static int rows(String shape) {
        return Integer.parseInt(shape.substring(0, shape.indexOf('x')));
    }

    private static int cols(String shape) {
        return Integer.parseInt(shape.substring(shape.indexOf('x') + 1));
    }
}
