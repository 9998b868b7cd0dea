package io.nemotron4j.spring.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.nemotron4j.engine.gguf.GGUFFile;
import io.nemotron4j.engine.gguf.GGUFTensorInfo;
import io.nemotron4j.engine.tensor.GGMLType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The quantization of the engine's tiny reference models (one GGUF per weight type, each keeping its norms and
 * convolution kernels in F32), and of a tensor table that mixes types.
 */
class QuantizationTests {

    // The engine module's reference models; Maven runs the tests in this module's directory.
    private static final Path TINY = Path.of("..", "engine", "src", "test", "resources", "reference", "tiny");

    @Test
    void eachReferenceModelReportsItsWeightTypeDespiteItsF32Norms() throws IOException {
        assertThat(quantizationOf("tiny-q8_0.gguf")).isEqualTo(new Quantization("Q8_0", "Q8_0"));
        assertThat(quantizationOf("tiny-bf16.gguf")).isEqualTo(new Quantization("BF16", "BF16"));
        assertThat(quantizationOf("tiny-f16.gguf")).isEqualTo(new Quantization("F16", "F16"));
        assertThat(quantizationOf("tiny-f32.gguf")).isEqualTo(new Quantization("F32", "F32"));
        assertThat(quantizationOf("tiny-q8_0.gguf")).hasToString("Q8_0");
    }

    @Test
    void severalWeightTypesAreMixedWithTheTypeHoldingMostElements() {
        Quantization mixed = Quantization.of(List.of(tensor("token_embd.weight", GGMLType.Q6_K, 256, 1024),
                tensor("blk.0.ssm_in.weight", GGMLType.Q4_K, 256, 2048), tensor("blk.0.norm", GGMLType.F32, 256),
                tensor("blk.0.ssm_conv1d.weight", GGMLType.F32, 4, 256)));
        assertThat(mixed).isEqualTo(new Quantization(Quantization.MIXED, "Q4_K"));
        assertThat(mixed).hasToString("mixed (mostly Q4_K)");
    }

    @Test
    void aTensorTableWithoutMatricesIsRefused() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Quantization.of(List.of(tensor("blk.0.norm", GGMLType.F32, 256))))
            .withMessageContaining("no weight matrices");
    }

    private static Quantization quantizationOf(String file) throws IOException {
        try (GGUFFile gguf = GGUFFile.open(TINY.resolve(file))) {
            return Quantization.of(gguf.tensors());
        }
    }

    private static GGUFTensorInfo tensor(String name, GGMLType type, long... dims) {
        long elements = 1;
        for (long dim : dims) {
            elements *= dim;
        }
        return new GGUFTensorInfo(name, type, dims, 0, type.bytesFor(elements));
    }

}
