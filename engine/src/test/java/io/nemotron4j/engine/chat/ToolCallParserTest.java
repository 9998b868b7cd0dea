package io.nemotron4j.engine.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.nemotron4j.engine.chat.ToolCallParser.Format;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tool calls in model output, in both Nemotron formats, including broken output and streaming. */
class ToolCallParserTest {

    private static final ToolCallParser NANO = ToolCallParser.of(Format.NANO_V2);
    private static final ToolCallParser NEMOTRON3 = ToolCallParser.of(Format.NEMOTRON_3);

    // The last block: the system prompt's format instructions come first.
    private static String lastBlock(String text, String open, String close) {
        int start = text.lastIndexOf(open);
        return text.substring(start, text.indexOf(close, start) + close.length());
    }

    @Test
    void nanoV2ReadsWhatItsTemplateWrites() {
        String rendered = ReferenceData.rendering("nano-v2-card", "c13_parallel_tool_calls");

        ParsedAnswer answer = NANO.parse(lastBlock(rendered, "<TOOLCALL>", "</TOOLCALL>"));

        assertThat(answer.toolCalls()).containsExactly(
                new ToolCall(null, "calculate_tip", "{\"bill_total\":100,\"tip_percentage\":18}"),
                new ToolCall(null, "convert_currency", "{\"amount\":118,\"from_currency\":\"USD\",\"to_currency\":\"EUR\"}"));
        assertThat(answer.content()).isEmpty();
        assertThat(answer.diagnostics()).isEmpty();
    }

    @Test
    void nanoV2KeepsTheTextBeforeTheCall() {
        ParsedAnswer answer = NANO.parse("Let me look that up.\n\n<TOOLCALL>[{\"name\": \"get_w\", \"arguments\": {\"c\": \"Paris\"}}]</TOOLCALL>");

        assertThat(answer.content()).isEqualTo("Let me look that up.");
        assertThat(answer.toolCalls()).containsExactly(new ToolCall(null, "get_w", "{\"c\":\"Paris\"}"));
        assertThat(answer.hasToolCalls()).isTrue();
    }

    @Test
    void nemotron3ReadsWhatItsTemplateWrites() {
        String rendered = ReferenceData.rendering("nemotron3-nano-llamacpp", "c04_tool_roundtrip");

        ParsedAnswer answer = NEMOTRON3.parse(lastBlock(rendered, "<tool_call>", "</tool_call>"));

        assertThat(answer.toolCalls()).containsExactly(new ToolCall(null, "get_w", "{\"c\":\"Paris\"}"));
        assertThat(answer.content()).isEmpty();
    }

    @Test
    void nemotron3ReadsSeveralCallsAndTypedValues() {
        String output = """
                I will convert first.
                <tool_call>
                <function=convert_currency>
                <parameter=amount>
                118.5
                </parameter>
                <parameter=from_currency>
                USD
                </parameter>
                <parameter=options>
                {"round": true, "precision": null}
                </parameter>
                <parameter=note>
                two
                lines
                </parameter>
                <parameter=exact>
                True
                </parameter>
                </function>
                </tool_call>
                <tool_call>
                <function=now>
                </function>
                </tool_call>
                """;

        ParsedAnswer answer = NEMOTRON3.parse(output);

        assertThat(answer.content()).isEqualTo("I will convert first.");
        assertThat(answer.toolCalls()).containsExactly(
                new ToolCall(null, "convert_currency", "{\"amount\":118.5,\"from_currency\":\"USD\","
                        + "\"options\":{\"round\":true,\"precision\":null},\"note\":\"two\\nlines\",\"exact\":true}"),
                new ToolCall(null, "now", "{}"));
        assertThat(answer.diagnostics()).isEmpty();
    }

    @Test
    void nemotron3KeepsDeclaredStringParametersAsStrings() {
        ToolDefinition lookup = new ToolDefinition("lookup", null,
                "{\"type\": \"object\", \"properties\": {\"zip\": {\"type\": \"string\"}, \"count\": {\"type\": \"integer\"}}}");
        String output = "<tool_call>\n<function=lookup>\n<parameter=zip>\n10115\n</parameter>\n"
                + "<parameter=count>\n3\n</parameter>\n</function>\n</tool_call>";

        assertThat(ToolCallParser.of(Format.NEMOTRON_3, List.of(lookup)).parse(output).toolCalls())
                .containsExactly(new ToolCall(null, "lookup", "{\"zip\":\"10115\",\"count\":3}"));
        assertThat(NEMOTRON3.parse(output).toolCalls())
                .containsExactly(new ToolCall(null, "lookup", "{\"zip\":10115,\"count\":3}"));
    }

