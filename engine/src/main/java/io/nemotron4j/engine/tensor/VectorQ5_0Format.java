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
 * {@link Q5_0Format} with the Vector API: as Q4_0, plus the fifth bits, taken from the block's 32-bit word by a
 * per-lane shift (lane k of the vector for elements e.. shifts by e+k) and moved to bit 4.
 */
final class VectorQ5_0Format extends VectorFormat {

    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 22;
    private static final int HALF = 16;

    VectorQ5_0Format() {
        super(new Q5_0Format());
    }

    @Override
    void decode(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count, float[] scratch) {
        IntVector lanes = IntVector.zero(I).addIndex(1);
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            FloatVector d = FloatVector.broadcast(F, LittleEndian.f16(src, block));
            IntVector qh = IntVector.broadcast(I, src.get(LittleEndian.INT, block + 2));
            for (int j = 0; j < HALF; j += BL) {
                ByteVector q = ByteVector.fromMemorySegment(B, src, block + 6 + j, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = (IntVector) q.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                    IntVector shift = lanes.add(j + p * L);
                    IntVector fifthLo = qh.lanewise(VectorOperators.LSHR, shift).lanewise(VectorOperators.LSHL, 4);
                    IntVector fifthHi = qh.lanewise(VectorOperators.LSHR, shift.add(HALF))
                            .lanewise(VectorOperators.LSHL, 4);
                    int o = dstOffset + e + j + p * L;
                    ((FloatVector) v.and(15).or(fifthLo.and(16)).sub(16).convert(VectorOperators.I2F, 0))
                            .mul(d).intoArray(dst, o);
                    ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).or(fifthHi.and(16)).sub(16)
                            .convert(VectorOperators.I2F, 0)).mul(d).intoArray(dst, o + HALF);
                }
            }
        }
    }

    @Override
    float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count, float[] scratch) {
        IntVector laneIndex = IntVector.zero(I).addIndex(1);
        FloatVector acc = FloatVector.zero(F);
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            IntVector qh = IntVector.broadcast(I, src.get(LittleEndian.INT, block + 2));
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = FloatVector.zero(F);
            for (int j = 0; j < HALF; j += BL) {
                ByteVector q = ByteVector.fromMemorySegment(B, src, block + 6 + j, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = (IntVector) q.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                    IntVector shift = laneIndex.add(j + p * L);
                    IntVector fifthLo = qh.lanewise(VectorOperators.LSHR, shift).lanewise(VectorOperators.LSHL, 4);
                    IntVector fifthHi = qh.lanewise(VectorOperators.LSHR, shift.add(HALF))
                            .lanewise(VectorOperators.LSHL, 4);
                    int i = xOffset + e + j + p * L;
                    s0 = ((FloatVector) v.and(15).or(fifthLo.and(16)).sub(16).convert(VectorOperators.I2F, 0))
                            .fma(FloatVector.fromArray(F, x, i), s0);
                    s1 = ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).or(fifthHi.and(16)).sub(16)
                            .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, i + HALF), s1);
                }
            }
            acc = s0.add(s1).fma(FloatVector.broadcast(F, LittleEndian.f16(src, block)), acc);
        }
        acc.intoArray(scratch, 0);
        return sum(scratch, 0);
    }
}
