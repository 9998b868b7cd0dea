package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Plain Java arithmetic of the native int8 kernels, one row and one vector at a time, in double: the yardstick
 * {@link NativeKernelsTest} holds them to.
 */
final class Int8Oracle {

    private static final int BLOCK = 32;

    private Int8Oracle() {
    }

    /** Σ over blocks of d_w · d_x · Σ q_w · q_x, with x quantized as the kernels quantize it. */
    static double dot(GGMLType type, MemorySegment w, long offset, float[] x, int xOffset, int cols) {
        double sum = 0;
        for (double product : products(type, w, offset, x, xOffset, cols)) {
            sum += product;
        }
        return sum;
    }

    /** Σ over blocks of |d_w · d_x · q_w · q_x|: the size a float rounding error is relative to. */
    static double magnitude(GGMLType type, MemorySegment w, long offset, float[] x, int xOffset, int cols) {
        double sum = 0;
        for (double product : products(type, w, offset, x, xOffset, cols)) {
            sum += Math.abs(product);
        }
        return sum;
    }

    /**
     * Every element's d_w · d_x · q_w · q_x. Each is exact in double (two half-precision scales and two bytes), so
     * their sum matches the kernels' exact integer block sums to double rounding.
     */
    private static double[] products(GGMLType type, MemorySegment w, long offset, float[] x, int xOffset, int cols) {
        double[] products = new double[cols];
        for (int b = 0; b < cols / BLOCK; b++) {
            float[] xd = new float[1];
            int[] xq = quantize(x, xOffset + b * BLOCK, xd);
            long block = offset + b * type.blockBytes();
            for (int i = 0; i < BLOCK; i++) {
                products[b * BLOCK + i] = (double) scale(w, block) * xd[0] * weight(type, w, block, i) * xq[i];
            }
        }
        return products;
    }

    /**
     * How far the int8 result may be from the float one: each activation moves by at most half a quantization
     * step (plus the half-precision rounding of the scale), times the weight it meets.
     */
    static double roundingBound(GGMLType type, MemorySegment w, long offset, float[] x, int xOffset, int cols) {
        double bound = 0;
        for (int b = 0; b < cols / BLOCK; b++) {
            double amax = 0;
            for (int i = 0; i < BLOCK; i++) {
                amax = Math.max(amax, Math.abs(x[xOffset + b * BLOCK + i]));
            }
            long block = offset + b * type.blockBytes();
            double weights = 0;
            for (int i = 0; i < BLOCK; i++) {
                weights += Math.abs((double) scale(w, block) * weight(type, w, block, i));
            }
            bound += weights * (amax / 254 + amax * 1e-3);
        }
        return bound * 1.01 + 1e-6;
    }

    private static int[] quantize(float[] x, int offset, float[] scale) {
        float amax = 0;
        for (int i = 0; i < BLOCK; i++) {
            amax = Math.max(amax, Math.abs(x[offset + i]));
        }
        float d = amax / 127f;
        float id = d != 0f ? 127f / amax : 0f;
        int[] q = new int[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            q[i] = (int) Math.max(-128, Math.min(127, Math.rint(x[offset + i] * id)));
        }
        scale[0] = Float.float16ToFloat(Float.floatToFloat16(d));
        return q;
    }

    private static float scale(MemorySegment w, long block) {
        return Float.float16ToFloat(w.get(RandomBlocks.SHORT_LE, block));
    }

    private static int weight(GGMLType type, MemorySegment w, long block, int i) {
        return switch (type) {
            case Q8_0 -> w.get(ValueLayout.JAVA_BYTE, block + 2 + i);
            case Q4_0 -> {
                int packed = w.get(ValueLayout.JAVA_BYTE, block + 2 + (i % 16)) & 0xFF;
                yield (i < 16 ? packed & 0x0F : packed >>> 4) - 8;
            }
            default -> throw new IllegalArgumentException(type.toString());
        };
    }
}
