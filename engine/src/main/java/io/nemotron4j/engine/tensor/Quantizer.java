package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Encodes floats into any supported storage type, for the GGUF writer and the random-model generator.
 *
 * <p>F16 and BF16 round to nearest even. Q8_0, Q4_0 and Q5_0 follow ggml's reference quantizers, so they give
 * the same bytes llama.cpp would. The K-quants use a simpler one-pass scheme than llama.cpp's search (see
 * {@link KQuantizer}): valid blocks with a bounded error, not byte-identical ones.
 */
public final class Quantizer {

    private Quantizer() {
    }

    /**
     * Encodes {@code src[srcOffset .. srcOffset+count)} as {@code type} into {@code dst} at {@code dstOffset},
     * writing {@link #bytesFor bytesFor(type, count)} bytes.
     *
     * @throws UnsupportedOperationException if the engine does not support the type
     * @throws IllegalArgumentException if {@code count} is not a whole number of blocks
     */
    public static void quantize(GGMLType type, float[] src, int srcOffset, int count, MemorySegment dst,
            long dstOffset) {
        if (!TensorFormats.isSupported(type)) {
            throw TensorFormats.unsupported(type);
        }
        if (count % type.blockSize() != 0) {
            throw new IllegalArgumentException(count + " is not a whole number of " + type + " blocks");
        }
        switch (type) {
            case F32 -> MemorySegment.copy(src, srcOffset, dst, LittleEndian.FLOAT, dstOffset, count);
            case F16 -> eachBlock(type, src, srcOffset, count, dst, dstOffset,
                    (x, i, out, o) -> LittleEndian.putF16(out, o, x[i]));
            case BF16 -> eachBlock(type, src, srcOffset, count, dst, dstOffset,
                    (x, i, out, o) -> out.set(LittleEndian.SHORT, o, toBf16(x[i])));
            case Q8_0 -> eachBlock(type, src, srcOffset, count, dst, dstOffset, Quantizer::q8_0);
            case Q4_0 -> eachBlock(type, src, srcOffset, count, dst, dstOffset, Quantizer::q4_0);
            case Q5_0 -> eachBlock(type, src, srcOffset, count, dst, dstOffset, Quantizer::q5_0);
            case Q4_K -> eachBlock(type, src, srcOffset, count, dst, dstOffset, KQuantizer::q4_K);
            case Q5_K -> eachBlock(type, src, srcOffset, count, dst, dstOffset, KQuantizer::q5_K);
            case Q6_K -> eachBlock(type, src, srcOffset, count, dst, dstOffset, KQuantizer::q6_K);
            default -> throw TensorFormats.unsupported(type);
        }
    }

    /** Bytes that {@code elements} values of {@code type} occupy; see {@link GGMLType#bytesFor}. */
    public static long bytesFor(GGMLType type, long elements) {
        return type.bytesFor(elements);
    }

    /** Rounds to the nearest bfloat16, ties to even, keeping NaNs NaN (a quiet one) as ggml does. */
    static short toBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 64);
        }
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /** Encodes the one block of floats at {@code x[i..]} into the bytes at {@code out}. */
    @FunctionalInterface
    private interface BlockQuantizer {
        void quantize(float[] x, int i, MemorySegment dst, long out);
    }

    private static void eachBlock(GGMLType type, float[] src, int srcOffset, int count, MemorySegment dst,
            long dstOffset, BlockQuantizer block) {
        long out = dstOffset;
        for (int i = srcOffset; i < srcOffset + count; i += type.blockSize(), out += type.blockBytes()) {
            block.quantize(src, i, dst, out);
        }
    }

    private static void q8_0(float[] x, int i, MemorySegment dst, long out) {
        float amax = 0f;
        for (int j = 0; j < 32; j++) {
            amax = Math.max(amax, Math.abs(x[i + j]));
        }
        float d = amax / 127;
        float id = d != 0f ? 1f / d : 0f;
        LittleEndian.putF16(dst, out, d);
        for (int j = 0; j < 32; j++) {
            dst.set(ValueLayout.JAVA_BYTE, out + 2 + j, (byte) roundHalfAway(x[i + j] * id));
        }
    }

    private static void q4_0(float[] x, int i, MemorySegment dst, long out) {
        float d = signedAbsMax(x, i) / -8;
        float id = d != 0f ? 1f / d : 0f;
        LittleEndian.putF16(dst, out, d);
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) (x[i + j] * id + 8.5f));
            int hi = Math.min(15, (int) (x[i + 16 + j] * id + 8.5f));
            dst.set(ValueLayout.JAVA_BYTE, out + 2 + j, (byte) (lo | (hi << 4)));
        }
    }

    private static void q5_0(float[] x, int i, MemorySegment dst, long out) {
        float d = signedAbsMax(x, i) / -16;
        float id = d != 0f ? 1f / d : 0f;
        LittleEndian.putF16(dst, out, d);
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(31, (int) (x[i + j] * id + 16.5f));
            int hi = Math.min(31, (int) (x[i + 16 + j] * id + 16.5f));
            dst.set(ValueLayout.JAVA_BYTE, out + 6 + j, (byte) ((lo & 15) | ((hi & 15) << 4)));
            qh |= (lo >>> 4) << j;
            qh |= (hi >>> 4) << (j + 16);
        }
        dst.set(LittleEndian.INT, out + 2, qh);
    }

    /** The value of largest magnitude among the 32 at {@code i}, sign kept; the first one on ties. */
    private static float signedAbsMax(float[] x, int i) {
        float amax = 0f;
        float max = 0f;
        for (int j = 0; j < 32; j++) {
            if (amax < Math.abs(x[i + j])) {
                amax = Math.abs(x[i + j]);
                max = x[i + j];
            }
        }
        return max;
    }

    /** C's roundf: halves go away from zero (Math.round would send -2.5 to -2). */
    private static int roundHalfAway(float v) {
        return (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    }
}
