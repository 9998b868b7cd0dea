package io.nemotron4j.engine.generate;

import io.nemotron4j.engine.chat.ChatMessage;
import io.nemotron4j.engine.chat.ChatTemplate;
import io.nemotron4j.engine.chat.ReasoningMode;
import io.nemotron4j.engine.chat.RenderOptions;
import io.nemotron4j.engine.chat.ToolDefinition;
import io.nemotron4j.engine.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a conversation with the model's chat template and tokenizes it so that only the template's own text can
 * produce special tokens.
 *
 * <p>Why: the template concatenates user text with turn markers ({@code '<SPECIAL_11>User\n' + content}), so the
 * rendered string alone cannot tell a marker the template wrote from one a user typed. Before rendering, every
 * special-token text inside user and tool messages is swapped for a placeholder of private-use characters that no
 * template operation alters ({@code strip}, {@code replace('/think', '')} and {@code in} tests behave the same);
 * after rendering, the template's text is tokenized with special tokens and each placeholder as the plain text it
 * stands for. A user who types {@code <SPECIAL_11>Assistant} gets those characters, not a new turn.
 */
final class PromptBuilder {

    private static final char OPEN = '\uE000';
    private static final char CLOSE = '\uE001';
    private static final Pattern PLACEHOLDER = Pattern.compile(OPEN + "(\\d+)" + CLOSE);
    private static final String THINK_OPEN = "<think>";
    private static final String THINK_CLOSE = "</think>";

    /** A tokenized prompt and whether it leaves the model inside its reasoning. */
    record Prompt(int[] tokens, String text, boolean thinking) {
    }

    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    /** Texts that plain encoding would not turn into special tokens but template encoding would, longest first. */
    private final List<String> guarded;

    PromptBuilder(Tokenizer tokenizer, ChatTemplate template) {
        this.tokenizer = tokenizer;
        this.template = template;
        List<String> texts = new ArrayList<>();
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            if (tokenizer.isControl(id) && !tokenizer.tokenText(id).isEmpty()) {
                texts.add(tokenizer.tokenText(id));
            }
        }
        texts.add(String.valueOf(OPEN));
        texts.sort((a, b) -> b.length() - a.length());
        this.guarded = List.copyOf(texts);
    }

    Prompt build(List<ChatMessage> messages, List<ToolDefinition> tools, ThinkingMode mode) {
        List<String> originals = new ArrayList<>();
        List<ChatMessage> safe = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            boolean untrusted = m.role() == ChatMessage.Role.USER || m.role() == ChatMessage.Role.TOOL;
            safe.add(untrusted && m.content() != null
                    ? new ChatMessage(m.role(), defuse(m.content(), originals), m.reasoning(), m.toolCalls(), m.toolCallId())
                    : m);
        }
        boolean prefill = messages.getLast().role() == ChatMessage.Role.ASSISTANT;
        RenderOptions options = prefill ? RenderOptions.continueFinal() : RenderOptions.generationPrompt();
        if (mode != ThinkingMode.DEFAULT) {
            options = options.withKwarg("enable_thinking", mode == ThinkingMode.ON);
        }
        String text = forceThinking(template.render(safe, tools, options), mode);
        return new Prompt(tokenize(text, originals), restore(text, originals),
                ReasoningMode.ofPrompt(text) == ReasoningMode.ON);
    }

    /**
     * How many leading tokens of {@code prompt} come from the conversation's leading system messages and tools
     * alone, so that every request with the same system prompt and tools shares them: the common prefix of two
     * probe renderings that differ only in a user message, cut to what {@code prompt} has in common with them
     * (tokenization may join the last system token with what follows). 0 without a system message or tools.
     */
    int sharedPrefixLength(List<ChatMessage> messages, List<ToolDefinition> tools, ThinkingMode mode, int[] prompt) {
        List<ChatMessage> system = new ArrayList<>();
        for (ChatMessage m : messages) {
            if (m.role() != ChatMessage.Role.SYSTEM) {
                break;
            }
            system.add(m);
        }
        if (system.isEmpty() && tools.isEmpty()) {
            return 0;
        }
        int[] a = build(probe(system, "A"), tools, mode).tokens();
        int[] b = build(probe(system, "B"), tools, mode).tokens();
        return Math.min(commonPrefix(a, b), commonPrefix(a, prompt));
    }

    private static List<ChatMessage> probe(List<ChatMessage> system, String user) {
        List<ChatMessage> probe = new ArrayList<>(system);
        probe.add(ChatMessage.user(user));
        return probe;
    }

    private static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    /**
     * Templates read the reasoning switch in different ways ({@code /think} flags, an {@code enable_thinking}
     * variable, or not at all); the generation prompt is where it shows, so that is where it is enforced.
     */
    private static String forceThinking(String text, ThinkingMode mode) {
        if (mode == ThinkingMode.OFF && text.endsWith(THINK_OPEN + "\n")) {
            return text.substring(0, text.length() - 1) + THINK_CLOSE;
        }
        if (mode == ThinkingMode.ON && text.endsWith(THINK_OPEN + THINK_CLOSE)) {
            return text.substring(0, text.length() - THINK_CLOSE.length()) + "\n";
        }
        return text;
    }

    private String defuse(String content, List<String> originals) {
        StringBuilder out = new StringBuilder(content.length());
        int i = 0;
        outer:
        while (i < content.length()) {
            for (String g : guarded) {
                if (content.startsWith(g, i)) {
                    out.append(OPEN).append(originals.size()).append(CLOSE);
                    originals.add(g);
                    i += g.length();
                    continue outer;
                }
            }
            out.append(content.charAt(i++));
        }
        return out.toString();
    }

    private int[] tokenize(String text, List<String> originals) {
        IntBuffer ids = new IntBuffer();
        Matcher m = PLACEHOLDER.matcher(text);
        int at = 0;
        while (m.find()) {
            int index = Integer.parseInt(m.group(1));
            if (index >= originals.size()) {
                continue;
            }
            ids.add(tokenizer.encodeWithSpecials(text.substring(at, m.start())));
            ids.add(tokenizer.encode(originals.get(index)));
            at = m.end();
        }
        ids.add(tokenizer.encodeWithSpecials(text.substring(at)));
        return ids.toArray();
    }

    private static String restore(String text, List<String> originals) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int index = Integer.parseInt(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(index < originals.size() ? originals.get(index) : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A growable int array for the prompt's ids. */
    private static final class IntBuffer {
        private int[] data = new int[256];
        private int size;

        void add(int[] more) {
            if (size + more.length > data.length) {
                data = java.util.Arrays.copyOf(data, Math.max(size + more.length, 2 * data.length));
            }
            System.arraycopy(more, 0, data, size, more.length);
            size += more.length;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
