package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Q6_K: super-blocks of 256 six-bit values offset by 32, with a signed 8-bit scale per 16 elements and the f16
 * super-scale last. Each half of 128 elements draws on 64 low-nibble bytes and 32 high-bit bytes: for l &lt; 32,
 * byte l of the nibbles feeds elements l (low nibble) and l+64 (high), byte l+32 feeds l+32 and l+96, and the
 * four 2-bit fields of high-bit byte l top up l, l+32, l+64 and l+96 in that order.
 */
final class Q6_KFormat extends DecodingFormat {

    private static final int BLOCK = 256;
    private static final int BLOCK_BYTES = 210;
    private static final int QH = 128;
    private static final int SCALES = QH + 64;
    private static final int D = SCALES + 16;

    @Override
    public GGMLType type() {
        return GGMLType.Q6_K;
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            float d = LittleEndian.f16(src, block + D);
            for (int half = 0; half < 2; half++) {
                for (int k = 0; k < 4; k++) {
                    long ql = src.get(LittleEndian.LONG, block + 64 * half + 8 * k);
                    long qlUpper = src.get(LittleEndian.LONG, block + 64 * half + 32 + 8 * k);
                    long qh = src.get(LittleEndian.LONG, block + QH + 32 * half + 8 * k);
                    int group = 8 * half + k / 2;
                    float s0 = d * scale(src, block, group);
                    float s1 = d * scale(src, block, group + 2);
                    float s2 = d * scale(src, block, group + 4);
                    float s3 = d * scale(src, block, group + 6);
                    int o = dstOffset + e + 128 * half + 8 * k;
                    for (int j = 0; j < 8; j++) {
                        dst[o + j] = s0 * (Lanes.quant(ql, qh, 3, j) - 32);
                        dst[o + 32 + j] = s1 * (Lanes.quant(qlUpper, qh >>> 2, 3, j) - 32);
                        dst[o + 64 + j] = s2 * (Lanes.quant(ql >>> 4, qh >>> 4, 3, j) - 32);
                        dst[o + 96 + j] = s3 * (Lanes.quant(qlUpper >>> 4, qh >>> 6, 3, j) - 32);
                    }
                }
            }
        }
    }

    @Override
    public float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count) {
        float sum = 0f;
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            float scaled = 0f;
            for (int half = 0; half < 2; half++) {
                for (int g = 0; g < 2; g++) {
                    float a0 = 0f;
                    float a1 = 0f;
                    float a2 = 0f;
                    float a3 = 0f;
                    for (int k = 2 * g; k < 2 * g + 2; k++) {
                        long ql = src.get(LittleEndian.LONG, block + 64 * half + 8 * k);
                        long qlUpper = src.get(LittleEndian.LONG, block + 64 * half + 32 + 8 * k);
                        long qh = src.get(LittleEndian.LONG, block + QH + 32 * half + 8 * k);
                        int i = xOffset + e + 128 * half + 8 * k;
                        a0 += Lanes.quantDot(ql, qh, 3, 32, x, i);
                        a1 += Lanes.quantDot(qlUpper, qh >>> 2, 3, 32, x, i + 32);
                        a2 += Lanes.quantDot(ql >>> 4, qh >>> 4, 3, 32, x, i + 64);
                        a3 += Lanes.quantDot(qlUpper >>> 4, qh >>> 6, 3, 32, x, i + 96);
                    }
                    int group = 8 * half + g;
                    scaled += scale(src, block, group) * a0 + scale(src, block, group + 2) * a1
                            + scale(src, block, group + 4) * a2 + scale(src, block, group + 6) * a3;
                }
            }
            sum += LittleEndian.f16(src, block + D) * scaled;
        }
        return sum;
    }

    private static int scale(MemorySegment src, long block, int group) {
        return src.get(ValueLayout.JAVA_BYTE, block + SCALES + group);
    }
}
