package io.nemotron4j.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nemotron4j.engine.testing.TestResources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.json.JsonMapper;

class BenchCommandTest {

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(CliRun run) {
        return JsonMapper.shared().readValue(run.out(), Map.class);
    }

    @Test
    void jsonHasTheKeysOfTheIssueWithPlausibleValues() {
        CliRun run = CliRun.of("bench", "--model", TestResources.path("reference/tiny/tiny-q8_0.gguf").toString(),
                "--prompt-tokens", "8", "--gen-tokens", "4", "--repeat", "2", "--depth", "3", "--threads", "1",
                "--bandwidth-mib", "64", "--json").requireSuccess();
        Map<String, Object> r = json(run);
        assertThat(r).containsKeys("prefill_tps", "decode_tps", "decode_tps_stdev", "bytes_per_token", "bandwidth_gbs",
                "decode_fraction_of_limit", "threads", "depth", "kernels");
        assertThat(((Number) r.get("prefill_tps")).doubleValue()).isPositive();
        assertThat(((Number) r.get("decode_tps")).doubleValue()).isPositive();
        assertThat(((Number) r.get("bandwidth_gbs")).doubleValue()).isPositive();
        assertThat(((Number) r.get("decode_fraction_of_limit")).doubleValue()).isPositive();
        assertThat(r.get("threads")).isEqualTo(1);
        assertThat(r.get("depth")).isEqualTo(3);
        // Tensor bytes 238,976 less all but one of the 512 embedding rows of 68 bytes: 204,228; the Mamba states
        // read and written: 2 x 3 layers x (8·16·16 + 3·192) x 4 = 62,976; KV at the middle position 3 + 4/2:
        // 5 x 2 layers x 2 x 2 heads x 16 x 4 = 2,560.
        assertThat(((Number) r.get("bytes_per_token")).longValue()).isEqualTo(204_228L + 62_976L + 2_560L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void concurrencyLevelsReportTotalAndPerStreamDecodeSpeed() {
        CliRun run = CliRun.of("bench", "--model", TestResources.path("reference/tiny/tiny-q8_0.gguf").toString(),
                "--prompt-tokens", "0", "--gen-tokens", "3", "--repeat", "1", "--threads", "1", "--bandwidth-mib", "0",
                "--concurrency", "1,3", "--json").requireSuccess();
        List<Map<String, Object>> levels = (List<Map<String, Object>>) json(run).get("concurrency");
        assertThat(levels).extracting(l -> l.get("streams")).containsExactly(1, 3);
        for (Map<String, Object> level : levels) {
            double total = ((Number) level.get("total_tps")).doubleValue();
            assertThat(total).isPositive();
            assertThat(((Number) level.get("per_stream_tps")).doubleValue())
                    .isCloseTo(total / (Integer) level.get("streams"), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(level).containsKey("total_tps_stdev");
        }
        CliRun text = CliRun.of("bench", "--model", TestResources.path("reference/tiny/tiny-q8_0.gguf").toString(),
                "--prompt-tokens", "0", "--gen-tokens", "2", "--repeat", "1", "--threads", "1", "--bandwidth-mib", "0",
                "--concurrency", "2").requireSuccess();
        assertThat(text.out()).contains("| streams | total t/s | per-stream t/s | vs 1 stream |").contains("| 2 | ");
        assertThat(CliRun.of("bench", "--model", "a.gguf", "--concurrency", "0").exitCode()).isEqualTo(2);
    }

    @Test
    void aShapeIsGeneratedOnceAndReused() throws IOException {
        Path spec = Files.writeString(dir.resolve("small.json"), """
                {"pattern": "M*-", "n_embd": 64, "n_vocab": 256, "n_head": 4, "n_head_kv": 2, "head_dim": 16,
                 "n_ff": 128, "d_inner": 128, "d_state": 16, "n_group": 2, "n_ssm_head": 8}
                """);
        String[] args = {"bench", "--shape", spec.toString(), "--dtype", "Q4_0", "--cache-dir", dir.toString(),
            "--prompt-tokens", "4", "--gen-tokens", "2", "--repeat", "1", "--bandwidth-mib", "0"};
        CliRun first = CliRun.of(args).requireSuccess();
        assertThat(first.err()).contains("generating");
        assertThat(dir.resolve("small-q4_0-seed0.gguf")).exists();
        CliRun second = CliRun.of(args).requireSuccess();
        assertThat(second.err()).doesNotContain("generating");
        assertThat(second.out()).contains("| pp4 |").contains("| tg2 |");
    }

    @Test
    void aFractionAboveTheLimitIsCalledADisturbedTest() {
        assertThat(BenchCommand.fractionOfLimit(0.874)).isEqualTo("decode at 87% of the bandwidth limit");
        assertThat(BenchCommand.fractionOfLimit(1.22)).startsWith("decode at 122% of the bandwidth limit (")
                .contains("the machine was busy during the test");
    }

    @Test
    void modelAndShapeExcludeEachOtherAndOneIsNeeded() {
        assertThat(CliRun.of("bench", "--gen-tokens", "1").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("bench", "--model", "a.gguf", "--shape", "nano-9b-v2").exitCode()).isEqualTo(2);
    }
}
