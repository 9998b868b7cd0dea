package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;

/** Plain little-endian 32-bit floats. */
final class F32Format implements TensorFormat {

    @Override
    public GGMLType type() {
        return GGMLType.F32;
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        MemorySegment.copy(src, LittleEndian.FLOAT, byteOffset, dst, dstOffset, count);
    }

    @Override
    public float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (long p = byteOffset; i + 4 <= count; i += 4, p += 16) {
            s0 += src.get(LittleEndian.FLOAT, p) * x[xOffset + i];
            s1 += src.get(LittleEndian.FLOAT, p + 4) * x[xOffset + i + 1];
            s2 += src.get(LittleEndian.FLOAT, p + 8) * x[xOffset + i + 2];
            s3 += src.get(LittleEndian.FLOAT, p + 12) * x[xOffset + i + 3];
        }
        for (; i < count; i++) {
            s0 += src.get(LittleEndian.FLOAT, byteOffset + 4L * i) * x[xOffset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
