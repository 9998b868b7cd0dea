package io.nemotron4j.engine.model;

import io.nemotron4j.engine.gguf.GGUFFile;
import io.nemotron4j.engine.gguf.GGUFTensorInfo;
import io.nemotron4j.engine.gguf.GGUFValue;
import io.nemotron4j.engine.gguf.GGUFWriter;
import io.nemotron4j.engine.tensor.GGMLType;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A copy of a valid GGUF file whose metadata and tensors can be edited before it is written back, so that a test
 * can break exactly one thing of a file the loader otherwise accepts.
 */
final class GGUFVariant {

    /** One tensor to write: its type, ggml dims and where its bytes come from. */
    record Tensor(GGMLType type, long[] dims, GGUFWriter.TensorSource source) {
    }

    /** Metadata in file order; edit freely. */
    final Map<String, GGUFValue> metadata = new LinkedHashMap<>();
    /** Tensors in file order; edit freely. */
    final Map<String, Tensor> tensors = new LinkedHashMap<>();

    private final GGUFFile source;

    private GGUFVariant(GGUFFile source) {
        this.source = source;
        metadata.putAll(source.metadata().asMap());
        for (GGUFTensorInfo t : source.tensors()) {
            tensors.put(t.name(), new Tensor(t.type(), t.dims(), copyOf(t)));
        }
    }

    /** Copies {@code src}, lets {@code edit} change the copy, and writes it to {@code dst}. */
    static Path write(Path src, Path dst, Edit edit) throws IOException {
        try (GGUFFile file = GGUFFile.open(src)) {
            GGUFVariant v = new GGUFVariant(file);
            edit.apply(v);
            GGUFWriter w = new GGUFWriter();
            v.metadata.forEach(w::put);
            v.tensors.forEach((name, t) -> w.addTensor(name, t.type(), t.dims(), t.source()));
            w.write(dst);
        }
        return dst;
    }

    /** The bytes of the source file's tensor {@code name}, to reuse under another name. */
    GGUFWriter.TensorSource copyOf(String name) throws IOException {
        return copyOf(source.tensor(name));
    }

    private GGUFWriter.TensorSource copyOf(GGUFTensorInfo t) {
        return dst -> MemorySegment.copy(source.data(t), 0, dst, 0, t.byteSize());
    }

    @FunctionalInterface
    interface Edit {
        void apply(GGUFVariant v) throws IOException;
    }
}
