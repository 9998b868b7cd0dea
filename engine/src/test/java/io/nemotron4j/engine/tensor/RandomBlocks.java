package io.nemotron4j.engine.tensor;

import static org.assertj.core.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;

/** Random encoded tensors and the comparisons the format tests share. */
final class RandomBlocks {

    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private RandomBlocks() {
    }

    /**
     * Fills {@code blocks} blocks of {@code type} at {@code offset} with random bytes. When {@code sane}, every
     * float field (the f16 scales, or each element of a float type) is overwritten with a finite value of
     * moderate magnitude, so that sums are finite and comparable.
     */
    static void fill(GGMLType type, MemorySegment dst, long offset, int blocks, Random random, boolean sane) {
        byte[] bytes = new byte[Math.toIntExact(type.bytesFor((long) blocks * type.blockSize()))];
        random.nextBytes(bytes);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, dst, offset, bytes.length);
        if (!sane) {
            return;
        }
        for (int b = 0; b < blocks; b++) {
            long block = offset + (long) b * type.blockBytes();
            switch (type) {
                case F32 -> dst.set(FLOAT_LE, block, (float) random.nextGaussian());
                case F16 -> dst.set(SHORT_LE, block, Float.floatToFloat16(saneFloat(random)));
                case BF16 -> dst.set(SHORT_LE, block, (short) (Float.floatToIntBits(saneFloat(random)) >>> 16));
                case Q8_0, Q4_0, Q5_0 -> dst.set(SHORT_LE, block, saneF16(random));
                case Q4_K, Q5_K -> {
                    dst.set(SHORT_LE, block, saneF16(random));
                    dst.set(SHORT_LE, block + 2, saneF16(random));
                }
                case Q6_K -> dst.set(SHORT_LE, block + 208, saneF16(random));
                default -> throw new IllegalArgumentException("no layout for " + type);
            }
        }
    }

    /** A random finite f16 scale of either sign, between 2^-10 and 2^4 in magnitude. */
    static short saneF16(Random random) {
        return Float.floatToFloat16(saneFloat(random));
    }

    static float saneFloat(Random random) {
        float magnitude = (float) Math.pow(2, -10 + 14 * random.nextDouble());
        return random.nextBoolean() ? magnitude : -magnitude;
    }

    static float[] gaussian(Random random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    /** Asserts equal bit patterns (NaNs of any payload count as equal), naming the first difference. */
    static void assertSameBits(float[] actual, float[] expected, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(actual[i]) != Float.floatToIntBits(expected[i])) {
                fail("%s: element %d is %s, reference %s", what, i, actual[i], expected[i]);
            }
        }
    }
}
