package io.nemotron4j.spring.chat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.function.FunctionToolCallback;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link NemotronChatOptions}: the builder, immutability, {@code mutate}, and both ways of merging. */
class NemotronChatOptionsTests {

    private static ToolCallback tool(String name) {
        return FunctionToolCallback.builder(name, (String in) -> "ok").inputType(String.class).build();
    }

    private static NemotronChatOptions full() {
        return NemotronChatOptions.builder()
            .model("m")
            .maxTokens(10)
            .temperature(0.5)
            .topK(4)
            .topP(0.9)
            .presencePenalty(0.1)
            .frequencyPenalty(0.2)
            .stopSequences(List.of("END"))
            .toolCallbacks(List.of(tool("a")))
            .toolContext(Map.of("tenant", "acme"))
            .thinking(true)
            .thinkingBudget(64)
            .minP(0.05)
            .repetitionPenalty(1.1)
            .seed(9L)
            .build();
    }

    @Test
    void theBuilderSetsEveryValue() {
        NemotronChatOptions o = full();
        assertThat(o.getModel()).isEqualTo("m");
        assertThat(o.getMaxTokens()).isEqualTo(10);
        assertThat(o.getTemperature()).isEqualTo(0.5);
        assertThat(o.getTopK()).isEqualTo(4);
        assertThat(o.getTopP()).isEqualTo(0.9);
        assertThat(o.getPresencePenalty()).isEqualTo(0.1);
        assertThat(o.getFrequencyPenalty()).isEqualTo(0.2);
        assertThat(o.getStopSequences()).containsExactly("END");
        assertThat(o.getToolCallbacks()).extracting(t -> t.getToolDefinition().name()).containsExactly("a");
        assertThat(o.getToolContext()).containsEntry("tenant", "acme");
        assertThat(o.getThinking()).isTrue();
        assertThat(o.getThinkingBudget()).isEqualTo(64);
        assertThat(o.getMinP()).isEqualTo(0.05);
        assertThat(o.getRepetitionPenalty()).isEqualTo(1.1);
        assertThat(o.getSeed()).isEqualTo(9L);
        assertThat(o.toString()).contains("thinkingBudget=64").contains("tools=1");
    }

    @Test
    void buildAndMutateGiveEqualButDistinctOptions() {
        NemotronChatOptions o = full();
        NemotronChatOptions copy = o.mutate().build();
        assertThat(copy).isEqualTo(o).hasSameHashCodeAs(o).isNotSameAs(o);
        assertThat(o.mutate()).isInstanceOf(NemotronChatOptions.Builder.class);
        assertThat(o.mutate().thinkingBudget(65).build()).isNotEqualTo(o);
        assertThat(o.mutate().seed(10L).build()).isNotEqualTo(o);
        assertThat(o.mutate().minP(0.06).build()).isNotEqualTo(o);
        assertThat(o.mutate().repetitionPenalty(1.2).build()).isNotEqualTo(o);
        assertThat(o.mutate().thinking(false).build()).isNotEqualTo(o);
    }

    @Test
    void theOptionsCannotBeChangedThroughWhatTheyHandOut() {
        NemotronChatOptions o = full();
        assertThat(o.getStopSequences()).isUnmodifiable();
        assertThat(o.getToolCallbacks()).isUnmodifiable();
        NemotronChatOptions.Builder builder = o.mutate();
        builder.stopSequences(List.of("OTHER")).build();
        assertThat(o.getStopSequences()).containsExactly("END");
    }

    @Test
    void combineWithTakesTheOthersValuesAsChatClientMergesBuilders() {
        NemotronChatOptions merged = full().mutate()
            .combineWith(NemotronChatOptions.builder().temperature(0.1).thinkingBudget(8).stopSequences(List.of("STOP"))
                .toolCallbacks(List.of(tool("b"))))
            .build();
        assertThat(merged.getTemperature()).isEqualTo(0.1);
        assertThat(merged.getThinkingBudget()).isEqualTo(8);
        assertThat(merged.getThinking()).isTrue();
        assertThat(merged.getSeed()).isEqualTo(9L);
        assertThat(merged.getStopSequences()).containsExactly("END", "STOP");
        assertThat(merged.getToolCallbacks()).extracting(t -> t.getToolDefinition().name()).containsExactly("a", "b");

        NemotronChatOptions fromPortable = full().mutate().combineWith(ChatOptions.builder().maxTokens(3)).build();
        assertThat(fromPortable.getMaxTokens()).isEqualTo(3);
        assertThat(fromPortable.getThinkingBudget()).isEqualTo(64);
    }

    @Test
    void mergeFromAcceptsOptionsOfAnyTypeLeniently() {
        NemotronChatOptions defaults = full();
        ChatOptions portable = ChatOptions.builder().temperature(0.0).maxTokens(5).stopSequences(List.of("X")).build();
        NemotronChatOptions merged = defaults.mutate().mergeFrom(portable).build();
        assertThat(merged.getTemperature()).isEqualTo(0.0);
        assertThat(merged.getMaxTokens()).isEqualTo(5);
        assertThat(merged.getStopSequences()).containsExactly("X");
        assertThat(merged.getTopK()).isEqualTo(4);
        assertThat(merged.getThinkingBudget()).isEqualTo(64);
        assertThat(merged.getToolCallbacks()).hasSize(1);

        ToolCallingChatOptions withTools = ToolCallingChatOptions.builder()
            .toolCallbacks(List.of(tool("c")))
            .toolContext(Map.of("user", "u1"))
            .build();
        NemotronChatOptions toolMerged = defaults.mutate().mergeFrom(withTools).build();
        assertThat(toolMerged.getToolCallbacks()).extracting(t -> t.getToolDefinition().name()).containsExactly("c");
        assertThat(toolMerged.getToolContext()).containsEntry("tenant", "acme").containsEntry("user", "u1");

        assertThat(defaults.mutate().mergeFrom(null).build()).isEqualTo(defaults);
    }

    @Test
    void mergingTheSameOptionsTwiceChangesNothing() {
        NemotronChatOptions defaults = NemotronChatOptions.builder().temperature(0.6).build();
        NemotronChatOptions request = full();
        NemotronChatOptions once = defaults.mutate().mergeFrom(request).build();
        NemotronChatOptions twice = once.mutate().mergeFrom(request).build();
        assertThat(twice).isEqualTo(once);
        assertThat(twice.getStopSequences()).containsExactly("END");
    }
}
