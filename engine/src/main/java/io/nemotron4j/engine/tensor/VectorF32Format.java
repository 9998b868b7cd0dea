package io.nemotron4j.engine.tensor;

import static io.nemotron4j.engine.tensor.VectorShapes.F;
import static io.nemotron4j.engine.tensor.VectorShapes.L;
import static io.nemotron4j.engine.tensor.VectorShapes.LE;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;

/** {@link F32Format} with the Vector API. */
final class VectorF32Format extends VectorFormat {

    VectorF32Format() {
        super(new F32Format());
    }

    @Override
    void decode(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count, float[] scratch) {
        MemorySegment.copy(src, LittleEndian.FLOAT, byteOffset, dst, dstOffset, count);
    }

    /**
     * One accumulator, fed in column order, then the leftover columns into lane 0, then the lanes: exactly the
     * arithmetic {@link BlockedMatmul} does for each row and token, so that F32 weights give the same floats, bit
     * for bit, whether a token goes through prefill or decode. A single chain of multiply-adds still outruns
     * memory here, as each consumes 4 bytes of weights per lane.
     */
    @Override
    float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count, float[] scratch) {
        FloatVector acc = FloatVector.zero(F);
        int vectorCount = count - count % L;
        for (int i = 0; i < vectorCount; i += L) {
            acc = FloatVector.fromMemorySegment(F, src, byteOffset + 4L * i, LE)
                    .fma(FloatVector.fromArray(F, x, xOffset + i), acc);
        }
        acc.intoArray(scratch, 0);
        if (vectorCount < count) {
            float tail = 0f;
            for (int i = vectorCount; i < count; i++) {
                tail += src.get(LittleEndian.FLOAT, byteOffset + 4L * i) * x[xOffset + i];
            }
            scratch[0] += tail;
        }
        return sum(scratch, 0);
    }
}
