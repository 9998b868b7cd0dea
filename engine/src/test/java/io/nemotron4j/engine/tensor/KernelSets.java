package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

/** The supported types crossed with the two kernel sets, for parameterized format tests. */
final class KernelSets {

    static final GGMLType[] SUPPORTED = {GGMLType.F32, GGMLType.F16, GGMLType.BF16, GGMLType.Q8_0, GGMLType.Q4_0,
            GGMLType.Q5_0, GGMLType.Q4_K, GGMLType.Q5_K, GGMLType.Q6_K};

    private KernelSets() {
    }

    /** (type, "vector") and (type, "scalar") for every supported type. */
    static Stream<Arguments> all() {
        return Stream.of(SUPPORTED).flatMap(t -> Stream.of(Arguments.of(t, "vector"), Arguments.of(t, "scalar")));
    }

    /**
     * Decodes with the kernel a matmul uses: a vector format's {@link VectorFormat#decode} (its public
     * {@code dequantize} is the scalar twin's), otherwise {@code dequantize}.
     */
    static void decode(TensorFormat format, MemorySegment src, long byteOffset, float[] dst,
            int dstOffset, int count) {
        if (format instanceof VectorFormat vector) {
            vector.decode(src, byteOffset, dst, dstOffset, count, VectorFormat.scratch());
        } else {
            format.dequantize(src, byteOffset, dst, dstOffset, count);
        }
    }

    /** What the engine computes with ({@code "vector"}), or the scalar fallback ({@code "scalar"}). */
    static TensorFormat format(GGMLType type, String kernels) {
        return kernels.equals("vector") ? TensorFormats.forType(type) : TensorFormats.scalarForType(type);
    }
}
