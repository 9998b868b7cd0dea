/**
 * Where the model comes from: a local GGUF, or a Hugging Face or http(s) reference downloaded once into a cache
 * (resumable, checksum-verified), and the start-up failure report when it cannot be had.
 */
@NullMarked
package io.nemotron4j.spring.model;

import org.jspecify.annotations.NullMarked;
