package io.nemotron4j.engine.cli;

import io.nemotron4j.engine.gguf.GGUFFile;
import io.nemotron4j.engine.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/** {@code nemotron4j tokenize}: the token ids of a text, as the model's own tokenizer produces them. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {"Prints the token ids of a text as a JSON array on one line, using the tokenizer stored in"
                + " the GGUF file (only its metadata is read). No BOS or EOS is added.",
                "Without --special, special-token texts such as <SPECIAL_11> are ordinary characters, as for user"
                + " input; with --special they become their tokens, as for a rendered chat template."})
public final class TokenizeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "the GGUF model")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--special", description = "match special-token texts (for text rendered from a chat template)")
    boolean special;

    @Spec
    CommandSpec spec;

    /** Exactly one source of text. */
    static final class Input {
        @Option(names = "--text", required = true, paramLabel = "STRING", description = "the text")
        String text;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "read the text from a UTF-8 file")
        Path file;
    }

    @Override
    public Integer call() throws IOException {
        Tokenizer tokenizer;
        try (GGUFFile gguf = GGUFFile.open(model)) {
            tokenizer = Tokenizer.fromMetadata(gguf.metadata());
        }
        String text = input.text != null ? input.text : readText(input.file);
        int[] ids = special ? tokenizer.encodeWithSpecials(text) : tokenizer.encode(text);
        PrintWriter out = spec.commandLine().getOut();
        out.println(JsonMapper.shared().writeValueAsString(ids));
        out.flush();
        return 0;
    }

    private static String readText(Path file) throws IOException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "text file not found");
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not valid UTF-8 text", e);
        }
    }
}
