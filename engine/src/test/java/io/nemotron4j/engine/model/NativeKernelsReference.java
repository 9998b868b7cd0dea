package io.nemotron4j.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.nemotron4j.engine.tensor.TensorFormats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The whole forward pass with the native int8 kernels against llama.cpp's logits. Runs in its own surefire
 * execution (see the engine's pom), whose JVM starts with {@code -Dnemotron4j.kernels=native}: the kernels are
 * chosen once per JVM. They quantize activations to bytes exactly as llama.cpp's CPU backend does, so they are
 * compared with llama.cpp's logits rather than the exact float64 ones, and much more tightly than the reference
 * README's bound for engines that quantize activations (0.25): within 1e-4, where 4.8e-7 was measured. A kernel
 * that rounded one activation differently from llama.cpp would move logits by far more.
 */
class NativeKernelsReference {

    /** Where the build puts the library; a build without a C compiler has none. */
    private static final String LIBRARY = "/native/linux-x86_64/libnemotron4j-kernels.so";

    @Test
    void theNativeKernelsRunWhereTheBuildAndTheCpuAllow() throws IOException {
        assertThat(System.getProperty("nemotron4j.kernels")).isEqualTo("native");
        assertThat(TensorFormats.kernels().contains("; native ")).as(TensorFormats.kernels())
                .isEqualTo(nativeKernelsPossible());
    }

    @Test
    void q8_0PrefillAndDecodeMatchLlamaCpp() throws IOException {
        if (nativeKernelsPossible()) {
            ReferenceLogitsTest.assertAgreesWithLlamaCpp("tiny-q8_0", 1e-4, 1e-5);
        } else {
            // The engine fell back to its Java kernels, which keep activations in float32.
            ReferenceLogitsTest.assertAgreesWithLlamaCpp("tiny-q8_0", 0.25, 0.05);
        }
    }

    private static boolean nativeKernelsPossible() throws IOException {
        return NativeKernelsReference.class.getResource(LIBRARY) != null
                && List.of(Files.readString(Path.of("/proc/cpuinfo")).split("\\s+")).containsAll(
                        List.of("avx2", "fma", "f16c"));
    }
}
