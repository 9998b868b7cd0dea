package io.nemotron4j.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;

/**
 * Hand-built blocks with values worked out on paper from the ggml layouts, so that the layout itself is pinned
 * and not just the agreement between the fast formats and the reference. Each block is decoded by both.
 */
class KnownAnswerTest {

    @Test
    void q4_K() {
        byte[] b = new byte[144];
        f16(b, 0, 0x3800); // d = 0.5
        f16(b, 2, 0x3400); // dmin = 0.25
        // Scales 1, 2, 3, 63, 17, 33, 50, 5 and mins 0, 4, 63, 1, 20, 40, 63, 2. Bytes 0-3: scale k plus the top
        // two bits of scale k+4 in bits 6-7; bytes 4-7: the same for the mins; bytes 8-11: low nibbles of scale
        // and min k+4.
        bytes(b, 4, 0x41, 0x82, 0xC3, 0x3F, 0x40, 0x84, 0xFF, 0x01, 0x41, 0x81, 0xF2, 0x25);
        // Nibbles start at 16; chunk c (32 bytes) holds sub-block 2c low, 2c+1 high.
        b[16] = (byte) 0xF0;          // element 0: 0; element 32: 15
        b[16 + 32 + 31] = 0x0C;       // element 95: 12; element 127: 0
        b[16 + 64 + 3] = (byte) 0xA7; // element 131: 7; element 163: 10
        b[16 + 96 + 10] = 0x5E;       // element 202: 14; element 234: 5

        decodeBoth(GGMLType.Q4_K, b, (x, source) -> {
            expect(x, 0, 0.5f * 1 * 0 - 0.25f * 0, source);
            expect(x, 32, 0.5f * 2 * 15 - 0.25f * 4, source);   // 14
            expect(x, 95, 0.5f * 3 * 12 - 0.25f * 63, source);  // 2.25
            expect(x, 127, 0.5f * 63 * 0 - 0.25f * 1, source);  // -0.25
            expect(x, 131, 0.5f * 17 * 7 - 0.25f * 20, source); // 54.5
            expect(x, 163, 0.5f * 33 * 10 - 0.25f * 40, source); // 155
            expect(x, 202, 0.5f * 50 * 14 - 0.25f * 63, source); // 334.25
            expect(x, 234, 0.5f * 5 * 5 - 0.25f * 2, source);   // 12
            expect(x, 70, -0.25f * 63, source);                 // zero nibbles leave just the min
            expect(x, 100, -0.25f * 1, source);
            expect(x, 255, -0.25f * 2, source);
        });
    }

    @Test
    void q5_K() {
        byte[] b = new byte[176];
        f16(b, 0, 0x3C00); // d = 1
        f16(b, 2, 0x3800); // dmin = 0.5
        // Scales 2, 2, 2, 2, 1, 1, 1, 1 and mins 2, 2, 2, 2, 3, 3, 3, 3.
        bytes(b, 4, 2, 2, 2, 2, 2, 2, 2, 2, 0x31, 0x31, 0x31, 0x31);
        b[16 + 5] = (byte) 0x85;      // fifth bits of element 5 in sub-blocks 0, 2 and 7
        b[48 + 5] = 0x3C;             // element 5: 12 + 16; element 37: 3
        b[48 + 96 + 5] = (byte) 0xE0; // element 197: 0; element 229: 14 + 16

        decodeBoth(GGMLType.Q5_K, b, (x, source) -> {
            expect(x, 5, 2 * 28 - 0.5f * 2, source);   // 55
            expect(x, 37, 2 * 3 - 0.5f * 2, source);   // 5
            expect(x, 69, 2 * 16 - 0.5f * 2, source);  // 31: the fifth bit alone
            expect(x, 101, -0.5f * 2, source);
            expect(x, 197, -0.5f * 3, source);
            expect(x, 229, 1 * 30 - 0.5f * 3, source); // 28.5
        });
    }

