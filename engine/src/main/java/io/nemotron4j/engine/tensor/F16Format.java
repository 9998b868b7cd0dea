package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;

/** IEEE half-precision floats. */
final class F16Format extends DecodingFormat {

    @Override
    public GGMLType type() {
        return GGMLType.F16;
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = LittleEndian.f16(src, byteOffset + 2L * i);
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
            s0 += Float.float16ToFloat((short) v) * x[xOffset + i];
            s1 += Float.float16ToFloat((short) (v >>> 16)) * x[xOffset + i + 1];
            s2 += Float.float16ToFloat((short) (v >>> 32)) * x[xOffset + i + 2];
            s3 += Float.float16ToFloat((short) (v >>> 48)) * x[xOffset + i + 3];
        }
        for (; i < count; i++) {
            s0 += LittleEndian.f16(src, byteOffset + 2L * i) * x[xOffset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
