/**
 * The Spring AI chat model backed by the Nemotron4j engine: {@link io.nemotron4j.spring.chat.NemotronChatModel},
 * its options, the metadata keys it fills, and the scheduler that admits generations to the engine.
 */
@NullMarked
package io.nemotron4j.spring.chat;

import org.jspecify.annotations.NullMarked;
