package io.nemotron4j.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class QuantizerTest {

    /**
     * Worst-case error per element as a fraction of the largest magnitude in the block (the super-block for
     * K-quants), from each scheme's step size: Q8_0 half a step of amax/127 plus the f16 rounding of d; Q4_0 and
     * Q5_0 a whole step on the side opposite the extreme value; K-quants half a sub-block step plus scale/min
     * rounding.
     */
    private static double tolerance(GGMLType type) {
        return switch (type) {
            case Q8_0 -> 0.005;
            case Q4_0 -> 0.13;
            case Q5_0 -> 0.066;
            case Q4_K -> 0.08;
            case Q5_K -> 0.045;
            case Q6_K -> 0.04;
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    /** Shapes of data a quantizer must handle, including the degenerate ones. */
    private static IntToDoubleFunction[] dataSets(Random random) {
        return new IntToDoubleFunction[] {
            i -> random.nextGaussian(),
            i -> 2 * random.nextDouble() - 1,
            i -> 3 + random.nextDouble(),
            i -> -1 - random.nextDouble(),
            i -> 1e-2 * random.nextGaussian(),
            i -> i % 97 == 0 ? 50 * random.nextGaussian() : random.nextGaussian(),
            i -> 1e4 * random.nextGaussian(),
            i -> 0.25,
            i -> 0
        };
    }

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0", "Q5_0", "Q4_K", "Q5_K", "Q6_K"})
    void quantizedBlocksRoundTripWithinTolerance(GGMLType type) {
        Random random = new Random(type.id());
        int block = type.blockSize();
        int count = 16 * 256;
        for (IntToDoubleFunction data : dataSets(random)) {
            float[] x = new float[count];
            for (int i = 0; i < count; i++) {
                x[i] = (float) data.applyAsDouble(i);
            }
            float[] back = roundTrip(type, x);
            for (int b = 0; b < count; b += block) {
                float amax = 0;
                for (int i = b; i < b + block; i++) {
                    amax = Math.max(amax, Math.abs(x[i]));
                }
                for (int i = b; i < b + block; i++) {
                    assertThat(back[i]).as("%s element %d of %s", type, i, x[i])
                            .isCloseTo(x[i], within((float) (tolerance(type) * amax)));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16"})
    void floatTypesRoundTripWithinTheirPrecision(GGMLType type) {
        Random random = new Random(type.id());
        float[] x = new float[1001];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
        }
        float[] back = roundTrip(type, x);
        double relative = switch (type) {
            case F32 -> 0;
            case F16 -> 0x1p-11;
            default -> 0x1p-8;
        };
        for (int i = 0; i < x.length; i++) {
            // Below f16's normal range precision is absolute: half its smallest subnormal.
            double slack = type == GGMLType.F16 ? 0x1p-25 : 0;
            assertThat(back[i]).as("%s element %d", type, i)
                    .isCloseTo(x[i], within((float) (Math.abs(x[i]) * relative + slack)));
        }
    }

    @Test
    void q8_0ExactlyRepresentableBlockEncodesToKnownBytes() {
        // q_j = 127 - 8j over j < 32, scaled by 1/64: amax is 127/64, so d = 1/64 exactly and each q comes back.
        float[] x = new float[32];
        for (int j = 0; j < 32; j++) {
            x[j] = (127 - 8 * j) / 64f;
        }
        MemorySegment block = quantize(GGMLType.Q8_0, x);
        assertThat(block.get(RandomBlocks.SHORT_LE, 0)).isEqualTo((short) 0x2400);
        for (int j = 0; j < 32; j++) {
            assertThat(block.get(ValueLayout.JAVA_BYTE, 2 + j)).isEqualTo((byte) (127 - 8 * j));
        }
        assertThat(dequantize(GGMLType.Q8_0, block, 32)).containsExactly(x);
    }

    @Test
    void q8_0RoundsHalvesAwayFromZeroLikeRoundf() {
        // amax 127 makes d = 1, so x is its own quant: ±2.5 must become ±3, not 3 and -2.
        float[] x = new float[32];
        x[0] = 127;
        x[1] = 2.5f;
        x[2] = -2.5f;
        MemorySegment block = quantize(GGMLType.Q8_0, x);
        assertThat(block.get(ValueLayout.JAVA_BYTE, 3)).isEqualTo((byte) 3);
        assertThat(block.get(ValueLayout.JAVA_BYTE, 4)).isEqualTo((byte) -3);
    }

    @Test
    void q4_0ExactlyRepresentableBlockEncodesToKnownBytes() {
        // Element j is 0.5·((j mod 16) − 8). The largest magnitude is −4, so d = −4/−8 = 0.5 and element j
        // gets nibble j mod 16: byte j holds j in both nibbles.
        float[] x = new float[32];
        for (int j = 0; j < 32; j++) {
            x[j] = 0.5f * (j % 16 - 8);
        }
        MemorySegment block = quantize(GGMLType.Q4_0, x);
        assertThat(block.get(RandomBlocks.SHORT_LE, 0)).isEqualTo((short) 0x3800);
        for (int j = 0; j < 16; j++) {
            assertThat(block.get(ValueLayout.JAVA_BYTE, 2 + j)).isEqualTo((byte) (0x11 * j));
        }
        assertThat(dequantize(GGMLType.Q4_0, block, 32)).containsExactly(x);
    }

    @Test
    void q4_0MapsAPositiveExtremeToNibbleZero() {
        // Largest magnitude +4 gives d = −0.5; 4 → nibble 0 and −3.5 → nibble 15.
        float[] x = new float[32];
        x[0] = 4;
        x[16] = -3.5f;
        MemorySegment block = quantize(GGMLType.Q4_0, x);
        assertThat(Float.float16ToFloat(block.get(RandomBlocks.SHORT_LE, 0))).isEqualTo(-0.5f);
        assertThat(block.get(ValueLayout.JAVA_BYTE, 2)).isEqualTo((byte) 0xF0);
        assertThat(dequantize(GGMLType.Q4_0, block, 32)[0]).isEqualTo(4f);
    }

    @Test
    void bf16RoundsToNearestEvenAndKeepsNaN() {
        assertThat(Quantizer.toBf16(Float.intBitsToFloat(0x3F808000))).isEqualTo((short) 0x3F80);
        assertThat(Quantizer.toBf16(Float.intBitsToFloat(0x3F818000))).isEqualTo((short) 0x3F82);
        assertThat(Quantizer.toBf16(Float.intBitsToFloat(0x3F808001))).isEqualTo((short) 0x3F81);
        assertThat(Quantizer.toBf16(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xFF80);
        float nan = Float.intBitsToFloat(0x7F800001);
        assertThat(Float.intBitsToFloat(Quantizer.toBf16(nan) << 16)).isNaN();
    }

    @Test
    void writesAtTheGivenOffsetsOnly() {
        float[] x = new float[40];
        for (int i = 0; i < x.length; i++) {
            x[i] = i - 20;
        }
        MemorySegment dst = MemorySegment.ofArray(new byte[3 + 34 + 3]);
        Quantizer.quantize(GGMLType.Q8_0, x, 8, 32, dst, 3);
        assertThat(dst.get(ValueLayout.JAVA_BYTE, 2)).isZero();
        assertThat(dst.get(ValueLayout.JAVA_BYTE, 37)).isZero();
        float[] back = new float[32];
        ScalarReference.dequantize(GGMLType.Q8_0, dst, 3, back, 0, 32);
        assertThat(back[0]).isCloseTo(x[8], within(0.1f));
        assertThat(Quantizer.bytesFor(GGMLType.Q8_0, 64)).isEqualTo(68);
    }

    @Test
    void rejectsPartialBlocksAndUnsupportedTypes() {
        MemorySegment dst = MemorySegment.ofArray(new byte[1024]);
        assertThatThrownBy(() -> Quantizer.quantize(GGMLType.Q4_K, new float[100], 0, 100, dst, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Quantizer.quantize(GGMLType.Q2_K, new float[256], 0, 256, dst, 0))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("Q2_K is not supported");
    }

    private static MemorySegment quantize(GGMLType type, float[] x) {
        MemorySegment dst = MemorySegment.ofArray(new byte[(int) type.bytesFor(x.length)]);
        Quantizer.quantize(type, x, 0, x.length, dst, 0);
        return dst;
    }

    private static float[] dequantize(GGMLType type, MemorySegment src, int count) {
        float[] out = new float[count];
        ScalarReference.dequantize(type, src, 0, out, 0, count);
        return out;
    }

    private static float[] roundTrip(GGMLType type, float[] x) {
        return dequantize(type, quantize(type, x), x.length);
    }
}
