package io.nemotron4j.spring.model;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A file in a Hugging Face model repository: {@code hf://owner/repo/file.gguf}, optionally pinned to a revision
 * ({@code hf://owner/repo@revision/file.gguf}); the file may sit in a folder ({@code hf://owner/repo/q8/file.gguf}).
 *
 * @param owner the user or organisation
 * @param repository the model repository
 * @param revision a branch, tag or commit
 * @param file the path of the file inside the repository
 * @since 0.1.0
 */
public record HuggingFaceReference(String owner, String repository, String revision, String file) {

    /** The URI scheme of these references. */
    public static final String SCHEME = "hf";

    /**
     * Parses a reference.
     * @param uri the {@code hf://} reference
     * @param defaultRevision the revision when the reference names none
     * @throws IllegalArgumentException if it is not of the form {@code hf://owner/repo[@revision]/file}
     */
    public static HuggingFaceReference parse(String uri, String defaultRevision) {
        String prefix = SCHEME + "://";
        if (!uri.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new IllegalArgumentException("not a Hugging Face reference (hf://owner/repo/file.gguf): " + uri);
        }
        List<String> parts = Arrays.asList(uri.substring(prefix.length()).split("/", -1));
        if (parts.size() < 3 || parts.stream().anyMatch(p -> p.isBlank() || p.equals(".") || p.equals(".."))) {
            throw new IllegalArgumentException(
                    "a Hugging Face reference needs an owner, a repository and a file, as in "
                            + "hf://owner/repo/file.gguf, got " + uri);
        }
        String repository = parts.get(1);
        String revision = defaultRevision;
        int at = repository.indexOf('@');
        if (at >= 0) {
            revision = repository.substring(at + 1);
            repository = repository.substring(0, at);
            if (repository.isBlank() || revision.isBlank() || revision.equals(".") || revision.contains("..")) {
                throw new IllegalArgumentException("a revision follows the repository name, as in "
                        + "hf://owner/repo@main/file.gguf, got " + uri);
            }
        }
        return new HuggingFaceReference(parts.get(0), repository, revision,
                String.join("/", parts.subList(2, parts.size())));
    }

    /** Whether the text looks like a Hugging Face reference. */
    public static boolean isReference(@Nullable String uri) {
        return uri != null && uri.regionMatches(true, 0, SCHEME + "://", 0, SCHEME.length() + 3);
    }

    /** Where the hub serves the file: {@code <hub>/<owner>/<repo>/resolve/<revision>/<file>}. */
    public URI downloadUri(URI hub) {
        String base = hub.toString().endsWith("/") ? hub.toString() : hub + "/";
        String path = Arrays.stream(("%s/%s/resolve/%s/%s".formatted(this.owner, this.repository, this.revision,
                this.file)).split("/")).map(HuggingFaceReference::encode).collect(Collectors.joining("/"));
        return URI.create(base + path);
    }

    /** Where the downloaded file lives under the cache directory: {@code hf/<owner>/<repo>/<revision>/<file>}. */
    public Path cachePath(Path cacheDir) {
        Path path = cacheDir.resolve(SCHEME).resolve(this.owner).resolve(this.repository).resolve(safe(this.revision));
        for (String segment : this.file.split("/")) {
            path = path.resolve(segment);
        }
        return path;
    }

    @Override
    public String toString() {
        return SCHEME + "://" + this.owner + "/" + this.repository + "@" + this.revision + "/" + this.file;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Branch names may hold slashes (refs/pr/1); one directory per revision keeps the cache flat. */
    private static String safe(String revision) {
        return revision.replace('/', '_');
    }
}
