package io.nemotron4j.spring.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.engine.model.NemotronHConfig;
import io.nemotron4j.engine.model.NemotronHModel;
import io.nemotron4j.engine.tensor.TensorFormats;

/**
 * What a loaded model is, as Actuator and the chat model report it.
 *
 * @param name the model name responses and metrics carry
 * @param file the GGUF file
 * @param fileSizeBytes its size
 * @param architecture the GGUF architecture ({@code nemotron_h})
 * @param parameterCount weights in all tensors
 * @param quantization how the weight matrices are stored
 * @param layerCount blocks
 * @param layerPattern one character per block: {@code M} Mamba-2, {@code *} attention, {@code -} MLP
 * @param contextLength the most tokens a sequence may hold, prompt and output together
 * @param vocabularySize tokens the model knows
 * @param backend where the forward pass runs
 * @param kernels which kernels compute on it, e.g. {@code "Vector API, 512-bit (16 floats)"}, with the native int8
 * kernels named when {@code -Dnemotron4j.kernels=native} switched them on
 * @param threads how many ways matrix work is split
 * @since 0.1.0
 */
public record ModelFacts(String name, Path file, long fileSizeBytes, String architecture, long parameterCount,
        Quantization quantization, int layerCount, String layerPattern, int contextLength, int vocabularySize,
        String backend, String kernels, int threads) {

    /** The engine computes on the CPU; a GPU backend would report itself here once the engine has one. */
    public static final String CPU_BACKEND = "cpu";

    /** The facts of the engine's model under the given name. */
    public static ModelFacts of(NemotronEngine engine, String name) {
        NemotronHModel model = engine.model();
        NemotronHConfig config = model.config();
        return new ModelFacts(name, model.file().path(), model.file().fileSize(), NemotronHConfig.ARCHITECTURE,
                model.parameterCount(), Quantization.of(model.file().tensors()), config.layerCount(),
                config.pattern(), config.contextLength(), config.vocabSize(), CPU_BACKEND, TensorFormats.kernels(),
                model.options().threads());
    }

    /** The GGUF's {@code general.name}, else the file name without {@code .gguf}. */
    public static String defaultName(NemotronEngine engine) {
        Optional<String> general;
        try {
            general = engine.model().file().metadata().findString("general.name");
        }
        catch (IOException ex) {
            // A general.name of another type is the converter's oddity, not a reason to fail: fall back.
            general = Optional.empty();
        }
        if (general.isPresent() && !general.get().isBlank()) {
            return general.get().strip();
        }
        String file = engine.model().file().path().getFileName().toString();
        return file.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf") ? file.substring(0, file.length() - 5) : file;
    }

    /** The facts as an ordered map, the shape the info contributor and the endpoint print. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", this.name);
        map.put("file", this.file.toString());
        map.put("fileSizeBytes", this.fileSizeBytes);
        map.put("architecture", this.architecture);
        map.put("parameters", this.parameterCount);
        map.put("quantization", this.quantization.name());
        map.put("weightType", this.quantization.dominantType());
        map.put("layers", this.layerCount);
        map.put("layerPattern", this.layerPattern);
        map.put("contextLength", this.contextLength);
        map.put("vocabularySize", this.vocabularySize);
        map.put("backend", this.backend);
        map.put("kernels", this.kernels);
        map.put("threads", this.threads);
        return map;
    }
}
