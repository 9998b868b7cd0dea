package io.nemotron4j.engine.cli;

import io.nemotron4j.engine.chat.ChatMessage;
import io.nemotron4j.engine.generate.FinishReason;
import io.nemotron4j.engine.generate.GenerationEvent;
import io.nemotron4j.engine.generate.GenerationRequest;
import io.nemotron4j.engine.generate.NemotronEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nemotron4j run}: one prompt, streamed answer. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Sends one prompt to the model and streams the reply: the reasoning set apart, then the answer,"
                + " then a line of token counts and speeds (on standard error)."})
final class RunCommand implements Callable<Integer> {

    @Mixin
    GenerationOptionsMixin generation;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "the user message")
    String prompt;

    @Option(names = "--system", paramLabel = "TEXT", description = "a system message")
    String system;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(ChatMessage.system(system));
        }
        messages.add(ChatMessage.user(prompt));
        try (NemotronEngine engine = NemotronEngine.load(generation.model, generation.engineOptions())) {
            StreamPrinter printer = new StreamPrinter(spec.commandLine().getOut(), spec.commandLine().getErr(),
                    System.console() != null);
            GenerationEvent.Finished end = engine
                    .submit(new GenerationRequest(messages, List.of(), generation.generationOptions()), printer)
                    .completion().join();
            return end.reason() == FinishReason.ERROR ? 1 : 0;
        }
    }
}
