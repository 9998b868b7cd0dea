package io.nemotron4j.engine.cli;

import io.nemotron4j.engine.chat.ChatMessage;
import io.nemotron4j.engine.generate.FinishReason;
import io.nemotron4j.engine.generate.GenerationEvent;
import io.nemotron4j.engine.generate.GenerationRequest;
import io.nemotron4j.engine.generate.NemotronEngine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nemotron4j chat}: an interactive multi-turn conversation. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Talks with the model turn by turn on the terminal. Type a message and press Enter;"
                + " /reset starts over, /exit (or end of input) quits."})
final class ChatCommand implements Callable<Integer> {

    @Mixin
    GenerationOptionsMixin generation;

    @Option(names = "--system", paramLabel = "TEXT", description = "a system message")
    String system;

    @Spec
    CommandSpec spec;

    /** Where the user's lines come from; tests replace it. */
    java.io.InputStream input = System.in;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
        try (NemotronEngine engine = NemotronEngine.load(generation.model, generation.engineOptions())) {
            List<ChatMessage> history = fresh();
            err.println("model loaded; /reset starts over, /exit quits");
            while (true) {
                out.print("> ");
                out.flush();
                String line = in.readLine();
                if (line == null || line.strip().equals("/exit")) {
                    return 0;
                }
                if (line.strip().equals("/reset")) {
                    history = fresh();
                    continue;
                }
                if (line.isBlank()) {
                    continue;
                }
                history.add(ChatMessage.user(line));
                StringBuilder answer = new StringBuilder();
                StreamPrinter printer = new StreamPrinter(out, err, System.console() != null);
                GenerationEvent.Finished end = engine.submit(
                        new GenerationRequest(history, List.of(), generation.generationOptions()), event -> {
                            if (event instanceof GenerationEvent.AnswerDelta a) {
                                answer.append(a.text());
                            }
                            printer.onEvent(event);
                        }).completion().join();
                if (end.reason() == FinishReason.ERROR) {
                    history.removeLast();
                } else {
                    history.add(ChatMessage.assistant(answer.toString()));
                }
            }
        }
    }

    private List<ChatMessage> fresh() {
        List<ChatMessage> h = new ArrayList<>();
        if (system != null) {
            h.add(ChatMessage.system(system));
        }
        return h;
    }
}
