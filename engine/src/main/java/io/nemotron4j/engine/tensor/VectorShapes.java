package io.nemotron4j.engine.tensor;

import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every vector kernel uses, fixed at class initialisation so that the JIT sees constants:
 * {@link #F} holds {@link #L} floats (the CPU's preferred width unless {@link KernelChoice#BITS_PROPERTY} says
 * otherwise), {@link #I} as many ints, and {@link #S} as many shorts.
 *
 * <p>Quantized bytes are loaded {@link #BL} at a time through {@link #B}: {@code L} bytes when that is a vector
 * shape, and 8 bytes (the smallest shape) split into {@link #PARTS} = 2 conversions when floats come 4 to a vector.
 */
final class VectorShapes {

    static final VectorSpecies<Float> F;
    static final VectorSpecies<Integer> I;
    static final VectorSpecies<Short> S;
    static final VectorSpecies<Byte> B;
    static final int L;
    static final int BL;
    static final int PARTS;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    static {
        int requested = KernelChoice.requestedBits();
        F = requested == 0 ? FloatVector.SPECIES_PREFERRED
                : VectorSpecies.of(float.class, VectorShape.forBitSize(requested));
        L = F.length();
        I = VectorSpecies.of(int.class, F.vectorShape());
        // 64 bits is the smallest shape; widths too narrow to use (see usable) must still initialise.
        S = VectorSpecies.of(short.class, VectorShape.forBitSize(Math.max(64, 16 * L)));
        BL = Math.max(8, L);
        B = VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * BL));
        PARTS = BL / L;
    }

    private VectorShapes() {
    }

    /** Whether the chosen width is worth using: at least four floats per vector. */
    static boolean usable() {
        return L >= 4;
    }

    /** A description for logs and benchmark output, e.g. "Vector API, 256-bit (8 floats)". */
    static String describe() {
        return "Vector API, " + F.vectorBitSize() + "-bit (" + L + " floats)";
    }
}
