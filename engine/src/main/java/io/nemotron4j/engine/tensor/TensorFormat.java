package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Reads one storage type: turns its blocks back into floats and takes dot products with float vectors
 * straight from the encoded bytes, without materialising the weights.
 *
 * <p>Offsets are in bytes into the segment and must fall on a block boundary; counts are in elements and must
 * be whole blocks. Implementations are stateless and thread-safe; every one has a plain scalar twin in
 * {@link ScalarReference} that tests hold it to.
 */
public interface TensorFormat {

    /** The storage type this format reads. */
    GGMLType type();

    /** Decodes {@code count} elements starting at {@code byteOffset} into {@code dst[dstOffset..]}. */
    void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count);

    /** Σ w[i]·x[xOffset+i] over the {@code count} elements stored at {@code byteOffset}. */
    float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count);

    /**
     * Matrix times several vectors for rows {@code [rowStart, rowEnd)} of a row-major weight matrix:
     * {@code out[t*outStride + r] = row(r) · x[t*xStride ..]} for {@code t < n}.
     *
     * <p>This is the one entry point every matmul goes through (a decode step passes n = 1, prefill and batched
     * sequences pass more), so a format can load each weight block once for all n vectors.
     */
    default void matmul(MemorySegment w, long rowBytes, int cols, float[] x, int xStride, int n,
            float[] out, int outStride, int rowStart, int rowEnd) {
        for (int r = rowStart; r < rowEnd; r++) {
            long offset = r * rowBytes;
            for (int t = 0; t < n; t++) {
                out[t * outStride + r] = dot(w, offset, x, t * xStride, cols);
            }
        }
    }
}
