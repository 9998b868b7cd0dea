package io.nemotron4j.spring.admin;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The JSON mapper the admin API writes with: the application's own when it has one (so its modules and settings
 * apply), otherwise a default one.
 *
 * @since 0.1.0
 */
public final class JsonMappers {

    private JsonMappers() {
    }

    /**
     * The application's mapper, or a default one.
     * @param mapper the application's mapper, if any
     * @return the mapper to use
     */
    public static JsonMapper of(ObjectProvider<JsonMapper> mapper) {
        return mapper.getIfAvailable(() -> JsonMapper.builder().build());
    }

}
