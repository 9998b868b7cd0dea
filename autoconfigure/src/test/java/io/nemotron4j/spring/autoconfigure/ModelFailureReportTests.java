package io.nemotron4j.spring.autoconfigure;

import io.nemotron4j.spring.model.NemotronModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real {@link SpringApplication} start with a missing model: Spring Boot finds the failure analyzer through
 * {@code META-INF/spring.factories} and prints what is wrong and what to do instead of a bean-creation stack.
 */
@ExtendWith(OutputCaptureExtension.class)
class ModelFailureReportTests {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(NemotronChatAutoConfiguration.class)
    static class App {

    }

    @Test
    void aMissingModelStopsStartUpWithTheReport(CapturedOutput output) {
        SpringApplication app = new SpringApplication(App.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> app.run("--nemotron.model.path=/models/missing.gguf"))
            .hasRootCauseInstanceOf(NemotronModelException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("the model file /models/missing.gguf (nemotron.model.path) does not exist")
            .contains("Action:")
            .contains("set nemotron.model.path to an existing Nemotron-H GGUF file");
    }
}
