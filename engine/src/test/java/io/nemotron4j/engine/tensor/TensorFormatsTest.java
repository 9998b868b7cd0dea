package io.nemotron4j.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TensorFormatsTest {

    private static final Set<GGMLType> SUPPORTED = EnumSet.of(GGMLType.F32, GGMLType.F16, GGMLType.BF16,
            GGMLType.Q8_0, GGMLType.Q4_0, GGMLType.Q5_0, GGMLType.Q4_K, GGMLType.Q5_K, GGMLType.Q6_K);

    @Test
    void everySupportedTypeHasAFormatOfThatType() {
        for (GGMLType type : SUPPORTED) {
            assertThat(TensorFormats.isSupported(type)).as("%s", type).isTrue();
            assertThat(type.isSupported()).as("%s", type).isTrue();
            assertThat(TensorFormats.forType(type).type()).isEqualTo(type);
            assertThat(TensorFormats.scalarForType(type).type()).isEqualTo(type);
        }
        assertThat(Arrays.stream(GGMLType.values()).filter(TensorFormats::isSupported))
                .containsExactlyInAnyOrderElementsOf(SUPPORTED);
    }

    @Test
    void unsupportedTypeFailsWithAClearMessage() {
        assertThat(GGMLType.Q2_K.isSupported()).isFalse();
        assertThatThrownBy(() -> TensorFormats.forType(GGMLType.Q2_K))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("tensor type Q2_K is not supported by this engine (supported: ")
                .hasMessageContainingAll("F32", "F16", "BF16", "Q8_0", "Q4_0", "Q5_0", "Q4_K", "Q5_K", "Q6_K")
                .hasMessageNotContaining("IQ");
    }
}
