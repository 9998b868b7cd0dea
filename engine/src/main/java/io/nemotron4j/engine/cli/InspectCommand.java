package io.nemotron4j.engine.cli;

import io.nemotron4j.engine.gguf.GGUFArray;
import io.nemotron4j.engine.gguf.GGUFException;
import io.nemotron4j.engine.gguf.GGUFFile;
import io.nemotron4j.engine.gguf.GGUFTensorInfo;
import io.nemotron4j.engine.gguf.GGUFValue;
import io.nemotron4j.engine.gguf.GGUFValueType;
import io.nemotron4j.engine.model.LayerKind;
import io.nemotron4j.engine.model.NemotronHConfig;
import io.nemotron4j.engine.tensor.GGMLType;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nemotron4j inspect FILE}: what a GGUF file holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Prints a GGUF file's metadata, tensor table, layer pattern, parameter count and bytes by tensor type.")
final class InspectCommand implements Callable<Integer> {

    private static final int SHOWN_ELEMENTS = 8;
    private static final int SHOWN_CHARS = 160;

    @Parameters(index = "0", paramLabel = "FILE", description = "the GGUF file")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (GGUFFile gguf = GGUFFile.open(file)) {
            out.printf("file:      %s%n", file);
            out.printf("format:    GGUF v%d, %,d bytes, alignment %d, data at byte %,d%n", gguf.version(),
                    gguf.fileSize(), gguf.alignment(), gguf.dataOffset());
            out.printf("%nmetadata (%d keys):%n", gguf.metadata().keys().size());
            for (Map.Entry<String, GGUFValue> e : gguf.metadata().asMap().entrySet()) {
                out.printf("  %-48s %s%n", e.getKey(), describe(e.getValue()));
            }
            out.printf("%ntensors (%d):%n", gguf.tensors().size());
            out.printf("  %-32s %-6s %-22s %16s %16s%n", "name", "type", "shape", "bytes", "offset");
            Map<GGMLType, long[]> byType = new EnumMap<>(GGMLType.class);
            long params = 0;
            for (GGUFTensorInfo t : gguf.tensors()) {
                out.printf("  %-32s %-6s %-22s %,16d %,16d%n", t.name(), t.type(), t.shape(), t.byteSize(), t.offset());
                long[] sums = byType.computeIfAbsent(t.type(), k -> new long[3]);
                sums[0]++;
                sums[1] += t.elementCount();
                sums[2] += t.byteSize();
                params += t.elementCount();
            }
            out.printf("%nparameters: %,d%n", params);
            out.println("bytes by tensor type:");
            for (Map.Entry<GGMLType, long[]> e : byType.entrySet()) {
                long[] s = e.getValue();
                out.printf("  %-6s %5d tensors %,18d elements %,18d bytes (%s)%n", e.getKey(), s[0], s[1], s[2],
                        Units.bytes(s[2]));
            }
            describeModel(out, gguf);
        }
        return 0;
    }

    private static void describeModel(PrintWriter out, GGUFFile gguf) {
        try {
            NemotronHConfig c = NemotronHConfig.fromMetadata(gguf.metadata());
            out.printf("%nmodel:     %s, %d layers (%d Mamba-2, %d attention, %d MLP)%n", NemotronHConfig.ARCHITECTURE,
                    c.layerCount(), c.count(LayerKind.MAMBA), c.count(LayerKind.ATTENTION), c.count(LayerKind.MLP));
            out.printf("pattern:   %s%n", c.pattern());
            out.printf("shapes:    E=%d V=%d context=%,d | attention H=%d Dh=%d | Mamba Di=%d Hm=%d P=%d N=%d G=%d K=%d%n",
                    c.embeddingLength(), c.vocabSize(), c.contextLength(), c.headCount(), c.headDim(), c.ssmInner(),
                    c.ssmHeads(), c.ssmHeadDim(), c.ssmState(), c.ssmGroups(), c.convKernel());
            out.printf("state:     Mamba %s per sequence (f32), KV cache %s per token (f32)%n",
                    Units.bytes(c.mambaStateBytes()), Units.bytes(c.kvBytesPerPosition()));
        } catch (GGUFException e) {
            out.printf("%nmodel:     not a runnable Nemotron-H model: %s%n", e.getMessage());
        }
    }

    private static String describe(GGUFValue v) {
        if (v.type() != GGUFValueType.ARRAY) {
            return v.type() + " " + clip(v.toString());
        }
        GGUFArray a = (GGUFArray) v.value();
        StringBuilder sb = new StringBuilder(a.toString()).append(' ');
        int n = Math.min(a.length(), SHOWN_ELEMENTS);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? ", " : "").append(element(a, i));
        }
        return clip(sb.append(a.length() > n ? ", ...]" : "]").toString());
    }

    private static String element(GGUFArray a, int i) {
        return switch (a.elementType()) {
            case STRING -> '"' + a.strings()[i] + '"';
            case FLOAT32 -> Float.toString(a.floats()[i]);
            case FLOAT64 -> Double.toString(((double[]) a.values())[i]);
            case BOOL -> Boolean.toString(((boolean[]) a.values())[i]);
            case ARRAY -> a.arrays()[i].toString();
            case UINT64 -> Long.toUnsignedString(a.longs()[i]);
            default -> Long.toString(a.longs()[i]);
        };
    }

    private static String clip(String s) {
        String oneLine = s.replace("\n", "\\n");
        return oneLine.length() <= SHOWN_CHARS ? oneLine : oneLine.substring(0, SHOWN_CHARS) + "...";
    }
}
