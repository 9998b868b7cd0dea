package io.nemotron4j.engine.chat;

import io.nemotron4j.engine.chat.jinja.PyStrings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finds the tool calls in a model's answer (the text after its reasoning), in the form its chat template teaches:
 * <ul>
 * <li>{@link Format#NANO_V2}: {@code <TOOLCALL>[{"name": "f", "arguments": {...}}, ...]</TOOLCALL>};</li>
 * <li>{@link Format#NEMOTRON_3}: one block per call, as the Nemotron 3 template renders calls in the history:
 * <pre>
 * &lt;tool_call&gt;
 * &lt;function=f&gt;
 * &lt;parameter=city&gt;
 * Paris
 * &lt;/parameter&gt;
 * &lt;/function&gt;
 * &lt;/tool_call&gt;</pre>
 * A parameter value is raw text. It becomes a JSON string when the tool's schema declares the parameter a
 * string; otherwise it is read as JSON when it is JSON (a number, object, {@code true}, ...) or as one of
 * Python's {@code True}/{@code False}/{@code None} (which the template writes for booleans and null), and as a
 * string when it is neither.</li>
 * </ul>
 * A block that cannot be read is left in the answer text and explained in {@link ParsedAnswer#diagnostics()}; the
 * parser never throws on model output. Instances are immutable and thread-safe.
 */
public final class ToolCallParser {

    /** The tool-call markup of a model family. */
    public enum Format {
        /** Nemotron Nano v2: a JSON list inside {@code <TOOLCALL>…</TOOLCALL>}. */
        NANO_V2("<TOOLCALL>", "</TOOLCALL>"),
        /** Nemotron 3: XML-like {@code <tool_call><function=…><parameter=…>} blocks. */
        NEMOTRON_3("<tool_call>", "</tool_call>");

        private final String open;
        private final String close;

        Format(String open, String close) {
            this.open = open;
            this.close = close;
        }

        /** The format a chat template teaches, judged by the markup its text contains; empty if neither. */
        public static Optional<Format> of(ChatTemplate template) {
            String source = template.source();
            if (source.contains(NANO_V2.open)) {
                return Optional.of(NANO_V2);
            }
            return source.contains(NEMOTRON_3.open) ? Optional.of(NEMOTRON_3) : Optional.empty();
        }
    }

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final String FUNCTION = "<function=";
    private static final String FUNCTION_END = "</function>";
    private static final String PARAMETER = "<parameter=";
    private static final String PARAMETER_END = "</parameter>";

    private final Format format;
    // Declared JSON Schema types per tool and parameter, to keep string parameters as strings (Nemotron 3).
    private final Map<String, Map<String, JsonNode>> declaredTypes;

    private ToolCallParser(Format format, Map<String, Map<String, JsonNode>> declaredTypes) {
        this.format = format;
        this.declaredTypes = declaredTypes;
    }

    /** A parser for the given markup with no knowledge of the tools' schemas. */
    public static ToolCallParser of(Format format) {
        return new ToolCallParser(Objects.requireNonNull(format, "format"), Map.of());
    }

    /** A parser that also reads the tools' parameter types, so that Nemotron 3 string parameters stay strings. */
    public static ToolCallParser of(Format format, List<ToolDefinition> tools) {
        Map<String, Map<String, JsonNode>> types = new HashMap<>();
        for (ToolDefinition tool : tools) {
            Map<String, JsonNode> params = new HashMap<>();
            JsonNode properties = STRICT.readTree(tool.parametersJsonSchema()).get("properties");
            if (properties != null && properties.isObject()) {
                properties.properties().forEach(e -> {
                    JsonNode type = e.getValue().get("type");
                    if (type != null) {
                        params.put(e.getKey(), type);
                    }
                });
            }
            types.put(tool.name(), params);
        }
        return new ToolCallParser(Objects.requireNonNull(format, "format"), types);
    }

    /** The markup this parser reads. */
    public Format format() {
        return format;
    }

    /** Splits a complete answer into its text and its tool calls. */
    public ParsedAnswer parse(String text) {
        List<ToolCall> calls = new ArrayList<>();
        List<String> diagnostics = new ArrayList<>();
        StringBuilder content = new StringBuilder();
        boolean separate = false;
        boolean afterBlock = false;
        boolean removed = false;
        int pos = 0;
        while (true) {
            int open = text.indexOf(format.open, pos);
            int close = open < 0 ? -1 : text.indexOf(format.close, open + format.open.length());
            if (open >= 0 && close < 0) {
                diagnostics.add(format.open + " at offset " + open + " has no " + format.close
                        + " (the output ended inside the block); kept as text");
            }
            if (close < 0) {
                append(content, text.substring(pos), afterBlock, false, separate);
                break;
            }
            int end = close + format.close.length();
            try {
                calls.addAll(readBlock(text.substring(open + format.open.length(), close)));
                append(content, text.substring(pos, open), afterBlock, true, separate);
                separate = true;
                afterBlock = true;
                removed = true;
            } catch (MalformedBlock e) {
                diagnostics.add(format.open + " block at offset " + open + " " + e.getMessage() + "; kept as text");
                separate = append(content, text.substring(pos, end), afterBlock, false, separate);
                afterBlock = false;
            }
            pos = end;
        }
        return new ParsedAnswer(removed ? content.toString() : text, calls, diagnostics);
    }

    // Adds a piece of answer text, dropping the whitespace that touches a removed block; a newline stands in for a
    // block removed between two pieces of text. Returns whether a separator is still owed.
    private static boolean append(StringBuilder out, String piece, boolean trimStart, boolean trimEnd, boolean separate) {
        String s = trimStart ? PyStrings.lstrip(piece) : piece;
        s = trimEnd ? PyStrings.rstrip(s) : s;
        if (s.isEmpty()) {
            return separate;
        }
        if (separate && !out.isEmpty()) {
            out.append('\n');
        }
        out.append(s);
        return false;
    }

    /**
     * While streaming: how much of the text generated so far can be shown as answer text now. The rest might
     * become part of a tool-call block (it contains the start of the open tag, or ends with a prefix of it) or is
     * whitespace that would be dropped with a following block; hold it back until more text arrives, and at the
     * end call {@link #parse}, whose content the shown text is always a prefix of. Once a block has started,
     * nothing after it is released.
     */
    public int safePrefixLength(String textSoFar) {
        int open = textSoFar.indexOf(format.open);
        int cut = open >= 0 ? open : partialTagStart(textSoFar);
        return PyStrings.rstrip(textSoFar.substring(0, cut)).length();
    }

    // Where a proper prefix of the open tag ends the text, or the text's length.
    private int partialTagStart(String text) {
        for (int i = Math.max(0, text.length() - format.open.length() + 1); i < text.length(); i++) {
            if (format.open.startsWith(text.substring(i))) {
                return i;
            }
        }
        return text.length();
    }

    private List<ToolCall> readBlock(String inner) throws MalformedBlock {
        return format == Format.NANO_V2 ? readJsonBlock(inner) : List.of(readXmlBlock(inner));
    }

    private static List<ToolCall> readJsonBlock(String inner) throws MalformedBlock {
        JsonNode root;
        try {
            root = STRICT.readTree(inner);
        } catch (JacksonException e) {
            throw new MalformedBlock("is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        List<JsonNode> items = new ArrayList<>();
        if (root != null && root.isArray()) {
            root.values().forEach(items::add);
        } else if (root != null && root.isObject()) {
            items.add(root);
        } else {
            throw new MalformedBlock("holds neither a list of calls nor one call");
        }
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode item : items) {
            JsonNode name = item.isObject() ? item.get("name") : null;
            if (name == null || !name.isString() || name.stringValue().isBlank()) {
                throw new MalformedBlock("has a call without a \"name\" string");
            }
            JsonNode arguments = item.get("arguments");
            String json = arguments == null || arguments.isNull() ? "{}"
                    : arguments.isString() ? arguments.stringValue() : STRICT.writeValueAsString(arguments);
            calls.add(new ToolCall(null, name.stringValue(), json));
        }
        return calls;
    }

    private ToolCall readXmlBlock(String inner) throws MalformedBlock {
        int i = skipSpace(inner, 0);
        if (!inner.startsWith(FUNCTION, i)) {
            throw new MalformedBlock("does not start with " + FUNCTION + "NAME>");
        }
        int nameEnd = inner.indexOf('>', i);
        String name = nameEnd < 0 ? "" : inner.substring(i + FUNCTION.length(), nameEnd).strip();
        if (name.isEmpty() || name.contains("\n")) {
            throw new MalformedBlock("has no function name in " + FUNCTION + "NAME>");
        }
        ObjectNode arguments = JsonNodeFactory.instance.objectNode();
        i = nameEnd + 1;
        while (true) {
            i = skipSpace(inner, i);
            if (inner.startsWith(FUNCTION_END, i)) {
                i += FUNCTION_END.length();
                break;
            }
            if (!inner.startsWith(PARAMETER, i)) {
                throw new MalformedBlock("has text where " + PARAMETER + "KEY> or " + FUNCTION_END + " belongs");
            }
            int keyEnd = inner.indexOf('>', i);
            int valueEnd = keyEnd < 0 ? -1 : inner.indexOf(PARAMETER_END, keyEnd);
            if (valueEnd < 0) {
                throw new MalformedBlock("has a parameter without " + PARAMETER_END);
            }
            String key = inner.substring(i + PARAMETER.length(), keyEnd).strip();
            arguments.set(key, value(name, key, unwrapLines(inner.substring(keyEnd + 1, valueEnd))));
            i = valueEnd + PARAMETER_END.length();
        }
        if (skipSpace(inner, i) != inner.length()) {
            throw new MalformedBlock("has text after " + FUNCTION_END);
        }
        return new ToolCall(null, name, STRICT.writeValueAsString(arguments));
    }

    // The template writes each value between a newline after the opening tag and one before the closing tag.
    private static String unwrapLines(String value) {
        String v = value.startsWith("\n") ? value.substring(1) : value;
        return v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
    }

    private JsonNode value(String function, String parameter, String raw) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        JsonNode declared = declaredTypes.getOrDefault(function, Map.of()).get(parameter);
        if (raw.isBlank() || (declared != null && declared.isString() && declared.stringValue().equals("string"))) {
            return nodes.stringNode(raw);
        }
        switch (raw.strip()) {
            case "True" -> {
                return nodes.booleanNode(true);
            }
            case "False" -> {
                return nodes.booleanNode(false);
            }
            case "None" -> {
                return nodes.nullNode();
            }
            default -> {
                try {
                    return STRICT.readTree(raw);
                } catch (JacksonException e) {
                    return nodes.stringNode(raw);
                }
            }
        }
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && PyStrings.isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Why a block could not be read; checked, so that no path lets it escape to the caller. */
    private static final class MalformedBlock extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedBlock(String message) {
            super(message, null, false, false);
        }
    }
}