    @Test
    void q6_K() {
        byte[] b = new byte[210];
        f16(b, 208, 0x3400); // d = 0.25, stored last
        // Signed scales per 16 elements.
        b[192] = 1;
        b[192 + 2] = -3;
        b[192 + 4] = 5;
        b[192 + 6] = -128;
        b[192 + 9] = -2;
        b[192 + 12] = 127;
        b[192 + 15] = 7;
        // First half: nibble bytes 0-63, high-bit bytes 128-159.
        b[0] = (byte) 0x9F;          // element 0: 15; element 64: 9
        b[32] = 0x3A;                // element 32: 10; element 96: 3
        b[128] = (byte) 0b11100100;  // high bits 0, 1, 2, 3 for elements 0, 32, 64, 96
        // Second half: nibble bytes 64-127, high-bit bytes 160-191.
        b[64 + 17] = 0x06;           // element 145: 6
        b[160 + 17] = 0x03;          // ... high bits 3
        b[64 + 5] = 0x70;            // element 197: 7, high bits 0
        b[64 + 32 + 31] = (byte) 0xF0; // element 255: 15
        b[160 + 31] = (byte) 0x80;   // ... high bits 2

        decodeBoth(GGMLType.Q6_K, b, (x, source) -> {
            expect(x, 0, 0.25f * 1 * (15 - 32), source);          // -4.25
            expect(x, 32, 0.25f * -3 * (10 + 16 - 32), source);   // 4.5
            expect(x, 64, 0.25f * 5 * (9 + 32 - 32), source);     // 11.25
            expect(x, 96, 0.25f * -128 * (3 + 48 - 32), source);  // -608
            expect(x, 145, 0.25f * -2 * (6 + 48 - 32), source);   // -11
            expect(x, 197, 0.25f * 127 * (7 - 32), source);       // -793.75
            expect(x, 255, 0.25f * 7 * (15 + 32 - 32), source);   // 26.25
            expect(x, 1, 0.25f * 1 * -32, source);                // all-zero quants: -32
            expect(x, 16, 0, source);                             // scale 0
            expect(x, 200, 0.25f * 127 * -32, source);
        });
    }

    @Test
    void q5_0() {
        byte[] b = new byte[22];
        f16(b, 0, 0x3C00); // d = 1
        bytes(b, 2, 0x01, 0x00, 0x00, 0x80); // fifth bits of elements 0 and 31
        b[6] = 0x21;          // element 0: 1; element 16: 2
        b[6 + 15] = (byte) 0xF3; // element 15: 3; element 31: 15

        decodeBoth(GGMLType.Q5_0, b, (x, source) -> {
            expect(x, 0, 1 + 16 - 16, source);
            expect(x, 16, 2 - 16, source);
            expect(x, 15, 3 - 16, source);
            expect(x, 31, 15 + 16 - 16, source);
            expect(x, 1, -16, source);
        });
    }

    @Test
    void q4_0AndQ8_0() {
        byte[] q4 = new byte[18];
        f16(q4, 0, 0xC000); // d = -2
        q4[2] = (byte) 0xB4;  // element 0: 4; element 16: 11
        decodeBoth(GGMLType.Q4_0, q4, (x, source) -> {
            expect(x, 0, -2 * (4 - 8), source);
            expect(x, 16, -2 * (11 - 8), source);
            expect(x, 1, -2 * -8, source);
        });

        byte[] q8 = new byte[34];
        f16(q8, 0, 0x3400); // d = 0.25
        q8[2] = -128;
        q8[33] = 127;
        decodeBoth(GGMLType.Q8_0, q8, (x, source) -> {
            expect(x, 0, -32, source);
            expect(x, 31, 31.75f, source);
            expect(x, 1, 0, source);
        });
    }

    /**
     * Decodes one block with the engine's format, with the scalar fallback and with the reference, handing each
     * result to the checks.
     */
    private static void decodeBoth(GGMLType type, byte[] block, BiConsumer<float[], String> checks) {
        MemorySegment src = MemorySegment.ofArray(block);
        float[] fast = new float[type.blockSize()];
        KernelSets.decode(TensorFormats.forType(type), src, 0, fast, 0, fast.length);
        checks.accept(fast, "format");
        float[] scalar = new float[type.blockSize()];
        TensorFormats.scalarForType(type).dequantize(src, 0, scalar, 0, scalar.length);
        checks.accept(scalar, "scalar format");
        float[] reference = new float[type.blockSize()];
        ScalarReference.dequantize(type, src, 0, reference, 0, reference.length);
        checks.accept(reference, "reference");
    }

    private static void expect(float[] x, int element, float value, String source) {
        assertThat(x[element]).as("%s element %d", source, element).isCloseTo(value, within(0f));
    }

    private static void f16(byte[] block, int offset, int bits) {
        MemorySegment.ofArray(block).set(RandomBlocks.SHORT_LE, offset, (short) bits);
    }

    private static void bytes(byte[] block, int offset, int... values) {
        for (int i = 0; i < values.length; i++) {
            MemorySegment.ofArray(block).set(ValueLayout.JAVA_BYTE, offset + i, (byte) values[i]);
        }
    }
}
