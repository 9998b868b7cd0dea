package io.nemotron4j.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EngineOptionsTest {

    @Test
    void defaultsUseEveryCore() {
        assertThat(EngineOptions.defaults().threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(EngineOptions.defaults().prefillChunk()).isEqualTo(64);
    }

    @Test
    void outOfRangeValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> new EngineOptions(0, 64)).hasMessageContaining("threads");
        assertThatThrownBy(() -> new EngineOptions(2, 0)).hasMessageContaining("prefillChunk");
        // A chunk this large would overflow the scratch arrays; it must be refused before anything is allocated.
        assertThatThrownBy(() -> new EngineOptions(2, 10_000_000)).hasMessageContaining("prefillChunk")
                .hasMessageContaining(String.valueOf(EngineOptions.MAX_PREFILL_CHUNK));
    }
}
