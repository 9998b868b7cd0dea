package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;

/** bfloat16: the upper half of an IEEE single, so decoding is a shift. */
final class BF16Format extends DecodingFormat {

    @Override
    public GGMLType type() {
        return GGMLType.BF16;
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = Float.intBitsToFloat(src.get(LittleEndian.SHORT, byteOffset + 2L * i) << 16);
        }
    }

    @Override
    public float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (long p = byteOffset; i + 4 <= count; i += 4, p += 8) {
            long v = src.get(LittleEndian.LONG, p);
            s0 += Float.intBitsToFloat((int) v << 16) * x[xOffset + i];
            s1 += Float.intBitsToFloat((int) (v >>> 16) << 16) * x[xOffset + i + 1];
            s2 += Float.intBitsToFloat((int) (v >>> 32) << 16) * x[xOffset + i + 2];
            s3 += Float.intBitsToFloat((int) (v >>> 48) << 16) * x[xOffset + i + 3];
        }
        for (; i < count; i++) {
            s0 += Float.intBitsToFloat(src.get(LittleEndian.SHORT, byteOffset + 2L * i) << 16) * x[xOffset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
