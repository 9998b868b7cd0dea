package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The test oracle for the {@link TensorFormat}s: each supported type decoded one element at a time, straight from
 * the ggml block layout, sharing no code with the formats so that a slip in one is not mirrored in the other.
 * Slow by design; not for production paths.
 */
public final class ScalarReference {

    private static final ValueLayout.OfShort U16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ScalarReference() {
    }

    /**
     * Decodes {@code count} elements of {@code type} stored at {@code byteOffset} into {@code dst[dstOffset..]}.
     *
     * @throws UnsupportedOperationException if the type is not one the engine supports
     * @throws IllegalArgumentException if {@code count} is not a whole number of blocks
     */
    public static void dequantize(GGMLType type, MemorySegment src, long byteOffset, float[] dst, int dstOffset,
            int count) {
        if (count % type.blockSize() != 0) {
            throw new IllegalArgumentException(count + " is not a whole number of " + type + " blocks");
        }
        for (int e = 0; e < count; e++) {
            long block = byteOffset + (long) (e / type.blockSize()) * type.blockBytes();
            dst[dstOffset + e] = element(type, src, block, e % type.blockSize());
        }
    }

    /** Σ w[i]·x[xOffset+i], dequantizing first and summing in double. */
    public static float dot(GGMLType type, MemorySegment src, long byteOffset, float[] x, int xOffset, int count) {
        float[] w = new float[count];
        dequantize(type, src, byteOffset, w, 0, count);
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += (double) w[i] * x[xOffset + i];
        }
        return (float) sum;
    }

    private static float element(GGMLType type, MemorySegment s, long block, int e) {
        return switch (type) {
            case F32 -> s.get(FLOAT, block);
            case F16 -> Float.float16ToFloat(s.get(U16, block));
            case BF16 -> Float.intBitsToFloat((s.get(U16, block) & 0xFFFF) << 16);
            case Q8_0 -> f16(s, block) * s.get(ValueLayout.JAVA_BYTE, block + 2 + e);
            case Q4_0 -> q4_0(s, block, e);
            case Q5_0 -> q5_0(s, block, e);
            case Q4_K -> q4_K(s, block, e);
            case Q5_K -> q5_K(s, block, e);
            case Q6_K -> q6_K(s, block, e);
            default -> throw new UnsupportedOperationException("no reference for " + type);
        };
    }

    private static float q4_0(MemorySegment s, long block, int e) {
        int b = u8(s, block + 2 + e % 16);
        int nibble = e < 16 ? b & 15 : b >> 4;
        return f16(s, block) * (nibble - 8);
    }

    private static float q5_0(MemorySegment s, long block, int e) {
        int qh = s.get(U32, block + 2);
        int b = u8(s, block + 6 + e % 16);
        int nibble = e < 16 ? b & 15 : b >> 4;
        int v = nibble | (((qh >>> e) & 1) << 4);
        return f16(s, block) * (v - 16);
    }

    private static float q4_K(MemorySegment s, long block, int e) {
        int sub = e / 32;
        int b = u8(s, block + 16 + 32 * (sub / 2) + e % 32);
        int nibble = sub % 2 == 0 ? b & 15 : b >> 4;
        return f16(s, block) * kScale(s, block + 4, sub) * nibble - f16(s, block + 2) * kMin(s, block + 4, sub);
    }

    private static float q5_K(MemorySegment s, long block, int e) {
        int sub = e / 32;
        int l = e % 32;
        int b = u8(s, block + 48 + 32 * (sub / 2) + l);
        int nibble = sub % 2 == 0 ? b & 15 : b >> 4;
        int fifth = (u8(s, block + 16 + l) >> sub) & 1;
        int v = nibble | (fifth << 4);
        return f16(s, block) * kScale(s, block + 4, sub) * v - f16(s, block + 2) * kMin(s, block + 4, sub);
    }

    private static float q6_K(MemorySegment s, long block, int e) {
        int half = e / 128;
        int quarter = (e % 128) / 32;
        int l = e % 32;
        int lowByte = u8(s, block + 64 * half + 32 * (quarter % 2) + l);
        int nibble = quarter < 2 ? lowByte & 15 : lowByte >> 4;
        int highBits = (u8(s, block + 128 + 32 * half + l) >> (2 * quarter)) & 3;
        int v = (nibble | (highBits << 4)) - 32;
        int scale = s.get(ValueLayout.JAVA_BYTE, block + 192 + e / 16);
        return f16(s, block + 208) * scale * v;
    }

    private static int kScale(MemorySegment s, long scales, int k) {
        if (k < 4) {
            return u8(s, scales + k) & 63;
        }
        return (u8(s, scales + k + 4) & 15) | ((u8(s, scales + k - 4) >> 6) << 4);
    }

    private static int kMin(MemorySegment s, long scales, int k) {
        if (k < 4) {
            return u8(s, scales + k + 4) & 63;
        }
        return (u8(s, scales + k + 4) >> 4) | ((u8(s, scales + k) >> 6) << 4);
    }

    private static float f16(MemorySegment s, long offset) {
        return Float.float16ToFloat(s.get(U16, offset));
    }

    private static int u8(MemorySegment s, long offset) {
        return s.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }
}
