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
 * {@link Q4_KFormat} with the Vector API. Each 32-byte chunk of nibbles feeds two sub-blocks; per sub-block the
 * dot is scale·Σq·x − min·Σx, so the inner loop multiplies raw nibbles and sums activations, and the scales and
 * mins enter once per sub-block.
 */
final class VectorQ4_KFormat extends VectorFormat {

    private static final int BLOCK = 256;
    private static final int BLOCK_BYTES = 144;
    private static final int SCALES = 4;
    private static final int QS = SCALES + KScales.BYTES;
    private static final int SUB = 32;

    VectorQ4_KFormat() {
        super(new Q4_KFormat());
    }

    @Override
    void decode(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count, float[] scratch) {
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            KScales.unpack(src, block + SCALES, LittleEndian.f16(src, block), LittleEndian.f16(src, block + 2),
                    scratch, L);
            for (int c = 0; c < 4; c++) {
                FloatVector scaleLo = FloatVector.broadcast(F, scratch[L + 2 * c]);
                FloatVector minLo = FloatVector.broadcast(F, scratch[L + 8 + 2 * c]);
                FloatVector scaleHi = FloatVector.broadcast(F, scratch[L + 2 * c + 1]);
                FloatVector minHi = FloatVector.broadcast(F, scratch[L + 9 + 2 * c]);
                for (int j = 0; j < SUB; j += BL) {
                    ByteVector q = ByteVector.fromMemorySegment(B, src, block + QS + SUB * c + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector v = (IntVector) q.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        int o = dstOffset + e + 2 * SUB * c + j + p * L;
                        ((FloatVector) v.and(15).convert(VectorOperators.I2F, 0)).mul(scaleLo).sub(minLo)
                                .intoArray(dst, o);
                        ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).mul(scaleHi)
                                .sub(minHi).intoArray(dst, o + SUB);
                    }
                }
            }
        }
    }

    @Override
    float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count, float[] scratch) {
        FloatVector scaled = FloatVector.zero(F);
        FloatVector mins = FloatVector.zero(F);
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            KScales.unpack(src, block + SCALES, LittleEndian.f16(src, block), -LittleEndian.f16(src, block + 2),
                    scratch, L);
            for (int c = 0; c < 4; c++) {
                FloatVector qxLo = FloatVector.zero(F);
                FloatVector qxHi = FloatVector.zero(F);
                FloatVector xLo = FloatVector.zero(F);
                FloatVector xHi = FloatVector.zero(F);
                for (int j = 0; j < SUB; j += BL) {
                    ByteVector q = ByteVector.fromMemorySegment(B, src, block + QS + SUB * c + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector v = (IntVector) q.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        int i = xOffset + e + 2 * SUB * c + j + p * L;
                        FloatVector xl = FloatVector.fromArray(F, x, i);
                        FloatVector xh = FloatVector.fromArray(F, x, i + SUB);
                        qxLo = ((FloatVector) v.and(15).convert(VectorOperators.I2F, 0)).fma(xl, qxLo);
                        qxHi = ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                                .fma(xh, qxHi);
                        xLo = xLo.add(xl);
                        xHi = xHi.add(xh);
                    }
                }
                scaled = qxLo.fma(FloatVector.broadcast(F, scratch[L + 2 * c]), scaled);
                scaled = qxHi.fma(FloatVector.broadcast(F, scratch[L + 2 * c + 1]), scaled);
                mins = xLo.fma(FloatVector.broadcast(F, scratch[L + 8 + 2 * c]), mins);
                mins = xHi.fma(FloatVector.broadcast(F, scratch[L + 9 + 2 * c]), mins);
            }
        }
        scaled.add(mins).intoArray(scratch, 0);
        return sum(scratch, 0);
    }
}
