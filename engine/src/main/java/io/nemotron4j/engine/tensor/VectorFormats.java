package io.nemotron4j.engine.tensor;

import java.lang.System.Logger.Level;

/**
 * The Vector API formats. Only {@link TensorFormats} touches this class, and only once {@link KernelChoice} has
 * found the incubator module, because loading any of these classes without it fails.
 */
final class VectorFormats {

    private static final System.Logger LOG = System.getLogger(VectorFormats.class.getName());

    private VectorFormats() {
    }

    /** Whether the vector width this JVM offers is worth using; logs one line when it is not. */
    static boolean usable() {
        if (!VectorShapes.usable()) {
            LOG.log(Level.WARNING, "The vector width of this CPU (" + VectorShapes.describe()
                    + ") is too narrow, so Nemotron4j runs its scalar kernels, several times slower");
            return false;
        }
        return true;
    }

    static TensorFormat[] create() {
        return new TensorFormat[] {
                new VectorF32Format(), new VectorF16Format(), new VectorBF16Format(), new VectorQ8_0Format(),
                new VectorQ4_0Format(), new VectorQ5_0Format(), new VectorQ4_KFormat(), new VectorQ5_KFormat(),
                new VectorQ6_KFormat()};
    }

    static FloatKernels floatKernels() {
        return new VectorFloatKernels();
    }

    static String describe() {
        return VectorShapes.describe();
    }
}
