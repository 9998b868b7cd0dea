package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;

/** Q8_0: blocks of 32 signed bytes sharing one f16 scale. */
final class Q8_0Format extends DecodingFormat {

    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 34;

    @Override
    public GGMLType type() {
        return GGMLType.Q8_0;
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            float d = LittleEndian.f16(src, block);
            for (int k = 0; k < 4; k++) {
                long v = src.get(LittleEndian.LONG, block + 2 + 8 * k);
                int o = dstOffset + e + 8 * k;
                for (int j = 0; j < 8; j++) {
                    dst[o + j] = d * (byte) (v >>> (j << 3));
                }
            }
        }
    }

    @Override
    public float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count) {
        float sum = 0f;
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            int i = xOffset + e;
            float s = Lanes.signedByteDot(src.get(LittleEndian.LONG, block + 2), x, i)
                    + Lanes.signedByteDot(src.get(LittleEndian.LONG, block + 10), x, i + 8)
                    + Lanes.signedByteDot(src.get(LittleEndian.LONG, block + 18), x, i + 16)
                    + Lanes.signedByteDot(src.get(LittleEndian.LONG, block + 26), x, i + 24);
            sum += LittleEndian.f16(src, block) * s;
        }
        return sum;
    }
}
