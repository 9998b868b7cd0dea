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

/**
 * {@link F16Format} with the Vector API, which has no half-precision conversion: the exponent and mantissa bits
 * are moved to their single-precision places and the result scaled by 2^112, the difference of the two exponent
 * biases. That product is exact for normal and subnormal halves alike; infinities and NaNs (exponent all ones)
 * get the single-precision all-ones exponent instead.
 */
final class VectorF16Format extends VectorFormat {

    private static final float REBIAS = 0x1p112f;

    VectorF16Format() {
        super(new F16Format());
    }

    @Override
    void decode(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count, float[] scratch) {
        int i = 0;
        for (; i + L <= count; i += L) {
            IntVector half = (IntVector) ShortVector.fromMemorySegment(S, src, byteOffset + 2L * i, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector magnitude = half.and(0x7FFF);
            IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
            shifted.reinterpretAsFloats().mul(REBIAS).reinterpretAsInts()
                    .blend(shifted.or(0x7F80_0000), magnitude.compare(VectorOperators.GE, 0x7C00))
                    .or(half.and(0x8000).lanewise(VectorOperators.LSHL, 16))
                    .reinterpretAsFloats().intoArray(dst, dstOffset + i);
        }
        for (; i < count; i++) {
            dst[dstOffset + i] = LittleEndian.f16(src, byteOffset + 2L * i);
        }
    }

    @Override
    float dot(MemorySegment src, long byteOffset, float[] x, int xOffset, int count, float[] scratch) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= count; i += L) {
            IntVector half = (IntVector) ShortVector.fromMemorySegment(S, src, byteOffset + 2L * i, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector magnitude = half.and(0x7FFF);
            IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
            FloatVector w = shifted.reinterpretAsFloats().mul(REBIAS).reinterpretAsInts()
                    .blend(shifted.or(0x7F80_0000), magnitude.compare(VectorOperators.GE, 0x7C00))
                    .or(half.and(0x8000).lanewise(VectorOperators.LSHL, 16))
                    .reinterpretAsFloats();
            acc = w.fma(FloatVector.fromArray(F, x, xOffset + i), acc);
        }
        acc.intoArray(scratch, 0);
        float sum = sum(scratch, 0);
        for (; i < count; i++) {
            sum += LittleEndian.f16(src, byteOffset + 2L * i) * x[xOffset + i];
        }
        return sum;
    }
}
