package io.nemotron4j.engine.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nemotron4j.engine.gguf.GGUFException;
import io.nemotron4j.engine.gguf.GGUFFile;
import io.nemotron4j.engine.gguf.GGUFValue;
import io.nemotron4j.engine.gguf.GGUFWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The public chat template API: typed messages, the built-in template, GGUF metadata, options and errors. */
class ChatTemplateTest {

    private static final String[] TEMPLATES = {"nano-v2-card", "nano-v2-llamacpp", "nano-v2-ja-card", "nemotron3-nano-llamacpp"};

    private static final ToolDefinition GET_W = new ToolDefinition("get_w", "Get the current weather for a city.",
            "{\"type\": \"object\", \"properties\": {\"c\": {\"type\": \"string\", \"description\": \"City name\"}},"
                    + " \"required\": [\"c\"]}");

    /** c01–c04 of the reference, written with the typed model. */
    private static final Map<String, List<ChatMessage>> TYPED = Map.of(
            "c01_single_user", List.of(ChatMessage.user("Hi")),
            "c02_system_no_think", List.of(ChatMessage.system("You are X. /no_think"), ChatMessage.user("Hi")),
            "c03_second_turn_drops_thinking", List.of(ChatMessage.user("Hi"),
                    ChatMessage.assistant("<think>\nhmm\n</think>\nHello!"), ChatMessage.user("Again")),
            "c04_tool_roundtrip", List.of(ChatMessage.user("Weather in Paris, twice please."),
                    ChatMessage.assistant("", List.of(new ToolCall("call_1", "get_w", "{\"c\": \"Paris\"}"))),
                    ChatMessage.tool("call_1", "{\"t\": 20}"), ChatMessage.tool("call_1", "{\"t\": 21}")));

