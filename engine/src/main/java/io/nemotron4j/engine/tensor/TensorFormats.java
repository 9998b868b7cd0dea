package io.nemotron4j.engine.tensor;

import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@link TensorFormat} for each storage type the engine can compute with.
 *
 * <p>Two sets of kernels exist. The Vector API ones ({@code jdk.incubator.vector}, width chosen at start-up) are
 * what {@link #forType} hands out whenever the JVM runs with {@code --add-modules jdk.incubator.vector}; the
 * portable scalar ones ({@link #scalarForType}) are the fallback without the module, logged once, and the
 * yardstick the vector ones are tested and benchmarked against. {@code -Dnemotron4j.kernels=scalar} forces the
 * scalar ones. {@code -Dnemotron4j.kernels=native} adds the optional {@link NativeKernels} for Q8_0 and Q4_0
 * matmuls where the jar has them and the CPU runs them.
 */
public final class TensorFormats {

    private static final Map<GGMLType, TensorFormat> SCALAR = index(new TensorFormat[] {
            new F32Format(), new F16Format(), new BF16Format(), new Q8_0Format(), new Q4_0Format(),
            new Q5_0Format(), new Q4_KFormat(), new Q5_KFormat(), new Q6_KFormat()});

    private static final boolean VECTOR = KernelChoice.vectorKernels() && VectorFormats.usable();

    private static final NativeKernels NATIVE = KernelChoice.nativeKernels();

    private static final Map<GGMLType, TensorFormat> FORMATS =
            withNative(VECTOR ? index(VectorFormats.create()) : SCALAR, NATIVE);

    private static final FloatKernels FLOAT_KERNELS = VECTOR ? VectorFormats.floatKernels() : new ScalarFloatKernels();

    private TensorFormats() {
    }

    private static Map<GGMLType, TensorFormat> index(TensorFormat[] formats) {
        Map<GGMLType, TensorFormat> map = new EnumMap<>(GGMLType.class);
        for (TensorFormat format : formats) {
            map.put(format.type(), format);
        }
        return map;
    }

    private static Map<GGMLType, TensorFormat> withNative(Map<GGMLType, TensorFormat> java, NativeKernels kernels) {
        if (kernels == null) {
            return java;
        }
        Map<GGMLType, TensorFormat> map = new EnumMap<>(java);
        for (GGMLType type : new GGMLType[] {GGMLType.Q8_0, GGMLType.Q4_0}) {
            map.put(type, new NativeInt8Format(java.get(type), kernels));
        }
        return map;
    }

    /**
     * The fastest format this JVM can run for {@code type}.
     *
     * @throws UnsupportedOperationException if the engine has no kernels for the type
     */
    public static TensorFormat forType(GGMLType type) {
        return lookUp(FORMATS, type);
    }

    /**
     * The portable scalar format for {@code type}: what {@link #forType} returns when the Vector API is not
     * available, kept for comparisons.
     *
     * @throws UnsupportedOperationException if the engine has no kernels for the type
     */
    public static TensorFormat scalarForType(GGMLType type) {
        return lookUp(SCALAR, type);
    }

    /** The float kernels that go with {@link #forType}'s formats: Vector API ones where those are. */
    public static FloatKernels floatKernels() {
        return FLOAT_KERNELS;
    }

    /**
     * Which kernels {@link #forType} hands out, e.g. "Vector API, 256-bit (8 floats)" or "scalar", followed by
     * "; native AVX-512 VNNI for Q8_0 and Q4_0 matmuls" (or AMX-INT8, or AVX2) when those run.
     */
    public static String kernels() {
        return (VECTOR ? VectorFormats.describe() : "scalar") + (NATIVE == null ? ""
                : "; native " + NATIVE.instructionSet().label() + " for Q8_0 and Q4_0 matmuls");
    }

    /** Whether {@link #forType} has a format for {@code type}. */
    public static boolean isSupported(GGMLType type) {
        return SCALAR.containsKey(type);
    }

    private static TensorFormat lookUp(Map<GGMLType, TensorFormat> formats, GGMLType type) {
        TensorFormat format = formats.get(type);
        if (format == null) {
            throw unsupported(type);
        }
        return format;
    }

    /** The error for a type the engine has no format for, naming the ones it has. */
    static UnsupportedOperationException unsupported(GGMLType type) {
        return new UnsupportedOperationException("tensor type " + type + " is not supported by this engine"
                + " (supported: " + SCALAR.keySet().stream().map(GGMLType::name).collect(Collectors.joining(", "))
                + ")");
    }
}
