package io.nemotron4j.engine.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The optional native int8 kernels ({@code src/main/c}), built into the jar where the build had a C compiler and
 * called through the FFM API: Q8_0 and Q4_0 matmuls with integer byte dot products (AMX tiles, AVX-512 VNNI, or AVX2
 * where a CPU lacks AVX-512), after quantizing the activations to bytes as llama.cpp does. The Java kernels cannot
 * reach those instructions; these run the same matmuls with a fraction of the instructions per weight.
 *
 * <p>Loading extracts the library to a temporary file, opens it and deletes the file again. {@link #load} never
 * throws: it returns the kernels with the best instruction set this CPU runs, or why this machine cannot have them.
 */
final class NativeKernels {

    /** Where the build puts the library inside the jar. */
    static final String RESOURCE = "/native/linux-x86_64/libnemotron4j-kernels.so";

    /** The {@code n4j_abi_version()} this class was written against. */
    private static final int ABI_VERSION = 3;

    private static final int BAD_ARGUMENT = -1;
    private static final int NO_MEMORY = -2;

    /** The kernels' instruction sets, each with its bit in {@code n4j_instruction_sets()}, weakest first. */
    enum InstructionSet {
        /** vpmaddubsw: 32 byte products in two instructions (AVX2 with FMA and F16C). */
        AVX2(1, "AVX2"),
        /** vpdpbusd: 64 byte products in one instruction (AVX-512 F, BW, VL, DQ and VNNI). */
        AVX512_VNNI(2, "AVX-512 VNNI"),
        /**
         * tdpbssd: 8192 byte products in one instruction, on tiles (AMX-TILE and AMX-INT8 besides AVX-512, with the
         * Linux kernel's permission to use tiles).
         */
        AMX_INT8(4, "AMX-INT8");

        private final int bit;
        private final String label;

        InstructionSet(int bit, String label) {
            this.bit = bit;
            this.label = label;
        }

        /** How logs and the bench name it. */
        String label() {
            return label;
        }
    }

    private final MethodHandle matmul;
    private final InstructionSet instructionSet;
    private final Set<InstructionSet> supported;

    private NativeKernels(MethodHandle matmul, InstructionSet instructionSet, Set<InstructionSet> supported) {
        this.matmul = matmul;
        this.instructionSet = instructionSet;
        this.supported = supported;
    }

    /** The instruction set these kernels run with. */
    InstructionSet instructionSet() {
        return instructionSet;
    }

    /** Every instruction set this CPU runs the kernels with. */
    Set<InstructionSet> supported() {
        return supported;
    }

    /** The same kernels with another instruction set this CPU runs (tests compare them). */
    NativeKernels with(InstructionSet other) {
        if (!supported.contains(other)) {
            throw new IllegalArgumentException("this CPU does not run the " + other.label() + " kernels");
        }
        return new NativeKernels(matmul, other, supported);
    }

    /** The kernels, or the reason they cannot run here; exactly one of the two is set. */
    record Availability(NativeKernels kernels, String reason) {
    }

    /**
     * Loads the library if this platform, the jar and the CPU allow it. Opening a library and binding its functions
     * are restricted FFM methods: the engine's launchers pass {@code --enable-native-access=ALL-UNNAMED}.
     */
    @SuppressWarnings("restricted")
    static Availability load() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return unavailable("they are built for Linux on x86-64 only, this is " + os + " on " + arch);
        }
        Path file = null;
        try (InputStream in = NativeKernels.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return unavailable("this build of the engine has none (" + RESOURCE
                        + " is missing: no C compiler when it was built)");
            }
            file = Files.createTempFile("nemotron4j-kernels", ".so");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            SymbolLookup library = SymbolLookup.libraryLookup(file, Arena.global());
            Linker linker = Linker.nativeLinker();
            int abi = (int) linker.downcallHandle(library.findOrThrow("n4j_abi_version"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT)).invokeExact();
            if (abi != ABI_VERSION) {
                return unavailable("the library speaks ABI " + abi + ", this engine " + ABI_VERSION);
            }
            int bits = (int) linker.downcallHandle(library.findOrThrow("n4j_instruction_sets"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT)).invokeExact();
            Set<InstructionSet> supported = EnumSet.noneOf(InstructionSet.class);
            for (InstructionSet set : InstructionSet.values()) {
                if ((bits & set.bit) != 0) {
                    supported.add(set);
                }
            }
            if (supported.isEmpty()) {
                return unavailable("this CPU has neither AVX2 (with FMA and F16C) nor AVX-512 VNNI");
            }
            // Critical: the call is short and must not copy the activation and output arrays.
            MethodHandle matmul = linker.downcallHandle(library.findOrThrow("n4j_matmul"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                    Linker.Option.critical(true));
            InstructionSet best = null;
            for (InstructionSet set : supported) {
                best = set;
            }
            return new Availability(new NativeKernels(matmul, best, Collections.unmodifiableSet(supported)), null);
        } catch (IOException | RuntimeException e) {
            return unavailable("loading them failed: " + e);
        } catch (Throwable e) {
            throw new IllegalStateException("calling the native kernels' set-up failed", e);
        } finally {
            deleteQuietly(file);
        }
    }

    private static Availability unavailable(String reason) {
        return new Availability(null, reason);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            // Once opened, the library no longer needs its file.
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }

    /**
     * {@link TensorFormat#matmul} for a Q8_0 or Q4_0 matrix, with the activations quantized to bytes in blocks of
     * 32 first. {@code cols} must be a whole number of blocks.
     */
    void matmul(GGMLType type, MemorySegment w, long rowBytes, int cols, float[] x, int xStride, int n,
            float[] out, int outStride, int rowStart, int rowEnd) {
        int status;
        try {
            status = (int) matmul.invokeExact(instructionSet.bit, type.id(), w, rowBytes, cols,
                    MemorySegment.ofArray(x), xStride, n, MemorySegment.ofArray(out), outStride, rowStart, rowEnd);
        } catch (Throwable e) {
            throw new IllegalStateException("native matmul failed", e);
        }
        if (status == NO_MEMORY) {
            throw new OutOfMemoryError("native matmul: no memory for " + n + " x " + cols + " quantized activations");
        }
        if (status != 0) {
            throw new IllegalArgumentException("native matmul refused its arguments (status " + status + "): "
                    + type + " " + cols + " columns, " + n + " vectors, rows " + rowStart + ".." + rowEnd);
        }
    }
}
