package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * A Q8_0 or Q4_0 format whose matmuls run in the {@link NativeKernels} on activations quantized to bytes, like
 * llama.cpp's CPU backend. Single dot products and decoding stay with the Java format it wraps.
 */
final class NativeInt8Format implements TensorFormat {

    private final TensorFormat java;
    private final NativeKernels kernels;

    NativeInt8Format(TensorFormat java, NativeKernels kernels) {
        if (java.type() != GGMLType.Q8_0 && java.type() != GGMLType.Q4_0) {
            throw new IllegalArgumentException("native int8 kernels exist for Q8_0 and Q4_0, not " + java.type());
        }
        this.java = java;
        this.kernels = kernels;
    }

    @Override
    public GGMLType type() {
        return java.type();
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        java.dequantize(src, byteOffset, dst, dstOffset, count);
    }

    @Override
    public float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count) {
        return java.dot(src, byteOffset, x, xOffset, count);
    }

    @Override
    public void matmul(MemorySegment w, long rowBytes, int cols, float[] x, int xStride, int n,
            float[] out, int outStride, int rowStart, int rowEnd) {
        if (rowStart == rowEnd) {
            return;
        }
        kernels.matmul(type(), w, rowBytes, cols, x, xStride, n, out, outStride, rowStart, rowEnd);
    }
}
