package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One-pass encoders for the K-quant super-blocks of 256, simpler than llama.cpp's iterative search.
 *
 * <p>Every choice is made against the values the decoder will actually see: the super-scales are rounded to f16
 * first, the sub-block mins are quantized next, and only then is each sub-block's scale rounded <em>up</em> so
 * that its range still reaches the sub-block maximum from the quantized min. Each element then lands within half
 * a step of its value, except for the small rounding of the min itself.
 */
final class KQuantizer {

    private static final int BLOCK = 256;
    private static final int SUB = 32;

    private KQuantizer() {
    }

    static void q4_K(float[] x, int i, MemorySegment dst, long out) {
        byte[] block = new byte[144];
        MemorySegment b = MemorySegment.ofArray(block);
        int[] q = scaledWithMin(x, i, 15, b);
        for (int e = 0; e < BLOCK; e++) {
            int sub = e / SUB;
            block[16 + 32 * (sub / 2) + e % SUB] |= (byte) (q[e] << (4 * (sub % 2)));
        }
        MemorySegment.copy(b, 0, dst, out, block.length);
    }

    static void q5_K(float[] x, int i, MemorySegment dst, long out) {
        byte[] block = new byte[176];
        MemorySegment b = MemorySegment.ofArray(block);
        int[] q = scaledWithMin(x, i, 31, b);
        for (int e = 0; e < BLOCK; e++) {
            int sub = e / SUB;
            int l = e % SUB;
            block[48 + 32 * (sub / 2) + l] |= (byte) ((q[e] & 15) << (4 * (sub % 2)));
            block[16 + l] |= (byte) ((q[e] >>> 4) << sub);
        }
        MemorySegment.copy(b, 0, dst, out, block.length);
    }

    static void q6_K(float[] x, int i, MemorySegment dst, long out) {
        byte[] block = new byte[210];
        MemorySegment b = MemorySegment.ofArray(block);
        float[] groupScale = new float[16];
        float maxScale = 0f;
        for (int g = 0; g < 16; g++) {
            float amax = 0f;
            float max = 0f;
            for (int j = 0; j < 16; j++) {
                float v = x[i + 16 * g + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            // The extreme value maps to -32, the end of [-32, 31] that has room for it.
            groupScale[g] = max / -32;
            maxScale = Math.max(maxScale, amax / 32);
        }
        LittleEndian.putF16(b, 208, maxScale / 127);
        float d = LittleEndian.f16(b, 208);
        for (int g = 0; g < 16; g++) {
            int scale = d > 0f ? clamp(Math.round(groupScale[g] / d), -128, 127) : 0;
            block[192 + g] = (byte) scale;
            float step = d * scale;
            for (int j = 0; j < 16; j++) {
                int e = 16 * g + j;
                int v = step != 0f ? clamp(Math.round(x[i + e] / step), -32, 31) + 32 : 32;
                int half = e / 128;
                int quarter = (e % 128) / 32;
                int l = e % 32;
                block[64 * half + 32 * (quarter % 2) + l] |= (byte) ((v & 15) << (4 * (quarter / 2)));
                block[128 + 32 * half + l] |= (byte) ((v >>> 4) << (2 * quarter));
            }
        }
        MemorySegment.copy(b, 0, dst, out, block.length);
    }

    /**
     * Chooses and stores d, dmin and the packed 6-bit scales and mins of a Q4_K/Q5_K super-block (the layout
     * both share up to byte 16), and returns each element's quant in {@code [0, levels]}.
     */
    private static int[] scaledWithMin(float[] x, int i, int levels, MemorySegment block) {
        float[] low = new float[8];
        float[] high = new float[8];
        float maxScale = 0f;
        float maxMin = 0f;
        for (int k = 0; k < 8; k++) {
            // The decoder subtracts a non-negative min, so the range always includes zero from below.
            low[k] = 0f;
            high[k] = -Float.MAX_VALUE;
            for (int j = 0; j < SUB; j++) {
                low[k] = Math.min(low[k], x[i + SUB * k + j]);
                high[k] = Math.max(high[k], x[i + SUB * k + j]);
            }
            maxScale = Math.max(maxScale, (high[k] - low[k]) / levels);
            maxMin = Math.max(maxMin, -low[k]);
        }
        LittleEndian.putF16(block, 0, maxScale / 63);
        LittleEndian.putF16(block, 2, maxMin / 63);
        float d = LittleEndian.f16(block, 0);
        float dmin = LittleEndian.f16(block, 2);
        int[] scales = new int[8];
        int[] mins = new int[8];
        int[] q = new int[BLOCK];
        for (int k = 0; k < 8; k++) {
            mins[k] = dmin > 0f ? clamp(Math.round(-low[k] / dmin), 0, 63) : 0;
            float min = dmin * mins[k];
            scales[k] = d > 0f ? clamp((int) Math.ceil((high[k] + min) / levels / d), 0, 63) : 0;
            float step = d * scales[k];
            for (int j = 0; j < SUB; j++) {
                int e = SUB * k + j;
                q[e] = step > 0f ? clamp(Math.round((x[i + e] + min) / step), 0, levels) : 0;
            }
        }
        KScales.pack(scales, mins, block, 4);
        return q;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
