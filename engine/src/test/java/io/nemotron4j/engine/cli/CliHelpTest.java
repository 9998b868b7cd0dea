package io.nemotron4j.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --help} at every level lists what can be run and every option, and succeeds. */
class CliHelpTest {

    @Test
    void rootHelpListsEverySubcommand() {
        CliRun run = CliRun.of("--help").requireSuccess();

        assertThat(run.out()).contains("Usage: nemotron4j", "inspect", "logits", "generate-model", "help",
                "--version");
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "inspect        | FILE",
            "logits         | --model, --tokens, --top, --out, --json, --decode, --threads, --chunk",
            "generate-model | --config, --dtype, --out, --seed, nano-9b-v2-shallow, Q6_K"})
    void subcommandHelpListsEveryOption(String command, String mentions) {
        for (String[] args : new String[][] {{command, "--help"}, {"help", command}}) {
            CliRun run = CliRun.of(args).requireSuccess();

            assertThat(run.out()).as(String.join(" ", args))
                    .contains("Usage: nemotron4j " + command, "--help")
                    .contains(mentions.split(", "));
        }
    }

    @Test
    void versionNamesTheJavaRuntime() {
        CliRun run = CliRun.of("--version").requireSuccess();

        assertThat(run.out()).startsWith("nemotron4j ").contains("Java " + Runtime.version().feature());
    }
}