    private static ChatTemplate reference(String name) {
        return ChatTemplate.compile(ReferenceData.template(name));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"c01_single_user", "c02_system_no_think", "c03_second_turn_drops_thinking", "c04_tool_roundtrip"})
    void typedMessagesRenderLikeTheJsonConversation(String conversation) {
        List<ToolDefinition> tools = conversation.startsWith("c04") ? List.of(GET_W) : List.of();
        for (String name : TEMPLATES) {
            ChatTemplate template = reference(name);

            String typed = template.render(TYPED.get(conversation), tools, RenderOptions.generationPrompt());

            assertThat(typed).as(name).isEqualTo(ReferenceData.rendering(name, conversation));
            assertThat(typed).as(name).isEqualTo(ReferenceData.conversation(conversation).renderWith(template));
        }
    }

    @Test
    void typedMessagesConvertToTheConversationFileShape() {
        ChatMessage call = ChatMessage.assistant("Checking.", List.of(new ToolCall("a", "f", "{\"x\": [1, 2.5]}")))
                .withReasoning("think");

        assertThat(call.toJson()).hasToString("{role=assistant, content=Checking., reasoning_content=think,"
                + " tool_calls=[{type=function, function={name=f, arguments={x=[1, 2.5]}}, id=a}]}");
        assertThat(ChatMessage.tool("a", "42").toJson()).hasToString("{role=tool, content=42, tool_call_id=a}");
        assertThat(GET_W.toJson().toString()).startsWith("{type=function, function={name=get_w, description=Get the");
        assertThat(new ToolCall(null, "f", "not json").toJson()).hasToString("{type=function, function={name=f, arguments=not json}}");
    }

    @Test
    void typedModelRejectsInconsistentMessages() {
        ToolCall call = new ToolCall("a", "f", "{}");

        assertThatThrownBy(() -> new ChatMessage(ChatMessage.Role.USER, "x", null, List.of(call), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only assistant");
        assertThatThrownBy(() -> new ChatMessage(ChatMessage.Role.USER, "x", null, List.of(), "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only tool");
        assertThatThrownBy(() -> new ToolDefinition("f", null, "[1]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JSON object");
    }

    @Test
    void reasoningFieldReachesNemotron3() {
        List<ChatMessage> messages = List.of(ChatMessage.user("Q"), ChatMessage.assistant("A").withReasoning("R"));

        String prompt = reference("nemotron3-nano-llamacpp").render(messages, List.of(), RenderOptions.closed());

        assertThat(prompt).endsWith("<|im_start|>assistant\n<think>\nR\n</think>\nA<|im_end|>\n");
    }

    @Test
    void builtInIsTheModelCardTemplate() {
        ChatTemplate builtIn = ChatTemplate.builtIn();

        assertThat(builtIn.source()).isEqualTo(ReferenceData.template("nano-v2-card"));
        assertThat(builtIn.render(List.of(ChatMessage.user("Hi")), List.of(), RenderOptions.generationPrompt()))
                .isEqualTo("<SPECIAL_10>System\n\n<SPECIAL_11>User\nHi\n<SPECIAL_11>Assistant\n<think>\n");
    }

    @Test
    void fromMetadataPrefersTheFilesTemplate(@TempDir Path dir) throws IOException {
        Path withTemplate = dir.resolve("with.gguf");
        new GGUFWriter().put("general.architecture", GGUFValue.string("nemotron_h"))
                .put(ChatTemplate.METADATA_KEY, GGUFValue.string(ReferenceData.template("nemotron3-nano-llamacpp")))
                .write(withTemplate);
        Path without = dir.resolve("without.gguf");
        new GGUFWriter().put("general.architecture", GGUFValue.string("nemotron_h")).write(without);

        try (GGUFFile file = GGUFFile.open(withTemplate)) {
            ChatTemplate template = ChatTemplate.fromMetadata(file.metadata());
            assertThat(ReferenceData.conversation("c11_tools_with_system").renderWith(template))
                    .isEqualTo(ReferenceData.rendering("nemotron3-nano-llamacpp", "c11_tools_with_system"));
        }
        try (GGUFFile file = GGUFFile.open(without)) {
            assertThat(ChatTemplate.fromMetadata(file.metadata())).isSameAs(ChatTemplate.builtIn());
        }
    }

    @Test
    void fromMetadataRejectsANonStringTemplate(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("odd.gguf");
        new GGUFWriter().put(ChatTemplate.METADATA_KEY, GGUFValue.int32(7)).write(model);

        try (GGUFFile file = GGUFFile.open(model)) {
            assertThatThrownBy(() -> ChatTemplate.fromMetadata(file.metadata()))
                    .isInstanceOf(GGUFException.class)
                    .hasMessageContaining(ChatTemplate.METADATA_KEY);
        }
    }

    @Test
    void templateKwargsReachTheTemplate() {
        RenderOptions noThinking = RenderOptions.generationPrompt().withKwarg("enable_thinking", false);

        String prompt = reference("nemotron3-nano-llamacpp").render(List.of(ChatMessage.user("Hi")), List.of(), noThinking);

        assertThat(prompt).isEqualTo(ReferenceData.rendering("nemotron3-nano-llamacpp", "c23_enable_thinking_false_kwarg"));
    }

    @Test
    void continueFinalMessageEndsInsideTheLastMessage() {
        List<ChatMessage> messages = List.of(ChatMessage.system("You are a helpful assistant. /think"),
                ChatMessage.user("What is 2+2?"),
                ChatMessage.assistant("Okay, the user asked 2+2. That is basic arithmetic.\n</think>\n\n"));

        String prompt = ChatTemplate.builtIn().render(messages, List.of(), RenderOptions.continueFinal());

        assertThat(prompt).isEqualTo(ReferenceData.rendering("nano-v2-card", "c09_continue_final_message"))
                .endsWith("arithmetic.\n</think>");
    }

    @Test
    void continueFinalMessageKeepsSpacingTheTemplateKeeps() {
        ChatTemplate plain = ChatTemplate.compile("{% for m in messages %}[{{ m.content }}]{% endfor %}");
        List<Object> messages = List.of(Map.of("role", "user", "content", "a"), Map.of("role", "assistant", "content", "Sure, "));

        assertThat(plain.render(messages, null, false, true, Map.of())).isEqualTo("[a][Sure, ");
    }

    @Test
    void continueFinalMessageDoesNotChangeTheCallersMessages() {
        Map<String, Object> last = new LinkedHashMap<>(Map.of("role", "assistant", "content", "Partial"));
        List<Object> messages = new ArrayList<>(List.of(Map.of("role", "user", "content", "Q"), last));

        ChatTemplate.builtIn().render(messages, null, false, true, Map.of());

        assertThat(last).containsEntry("content", "Partial");
    }

    @Test
    void continueFinalMessageAndGenerationPromptExcludeEachOther() {
        List<Object> messages = List.of(Map.of("role", "user", "content", "Q"));

        assertThatThrownBy(() -> ChatTemplate.builtIn().render(messages, null, true, true, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not compatible");
        assertThatThrownBy(() -> new RenderOptions(true, true, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not compatible");
    }

    @Test
    void continueFinalMessageFailsWhenTheTemplateDropsTheMessage() {
        ChatTemplate dropsAssistant = ChatTemplate.compile("{% for m in messages if m.role == 'user' %}{{ m.content }}{% endfor %}");
        List<Object> messages = List.of(Map.of("role", "user", "content", "Q"), Map.of("role", "assistant", "content", "A"));

        assertThatThrownBy(() -> dropsAssistant.render(messages, null, false, true, Map.of()))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("continue_final_message");
    }

    @Test
    void keywordArgumentsCannotReplaceStandardVariables() {
        assertThatThrownBy(() -> ChatTemplate.builtIn().render(List.of(), null, true, Map.of("messages", List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'messages'");
    }

    @Test
    void compileErrorsNameTheConstructAndLine() {
        assertThatThrownBy(() -> ChatTemplate.compile("{{ bos_token }}\n{%- include 'system.jinja' %}"))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessage("chat template line 2: unsupported tag 'include'")
                .satisfies(e -> assertThat(((ChatTemplateException) e).line()).isEqualTo(2));
    }

    @Test
    void raiseExceptionMessageIsCarried() {
        ChatTemplate strict = ChatTemplate.compile("{% if messages[0].role != 'user' %}\n"
                + "{{ raise_exception('Conversation must start with a user message') }}\n{% endif %}ok");

        assertThat(strict.render(List.of(ChatMessage.user("x")), List.of(), RenderOptions.closed())).isEqualTo("ok");
        assertThatThrownBy(() -> strict.render(List.of(ChatMessage.system("s")), List.of(), RenderOptions.closed()))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessage("chat template line 2: Conversation must start with a user message");
    }
}