    @Test
    void malformedJsonIsKeptAsTextWithADiagnostic() {
        String output = "Calling now <TOOLCALL>[{\"name\": \"f\", \"arguments\": {]</TOOLCALL>";

        ParsedAnswer answer = NANO.parse(output);

        assertThat(answer.toolCalls()).isEmpty();
        assertThat(answer.content()).isEqualTo(output);
        assertThat(answer.diagnostics()).singleElement().asString()
                .contains("offset 12", "not valid JSON", "kept as text");
    }

    @Test
    void aBrokenBlockDoesNotHideAGoodOne() {
        String output = "<TOOLCALL>[{\"arguments\": {}}]</TOOLCALL>\n<TOOLCALL>[{\"name\": \"g\"}]</TOOLCALL>";

        ParsedAnswer answer = NANO.parse(output);

        assertThat(answer.toolCalls()).containsExactly(new ToolCall(null, "g", "{}"));
        assertThat(answer.content()).isEqualTo("<TOOLCALL>[{\"arguments\": {}}]</TOOLCALL>");
        assertThat(answer.diagnostics()).singleElement().asString().contains("without a \"name\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " :: ", value = {
            "<tool_call>\\n<function=f>\\n<parameter=a>\\n1\\n</function>\\n</tool_call> :: without </parameter>",
            "<tool_call>\\n<parameter=a>\\n1\\n</parameter>\\n</tool_call> :: does not start with <function=",
            "<tool_call>\\n<function=f>\\nhello\\n</function>\\n</tool_call> :: where <parameter=KEY>",
            "<tool_call>\\n<function=f>\\n</function>\\ntrailing\\n</tool_call> :: text after </function>",
            "Thinking aloud <tool_call>\\n<function=f> :: has no </tool_call>"})
    void malformedNemotron3BlocksAreExplained(String escaped, String why) {
        String output = escaped.replace("\\n", "\n");

        ParsedAnswer answer = NEMOTRON3.parse(output);

        assertThat(answer.toolCalls()).isEmpty();
        assertThat(answer.content()).isEqualTo(output);
        assertThat(answer.diagnostics()).singleElement().asString().contains(why);
    }

    @Test
    void anEmptyCallListIsRemovedWithoutCalls() {
        ParsedAnswer answer = NANO.parse("Nothing to call.\n<TOOLCALL>[]</TOOLCALL>");

        assertThat(answer.content()).isEqualTo("Nothing to call.");
        assertThat(answer.toolCalls()).isEmpty();
        assertThat(answer.diagnostics()).isEmpty();
    }

    @Test
    void textWithoutCallsIsUntouched() {
        String output = "  The answer is 4.\n\n";

        ParsedAnswer answer = NANO.parse(output);

        assertThat(answer.content()).isEqualTo(output);
        assertThat(answer.toolCalls()).isEmpty();
        assertThat(answer.diagnostics()).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiterString = " :: ", value = {
            "Hello :: 5",
            "Hello < :: 5",
            "Hello <TOOL :: 5",
            "Hello <TOOLCALL>[{\"name\" :: 5",
            "Hello\\n\\n :: 5",
            "Hello <b> :: 9",
            "a<TOOLCALX :: 10",
            "< :: 0"})
    void streamingHoldsBackWhatMayStartACall(String escaped, int safe) {
        assertThat(NANO.safePrefixLength(escaped.replace("\\n", "\n"))).isEqualTo(safe);
    }

    @Test
    void streamedTextIsAlwaysAPrefixOfTheFinalContent() {
        for (ToolCallParser parser : List.of(NANO, NEMOTRON3)) {
            String call = parser == NANO ? "<TOOLCALL>[{\"name\": \"f\", \"arguments\": {}}]</TOOLCALL>"
                    : "<tool_call>\n<function=f>\n</function>\n</tool_call>";
            String output = "Sure <thing> here.\n\n" + call;
            String content = parser.parse(output).content();
            int shown = 0;
            for (int end = 0; end <= output.length(); end++) {
                int safe = parser.safePrefixLength(output.substring(0, end));
                assertThat(safe).as("at %d", end).isGreaterThanOrEqualTo(shown);
                shown = safe;
                assertThat(content).startsWith(output.substring(0, safe));
            }
            assertThat(content).isEqualTo("Sure <thing> here.");
        }
    }

    @Test
    void formatFollowsTheTemplate() {
        assertThat(Format.of(ChatTemplate.builtIn())).contains(Format.NANO_V2);
        assertThat(Format.of(ChatTemplate.compile(ReferenceData.template("nemotron3-nano-llamacpp")))).contains(Format.NEMOTRON_3);
        assertThat(Format.of(ChatTemplate.compile("{{ messages }}"))).isEmpty();
    }
}
