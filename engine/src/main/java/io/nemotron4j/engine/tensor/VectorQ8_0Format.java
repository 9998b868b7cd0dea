package io.nemotron4j.engine.tensor;

import static io.nemotron4j.engine.tensor.VectorShapes.B;
import static io.nemotron4j.engine.tensor.VectorShapes.BL;
import static io.nemotron4j.engine.tensor.VectorShapes.F;
import static io.nemotron4j.engine.tensor.VectorShapes.L;
import static io.nemotron4j.engine.tensor.VectorShapes.LE;
import static io.nemotron4j.engine.tensor.VectorShapes.PARTS;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link Q8_0Format} with the Vector API: the 32 signed bytes of a block are widened straight to floats and
 * multiplied with the activations, and the block's sum is scaled once, by a multiply-add into the row's
 * accumulator.
 */
final class VectorQ8_0Format extends VectorFormat {

    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 34;

    VectorQ8_0Format() {
        super(new Q8_0Format());
    }

    @Override
    void decode(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count, float[] scratch) {
        long block = byteOffset;
        for (int e = 0; e < count; e += BLOCK, block += BLOCK_BYTES) {
            FloatVector d = FloatVector.broadcast(F, LittleEndian.f16(src, block));
            for (int j = 0; j < BLOCK; j += BL) {
                ByteVector q = ByteVector.fromMemorySegment(B, src, block + 2 + j, LE);
                for (int p = 0; p < PARTS; p++) {
                    ((FloatVector) q.convertShape(VectorOperators.B2F, F, p)).mul(d)
                            .intoArray(dst, dstOffset + e + j + p * L);
                }
            }
        }
    }

    @Override
    float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count, float[] scratch) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        long block = byteOffset;
        int e = 0;
        for (; e + 2 * BLOCK <= count; e += 2 * BLOCK, block += 2 * BLOCK_BYTES) {
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = FloatVector.zero(F);
            for (int j = 0; j < BLOCK; j += BL) {
                ByteVector q0 = ByteVector.fromMemorySegment(B, src, block + 2 + j, LE);
                ByteVector q1 = ByteVector.fromMemorySegment(B, src, block + BLOCK_BYTES + 2 + j, LE);
                for (int p = 0; p < PARTS; p++) {
                    s0 = ((FloatVector) q0.convertShape(VectorOperators.B2F, F, p))
                            .fma(FloatVector.fromArray(F, x, xOffset + e + j + p * L), s0);
                    s1 = ((FloatVector) q1.convertShape(VectorOperators.B2F, F, p))
                            .fma(FloatVector.fromArray(F, x, xOffset + e + BLOCK + j + p * L), s1);
                }
            }
            acc0 = s0.fma(FloatVector.broadcast(F, LittleEndian.f16(src, block)), acc0);
            acc1 = s1.fma(FloatVector.broadcast(F, LittleEndian.f16(src, block + BLOCK_BYTES)), acc1);
        }
        for (; e < count; e += BLOCK, block += BLOCK_BYTES) {
            FloatVector s = FloatVector.zero(F);
            for (int j = 0; j < BLOCK; j += BL) {
                ByteVector q = ByteVector.fromMemorySegment(B, src, block + 2 + j, LE);
                for (int p = 0; p < PARTS; p++) {
                    s = ((FloatVector) q.convertShape(VectorOperators.B2F, F, p))
                            .fma(FloatVector.fromArray(F, x, xOffset + e + j + p * L), s);
                }
            }
            acc0 = s.fma(FloatVector.broadcast(F, LittleEndian.f16(src, block)), acc0);
        }
        acc0.add(acc1).intoArray(scratch, 0);
        return sum(scratch, 0);
    }
}
