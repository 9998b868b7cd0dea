package io.nemotron4j.engine.cli;

import io.nemotron4j.engine.chat.ChatTemplate;
import io.nemotron4j.engine.chat.ConversationFile;
import io.nemotron4j.engine.gguf.GGUFFile;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nemotron4j render}: print the exact prompt a chat template makes of a conversation. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Renders a conversation with a chat template and prints the prompt exactly, with nothing added"
                + " (no trailing newline).",
                "The template is --template if given, else the model's tokenizer.chat_template, else the built-in"
                + " Nemotron Nano v2 template.",
                "The conversation is JSON: {\"messages\": [...], \"tools\": [...], \"add_generation_prompt\": true,"
                + " \"continue_final_message\": false, \"template_kwargs\": {...}}; only messages is required."})
public final class RenderCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "FILE",
            description = "GGUF model whose chat template to use (only its metadata is read)")
    Path model;

    @Option(names = "--conversation", required = true, paramLabel = "FILE.json", description = "the conversation to render")
    Path conversation;

    @Option(names = "--template", paramLabel = "FILE.jinja",
            description = "a chat template file, used instead of the model's")
    Path template;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ConversationFile chat = ConversationFile.read(conversation);
        String prompt = chat.renderWith(template());
        PrintWriter out = spec.commandLine().getOut();
        out.print(prompt);
        out.flush();
        return 0;
    }

    private ChatTemplate template() throws IOException {
        if (template != null) {
            return ChatTemplate.compile(Files.readString(template));
        }
        if (model != null) {
            try (GGUFFile file = GGUFFile.open(model)) {
                return ChatTemplate.fromMetadata(file.metadata());
            }
        }
        return ChatTemplate.builtIn();
    }
}
