package io.nemotron4j.engine.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reasoning state at the end of reference prompts rendered for generation. */
class ReasoningModeTest {

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource({
            "nano-v2-card,            c01_single_user,                    ON",
            "nano-v2-card,            c02_system_no_think,                OFF",
            "nano-v2-llamacpp,        c06_user_no_think,                  OFF",
            "nano-v2-card,            c09_continue_final_message,         OFF",
            "nano-v2-card,            c29_assistant_prefill_gen_prompt,   ON",
            "nano-v2-ja-card,         c23_enable_thinking_false_kwarg,    OFF",
            "nemotron3-nano-llamacpp, c10_multi_turn_thinking,            ON",
            "nemotron3-nano-llamacpp, c23_enable_thinking_false_kwarg,    OFF"})
    void referencePrompts(String template, String conversation, ReasoningMode expected) {
        assertThat(ReasoningMode.ofPrompt(ReferenceData.rendering(template, conversation))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "'<|user|>Hi<|assistant|>',                        NONE",
            "'<think>\nx\n</think>\nA<s>Next<think>\n',         ON",
            "'<think></think>Sure, ',                           OFF"})
    void judgedByTheLastMarkers(String prompt, ReasoningMode expected) {
        assertThat(ReasoningMode.ofPrompt(prompt)).isEqualTo(expected);
    }
}
