package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Base of the formats whose weights cost more to decode than to multiply. With one vector, matmul is a row of
 * {@link #dot} calls; with several, each stretch of a row is decoded once into a small buffer and reused for
 * every vector, so prefill does not decode the same weights once per token.
 */
abstract class DecodingFormat implements TensorFormat {

    /** Elements decoded at a time: a whole number of blocks for every type, and small enough to stay in L1. */
    private static final int CHUNK = 256;

    /** Per-thread decode buffer, so that matmul allocates nothing once a worker thread has warmed up. */
    private static final ThreadLocal<float[]> BUFFER = ThreadLocal.withInitial(() -> new float[CHUNK]);

    @Override
    public void matmul(MemorySegment w, long rowBytes, int cols, float[] x, int xStride, int n,
            float[] out, int outStride, int rowStart, int rowEnd) {
        if (n == 1) {
            for (int r = rowStart; r < rowEnd; r++) {
                out[r] = dot(w, r * rowBytes, x, 0, cols);
            }
            return;
        }
        long chunkBytes = type().bytesFor(CHUNK);
        float[] weights = BUFFER.get();
        for (int r = rowStart; r < rowEnd; r++) {
            for (int t = 0; t < n; t++) {
                out[t * outStride + r] = 0f;
            }
            long offset = r * rowBytes;
            for (int c = 0; c < cols; c += CHUNK, offset += chunkBytes) {
                int len = Math.min(CHUNK, cols - c);
                dequantize(w, offset, weights, 0, len);
                for (int t = 0; t < n; t++) {
                    out[t * outStride + r] += floatDot(weights, x, t * xStride + c, len);
                }
            }
        }
    }

    private static float floatDot(float[] w, float[] x, int xOffset, int len) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (; i + 4 <= len; i += 4) {
            s0 += w[i] * x[xOffset + i];
            s1 += w[i + 1] * x[xOffset + i + 1];
            s2 += w[i + 2] * x[xOffset + i + 2];
            s3 += w[i + 3] * x[xOffset + i + 3];
        }
        for (; i < len; i++) {
            s0 += w[i] * x[xOffset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
