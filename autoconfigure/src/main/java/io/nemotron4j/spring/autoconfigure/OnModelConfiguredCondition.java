package io.nemotron4j.spring.autoconfigure;

import org.springframework.ai.model.SpringAIModelProperties;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when a model is configured ({@code nemotron.model.path} or {@code nemotron.model.uri}) or Nemotron is
 * explicitly selected ({@code spring.ai.model.chat=nemotron}).
 *
 * <p>Why: an application that has the starter on its class path but configures no model (a test slice, a build that
 * also carries another provider) starts without a Nemotron model instead of failing; the condition report says why.
 * Selecting Nemotron explicitly without a model is a mistake, so then the model bean is created and fails with a
 * message that says what to set.
 */
class OnModelConfiguredCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Environment env = context.getEnvironment();
        ConditionMessage.Builder message = ConditionMessage.forCondition("Nemotron model configured");
        String path = env.getProperty(NemotronModelProperties.PREFIX + ".path");
        String uri = env.getProperty(NemotronModelProperties.PREFIX + ".uri");
        if (StringUtils.hasText(path)) {
            return ConditionOutcome.match(message.found("property").items("nemotron.model.path"));
        }
        if (StringUtils.hasText(uri)) {
            return ConditionOutcome.match(message.found("property").items("nemotron.model.uri"));
        }
        if (NemotronChatAutoConfiguration.SELECTOR_VALUE.equals(env.getProperty(SpringAIModelProperties.CHAT_MODEL))) {
            return ConditionOutcome
                .match(message.found("property").items(SpringAIModelProperties.CHAT_MODEL + "=nemotron"));
        }
        return ConditionOutcome.noMatch(message.didNotFind("property").items("nemotron.model.path",
                "nemotron.model.uri", SpringAIModelProperties.CHAT_MODEL + "=nemotron"));
    }
}
