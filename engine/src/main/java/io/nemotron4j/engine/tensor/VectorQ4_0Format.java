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
 * {@link Q4_0Format} with the Vector API: each load of nibble bytes is zero-extended to ints once and yields two
 * vectors of quants, elements j.. from the low nibbles and j+16.. from the high ones.
 */
final class VectorQ4_0Format extends VectorFormat {

    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 18;
    private static final int HALF = 16;

    VectorQ4_0Format() {
        super(new Q4_0Format());
    }

    @Override
    void decode(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count, float[] scratch) {
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            FloatVector d = FloatVector.broadcast(F, LittleEndian.f16(src, block));
            for (int j = 0; j < HALF; j += BL) {
                ByteVector q = ByteVector.fromMemorySegment(B, src, block + 2 + j, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = (IntVector) q.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                    int o = dstOffset + e + j + p * L;
                    ((FloatVector) v.and(15).sub(8).convert(VectorOperators.I2F, 0)).mul(d).intoArray(dst, o);
                    ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0))
                            .mul(d).intoArray(dst, o + HALF);
                }
            }
        }
    }

    @Override
    float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count, float[] scratch) {
        FloatVector acc = FloatVector.zero(F);
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = FloatVector.zero(F);
            for (int j = 0; j < HALF; j += BL) {
                ByteVector q = ByteVector.fromMemorySegment(B, src, block + 2 + j, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = (IntVector) q.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                    int i = xOffset + e + j + p * L;
                    s0 = ((FloatVector) v.and(15).sub(8).convert(VectorOperators.I2F, 0))
                            .fma(FloatVector.fromArray(F, x, i), s0);
                    s1 = ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0))
                            .fma(FloatVector.fromArray(F, x, i + HALF), s1);
                }
            }
            acc = s0.add(s1).fma(FloatVector.broadcast(F, LittleEndian.f16(src, block)), acc);
        }
        acc.intoArray(scratch, 0);
        return sum(scratch, 0);
    }
}
