package io.nemotron4j.engine.tensor;

import static io.nemotron4j.engine.tensor.VectorShapes.B;
import static io.nemotron4j.engine.tensor.VectorShapes.BL;
import static io.nemotron4j.engine.tensor.VectorShapes.F;
import static io.nemotron4j.engine.tensor.VectorShapes.I;
import static io.nemotron4j.engine.tensor.VectorShapes.L;
import static io.nemotron4j.engine.tensor.VectorShapes.LE;
import static io.nemotron4j.engine.tensor.VectorShapes.PARTS;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link Q6_KFormat} with the Vector API. One pass over l loads the two nibble bytes and the high-bit byte of
 * lane l once and builds the four quants they encode (elements l, l+32, l+64, l+96 of the half); each lands in
 * a different 16-element scale group, so four partial sums run side by side and are scaled once per group. A
 * quant is its nibble or'ed with its two high bits moved to bits 4-5, minus 32.
 */
final class VectorQ6_KFormat extends VectorFormat {

    private static final int BLOCK = 256;
    private static final int BLOCK_BYTES = 210;
    private static final int QH = 128;
    private static final int SCALES = QH + 64;
    private static final int D = SCALES + 16;
    private static final int GROUP = 16;

    VectorQ6_KFormat() {
        super(new Q6_KFormat());
    }

    @Override
    void decode(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count, float[] scratch) {
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            scales(src, block, scratch);
            for (int half = 0; half < 2; half++) {
                for (int g = 0; g < 2; g++) {
                    int group = L + 8 * half + g;
                    FloatVector s0 = FloatVector.broadcast(F, scratch[group]);
                    FloatVector s1 = FloatVector.broadcast(F, scratch[group + 2]);
                    FloatVector s2 = FloatVector.broadcast(F, scratch[group + 4]);
                    FloatVector s3 = FloatVector.broadcast(F, scratch[group + 6]);
                    for (int l = GROUP * g; l < GROUP * g + GROUP; l += BL) {
                        ByteVector ql = ByteVector.fromMemorySegment(B, src, block + 64 * half + l, LE);
                        ByteVector qlUpper = ByteVector.fromMemorySegment(B, src, block + 64 * half + 32 + l, LE);
                        ByteVector qh = ByteVector.fromMemorySegment(B, src, block + QH + 32 * half + l, LE);
                        for (int p = 0; p < PARTS; p++) {
                            IntVector a = (IntVector) ql.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                            IntVector b = (IntVector) qlUpper.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                            IntVector h = (IntVector) qh.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                            int o = dstOffset + e + 128 * half + l + p * L;
                            ((FloatVector) a.and(15).or(h.lanewise(VectorOperators.LSHL, 4).and(48)).sub(32)
                                    .convert(VectorOperators.I2F, 0)).mul(s0).intoArray(dst, o);
                            ((FloatVector) b.and(15).or(h.lanewise(VectorOperators.LSHL, 2).and(48)).sub(32)
                                    .convert(VectorOperators.I2F, 0)).mul(s1).intoArray(dst, o + 32);
                            ((FloatVector) a.lanewise(VectorOperators.LSHR, 4).or(h.and(48)).sub(32)
                                    .convert(VectorOperators.I2F, 0)).mul(s2).intoArray(dst, o + 64);
                            ((FloatVector) b.lanewise(VectorOperators.LSHR, 4)
                                    .or(h.lanewise(VectorOperators.LSHR, 2).and(48)).sub(32)
                                    .convert(VectorOperators.I2F, 0)).mul(s3).intoArray(dst, o + 96);
                        }
                    }
                }
            }
        }
    }

    @Override
    float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count, float[] scratch) {
        FloatVector acc = FloatVector.zero(F);
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            scales(src, block, scratch);
            for (int half = 0; half < 2; half++) {
                for (int g = 0; g < 2; g++) {
                    FloatVector a0 = FloatVector.zero(F);
                    FloatVector a1 = FloatVector.zero(F);
                    FloatVector a2 = FloatVector.zero(F);
                    FloatVector a3 = FloatVector.zero(F);
                    for (int l = GROUP * g; l < GROUP * g + GROUP; l += BL) {
                        ByteVector ql = ByteVector.fromMemorySegment(B, src, block + 64 * half + l, LE);
                        ByteVector qlUpper = ByteVector.fromMemorySegment(B, src, block + 64 * half + 32 + l, LE);
                        ByteVector qh = ByteVector.fromMemorySegment(B, src, block + QH + 32 * half + l, LE);
                        for (int p = 0; p < PARTS; p++) {
                            IntVector a = (IntVector) ql.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                            IntVector b = (IntVector) qlUpper.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                            IntVector h = (IntVector) qh.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                            int i = xOffset + e + 128 * half + l + p * L;
                            a0 = ((FloatVector) a.and(15).or(h.lanewise(VectorOperators.LSHL, 4).and(48)).sub(32)
                                    .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, i), a0);
                            a1 = ((FloatVector) b.and(15).or(h.lanewise(VectorOperators.LSHL, 2).and(48)).sub(32)
                                    .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, i + 32), a1);
                            a2 = ((FloatVector) a.lanewise(VectorOperators.LSHR, 4).or(h.and(48)).sub(32)
                                    .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, i + 64), a2);
                            a3 = ((FloatVector) b.lanewise(VectorOperators.LSHR, 4)
                                    .or(h.lanewise(VectorOperators.LSHR, 2).and(48)).sub(32)
                                    .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, i + 96), a3);
                        }
                    }
                    int group = L + 8 * half + g;
                    acc = a0.fma(FloatVector.broadcast(F, scratch[group]), acc);
                    acc = a1.fma(FloatVector.broadcast(F, scratch[group + 2]), acc);
                    acc = a2.fma(FloatVector.broadcast(F, scratch[group + 4]), acc);
                    acc = a3.fma(FloatVector.broadcast(F, scratch[group + 6]), acc);
                }
            }
        }
        acc.intoArray(scratch, 0);
        return sum(scratch, 0);
    }

    /** The super-block's sixteen signed group scales times its f16 scale, into {@code scratch[L..L+16)}. */
    private static void scales(MemorySegment src, long block, float[] scratch) {
        float d = LittleEndian.f16(src, block + D);
        long low = src.get(LittleEndian.LONG, block + SCALES);
        long high = src.get(LittleEndian.LONG, block + SCALES + 8);
        for (int k = 0; k < 8; k++) {
            scratch[L + k] = d * (byte) (low >>> (8 * k));
            scratch[L + 8 + k] = d * (byte) (high >>> (8 * k));
        }
    }
}
