package io.nemotron4j.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.ConfigurationProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata IDEs read: every {@code nemotron.*} property is listed, with its type and a one-line
 * description. The expected keys come from the properties classes themselves, so a new property without Javadoc
 * fails here.
 */
class ConfigurationMetadataTests {

    private static JsonNode metadata(String resource) throws IOException {
        try (InputStream in = ConfigurationMetadataTests.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource + " on the class path").isNotNull();
            return JsonMapper.builder().build().readTree(in);
        }
    }

    private static List<String> keysOf(Class<?> properties) {
        return keysOf(properties.getAnnotation(ConfigurationProperties.class).value(), properties);
    }

    /** The keys of a properties class; fields of its own nested classes are groups whose fields are keys. */
    private static List<String> keysOf(String prefix, Class<?> properties) {
        List<String> keys = new ArrayList<>();
        for (Field field : properties.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                String key = prefix + "." + field.getName().replaceAll("([A-Z])", "-$1").toLowerCase();
                if (field.getType().getDeclaringClass() == properties) {
                    keys.addAll(keysOf(key, field.getType()));
                }
                else {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    @Test
    void everyNemotronPropertyHasAOneLineDescription() throws IOException {
        Map<String, JsonNode> properties = new HashMap<>();
        for (JsonNode property : metadata("/META-INF/spring-configuration-metadata.json").get("properties")) {
            properties.put(property.get("name").asString(), property);
        }
        List<String> expected = new ArrayList<>();
        expected.addAll(keysOf(NemotronModelProperties.class));
        expected.addAll(keysOf(NemotronEngineProperties.class));
        expected.addAll(keysOf(NemotronChatProperties.class));
        expected.addAll(keysOf(NemotronGovernanceProperties.class));
        expected.addAll(keysOf(NemotronAdminProperties.class));
        assertThat(expected).contains("nemotron.model.path", "nemotron.model.uri", "nemotron.model.sha256",
                "nemotron.model.cache-dir", "nemotron.model.hub-url", "nemotron.engine.max-sequences",
                "nemotron.engine.memory-budget", "nemotron.engine.queue-size", "nemotron.engine.prefix-cache",
                "nemotron.chat.thinking", "nemotron.chat.thinking-budget", "nemotron.chat.min-p",
                "nemotron.chat.repetition-penalty", "nemotron.chat.seed", "nemotron.governance.alerts.thresholds",
                "nemotron.governance.alerts.webhook-url");

        assertThat(properties.keySet()).containsAll(expected);
        for (String key : properties.keySet()) {
            if (!key.startsWith("nemotron.")) {
                continue;
            }
            JsonNode property = properties.get(key);
            assertThat(property.get("type")).as("type of %s", key).isNotNull();
            assertThat(property.get("description")).as("description of %s", key).isNotNull();
            String description = property.get("description").asString();
            assertThat(description).as("description of %s", key).isNotBlank().doesNotContain("\n").endsWith(".");
        }
    }

    @Test
    void theSelectorValueAndActuatorSwitchesAreDocumentedToo() throws IOException {
        JsonNode additional = metadata("/META-INF/additional-spring-configuration-metadata.json");
        assertThat(additional.get("hints").findValuesAsString("value")).contains("nemotron");
        assertThat(additional.get("properties").findValuesAsString("name")).contains(
                "management.health.nemotron.enabled", "management.info.nemotron.enabled");
        JsonNode generated = metadata("/META-INF/spring-configuration-metadata.json");
        assertThat(generated.get("hints").findValuesAsString("name")).contains("spring.ai.model.chat");
    }

    @Test
    void theAutoConfigurationsAreRegistered() throws IOException {
        try (InputStream in = getClass().getResourceAsStream(
                "/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
            String imports = new String(in.readAllBytes());
            assertThat(imports.lines()).containsExactly(NemotronChatAutoConfiguration.class.getName(),
                    NemotronActuatorAutoConfiguration.class.getName(),
                    NemotronGovernanceAutoConfiguration.class.getName(), NemotronAdminAutoConfiguration.class.getName(),
                    NemotronHostRoutesAutoConfiguration.class.getName());
        }
    }
}
