package io.nemotron4j.engine.tensor;

import static io.nemotron4j.engine.tensor.VectorShapes.L;

import java.lang.foreign.MemorySegment;

/**
 * Base of the Vector API formats. Decode ({@code n = 1}) is one fused dequantize-and-dot per row, streaming each
 * weight byte once; several vectors go through {@link BlockedMatmul}, which decodes each stretch of weights once
 * with {@link #decode} and reuses it for every vector.
 *
 * <p>Two rules keep the kernels fast and allocation-free wherever the JIT puts them:
 * <ul>
 *   <li>No method of ours takes or returns a vector. The JIT may inline a kernel into a caller that has rarely
 *       run it and then leave that caller's small helpers out of line; a vector crossing such a call is boxed,
 *       every time. The Vector API's own methods are always inlined.</li>
 *   <li>An accumulator becomes a float by storing its lanes and adding them from lane 0 up ({@link #sum}), never
 *       with {@code reduceLanes}, whose order differs between the JIT's intrinsic and the interpreter: results
 *       then do not depend on which thread or compilation tier computed them.</li>
 *   <li>The K-quants unpack a super-block's scales into the scratch array with one call, not one per use: their
 *       kernels are large enough that the JIT stops inlining inside them, and sixteen out-of-line calls per 256
 *       weights cost more than the arithmetic.</li>
 * </ul>
 *
 * <p>{@link #dequantize} stays with the scalar twin: outside the matmul it only serves one-off decodes such as an
 * embedding row per token, and vector code that runs that rarely stays interpreted, where every vector operation
 * allocates.
 */
abstract class VectorFormat implements TensorFormat {

    /** Room in a kernel's scratch, after the accumulator's {@link VectorShapes#L} lanes, for 16 scales. */
    static final int SCALES = 16;

    /** Per-thread kernel scratch: one accumulator's lanes, then a super-block's unpacked scales. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(VectorFormat::scratch);

    private final TensorFormat scalar;

    VectorFormat(TensorFormat scalar) {
        this.scalar = scalar;
    }

    @Override
    public GGMLType type() {
        return scalar.type();
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        scalar.dequantize(src, byteOffset, dst, dstOffset, count);
    }

    /** A new kernel scratch array: {@link VectorShapes#L} lanes and {@link #SCALES} scales. */
    static float[] scratch() {
        return new float[L + SCALES];
    }

    /**
     * {@link #dequantize} with the Vector API, giving the same floats bit for bit; {@code scratch} comes from
     * {@link #scratch()}.
     */
    abstract void decode(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count, float[] scratch);

    @Override
    public float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count) {
        return dot(src, byteOffset, x, xOffset, count, SCRATCH.get());
    }

    /** {@link #dot}, with a {@link #scratch} array to reduce the accumulator and unpack scales in. */
    abstract float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count, float[] scratch);

    @Override
    public void matmul(MemorySegment w, long rowBytes, int cols, float[] x, int xStride, int n,
            float[] out, int outStride, int rowStart, int rowEnd) {
        if (n == 1) {
            float[] scratch = SCRATCH.get();
            for (int r = rowStart; r < rowEnd; r++) {
                out[r] = dot(w, r * rowBytes, x, 0, cols, scratch);
            }
            return;
        }
        BlockedMatmul.multiply(this, w, rowBytes, cols, x, xStride, n, out, outStride, rowStart, rowEnd);
    }

    /** {@code lanes[offset] + lanes[offset+1] + … + lanes[offset+L-1]}, added in that order. */
    static float sum(float[] lanes, int offset) {
        float s = lanes[offset];
        for (int i = 1; i < L; i++) {
            s += lanes[offset + i];
        }
        return s;
    }
}
