package io.nemotron4j.spring.admin;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Reads {@link StrictBody} parameters with a JSON mapper of their own, derived from the application's but strict:
 * unknown properties, nulls for primitives, floats for integers, scalars coerced from strings and trailing tokens
 * are all errors. The application's mapper (and so its own endpoints) stays as configured. Bodies are limited in
 * size, and only {@code application/json} is read, which also keeps HTML forms (which cannot send JSON cross-site
 * without a CORS preflight) away from every change.
 *
 * @since 0.1.0
 */
public class StrictBodyResolver implements HandlerMethodArgumentResolver {

    /** The largest body read (64 KiB); admin bodies are a few hundred bytes, a playground prompt a few thousand. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final JsonMapper mapper;

    /**
     * Creates the resolver.
     * @param base the application's mapper, whose modules and other settings are kept
     */
    public StrictBodyResolver(JsonMapper base) {
        this.mapper = base.rebuild()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                    DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.hasParameterAnnotation(StrictBody.class);
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest, @Nullable WebDataBinderFactory binderFactory) throws Exception {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        if (request == null) {
            throw new IllegalStateException("@StrictBody needs a servlet request");
        }
        String contentType = request.getContentType();
        if (contentType == null || !MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(contentType))) {
            throw new HttpMediaTypeNotSupportedException(
                    (contentType != null) ? MediaType.parseMediaType(contentType) : null,
                    List.of(MediaType.APPLICATION_JSON), HttpMethod.valueOf(request.getMethod()));
        }
        byte[] body = read(request.getInputStream());
        if (body.length == 0) {
            throw InvalidInputException.of("body", "a JSON object is required");
        }
        try {
            return this.mapper.readValue(body, this.mapper.constructType(parameter.getGenericParameterType()));
        }
        catch (UnrecognizedPropertyException ex) {
            throw InvalidInputException.of(path(ex), "is not a known field");
        }
        catch (JacksonException ex) {
            String field = path(ex);
            throw InvalidInputException.of(field.isEmpty() ? "body" : field, "is not valid: " + ex.getOriginalMessage());
        }
    }

    private static byte[] read(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw InvalidInputException.of("body", "must be at most " + MAX_BODY_BYTES + " bytes");
        }
        return bytes;
    }

    private static String path(JacksonException ex) {
        return ex.getPath()
            .stream()
            .map((reference) -> (reference.getPropertyName() != null) ? reference.getPropertyName()
                    : "[" + reference.getIndex() + "]")
            .collect(Collectors.joining("."));
    }

}
