package io.nemotron4j.engine.tensor;

import static io.nemotron4j.engine.tensor.VectorShapes.F;
import static io.nemotron4j.engine.tensor.VectorShapes.I;
import static io.nemotron4j.engine.tensor.VectorShapes.L;
import static io.nemotron4j.engine.tensor.VectorShapes.LE;
import static io.nemotron4j.engine.tensor.VectorShapes.S;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/** {@link BF16Format} with the Vector API: widen each 16-bit value to an int and shift it into the top half. */
final class VectorBF16Format extends VectorFormat {

    VectorBF16Format() {
        super(new BF16Format());
    }

    @Override
    void decode(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count, float[] scratch) {
        int i = 0;
        for (; i + L <= count; i += L) {
            ((IntVector) ShortVector.fromMemorySegment(S, src, byteOffset + 2L * i, LE)
                    .convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dst, dstOffset + i);
        }
        for (; i < count; i++) {
            dst[dstOffset + i] = Float.intBitsToFloat(src.get(LittleEndian.SHORT, byteOffset + 2L * i) << 16);
        }
    }

    @Override
    float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count, float[] scratch) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * L <= count; i += 2 * L) {
            long p = byteOffset + 2L * i;
            FloatVector w0 = ((IntVector) ShortVector.fromMemorySegment(S, src, p, LE)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector w1 = ((IntVector) ShortVector.fromMemorySegment(S, src, p + 2L * L, LE)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            a0 = w0.fma(FloatVector.fromArray(F, x, xOffset + i), a0);
            a1 = w1.fma(FloatVector.fromArray(F, x, xOffset + i + L), a1);
        }
        for (; i + L <= count; i += L) {
            FloatVector w = ((IntVector) ShortVector.fromMemorySegment(S, src, byteOffset + 2L * i, LE)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            a0 = w.fma(FloatVector.fromArray(F, x, xOffset + i), a0);
        }
        a0.add(a1).intoArray(scratch, 0);
        float sum = sum(scratch, 0);
        for (; i < count; i++) {
            sum += Float.intBitsToFloat(src.get(LittleEndian.SHORT, byteOffset + 2L * i) << 16) * x[xOffset + i];
        }
        return sum;
    }
}
