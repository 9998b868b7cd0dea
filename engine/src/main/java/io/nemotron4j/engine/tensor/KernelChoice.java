package io.nemotron4j.engine.tensor;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Locale;

/**
 * Decides once per JVM whether the formats compute with the Vector API or with the portable scalar kernels, and
 * whether the optional native int8 kernels take over the Q8_0 and Q4_0 matmuls; says so in the log when it has to
 * fall back.
 *
 * <p>The Vector API lives in the incubator module {@code jdk.incubator.vector}, which the JVM resolves only when
 * asked ({@code --add-modules jdk.incubator.vector}). Without it the vector classes cannot even be loaded, so this
 * class names none of them: it checks the boot layer first and only then lets {@link VectorFormats} load.
 *
 * <p>Two system properties steer the choice, for comparisons and tests:
 * <ul>
 *   <li>{@value #KERNELS_PROPERTY}{@code =scalar} forces the scalar kernels even where the module is present;
 *       {@code =native} adds the {@link NativeKernels} for Q8_0 and Q4_0 matmuls (opt-in: they quantize the
 *       activations to bytes, so results move by about as much as llama.cpp's differ from exact arithmetic);</li>
 *   <li>{@value #NATIVE_SET_PROPERTY}{@code =AVX2|AVX512_VNNI|AMX_INT8} runs the native kernels with that instruction
 *       set instead of the best this CPU has;</li>
 *   <li>{@value #BITS_PROPERTY}{@code =128|256|512} fixes the vector width instead of the CPU's preferred one
 *       (a width the CPU lacks still computes correctly, only very slowly).</li>
 * </ul>
 */
final class KernelChoice {

    /**
     * System property naming the kernels: {@code vector} (the default, when available), {@code scalar} or
     * {@code native}.
     */
    static final String KERNELS_PROPERTY = "nemotron4j.kernels";

    /** System property naming the native kernels' instruction set (by default the best the CPU runs). */
    static final String NATIVE_SET_PROPERTY = "nemotron4j.kernels.native-set";

    /** System property fixing the vector width in bits. */
    static final String BITS_PROPERTY = "nemotron4j.vector.bits";

    static final String VECTOR_MODULE = "jdk.incubator.vector";

    private static final System.Logger LOG = System.getLogger(KernelChoice.class.getName());

    private KernelChoice() {
    }

    /** Whether the vector kernels can and may run in this JVM; logs one line when they cannot. */
    static boolean vectorKernels() {
        String kernels = System.getProperty(KERNELS_PROPERTY, "vector");
        if (kernels.equals("scalar")) {
            LOG.log(Level.INFO, "Scalar kernels, as -D" + KERNELS_PROPERTY + "=scalar asks");
            return false;
        }
        if (!kernels.equals("vector") && !kernels.equals("native")) {
            throw new IllegalArgumentException(KERNELS_PROPERTY + " must be vector, scalar or native, got " + kernels);
        }
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            LOG.log(Level.WARNING, "The " + VECTOR_MODULE + " module is not enabled, so Nemotron4j runs its scalar"
                    + " kernels, several times slower: start java with --add-modules " + VECTOR_MODULE);
            return false;
        }
        return true;
    }

    /**
     * The native kernels when {@value #KERNELS_PROPERTY}{@code =native} asks for them and this machine has them,
     * otherwise null; logs which, and why not.
     */
    static NativeKernels nativeKernels() {
        if (!System.getProperty(KERNELS_PROPERTY, "vector").equals("native")) {
            return null;
        }
        NativeKernels.Availability availability = NativeKernels.load();
        if (availability.kernels() == null) {
            LOG.log(Level.WARNING, "Native kernels asked for with -D" + KERNELS_PROPERTY + "=native, but "
                    + availability.reason() + "; the Java kernels run instead");
            return null;
        }
        NativeKernels kernels = withRequestedSet(availability.kernels());
        LOG.log(Level.INFO, "Native " + kernels.instructionSet().label() + " kernels for Q8_0 and Q4_0 matmuls, as -D"
                + KERNELS_PROPERTY + "=native asks");
        return kernels;
    }

    private static NativeKernels withRequestedSet(NativeKernels best) {
        String name = System.getProperty(NATIVE_SET_PROPERTY);
        if (name == null) {
            return best;
        }
        NativeKernels.InstructionSet set;
        try {
            set = NativeKernels.InstructionSet.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NATIVE_SET_PROPERTY + " must be one of "
                    + Arrays.toString(NativeKernels.InstructionSet.values()) + ", got " + name);
        }
        if (!best.supported().contains(set)) {
            LOG.log(Level.WARNING, "-D" + NATIVE_SET_PROPERTY + "=" + name + " asks for " + set.label()
                    + ", which this CPU does not run; " + best.instructionSet().label() + " runs instead");
            return best;
        }
        return best.with(set);
    }

    /** The vector width asked for in bits, or 0 for the CPU's preferred width. */
    static int requestedBits() {
        String bits = System.getProperty(BITS_PROPERTY);
        if (bits == null) {
            return 0;
        }
        return switch (bits) {
            case "128", "256", "512" -> Integer.parseInt(bits);
            default -> throw new IllegalArgumentException(BITS_PROPERTY + " must be 128, 256 or 512, got " + bits);
        };
    }
}
