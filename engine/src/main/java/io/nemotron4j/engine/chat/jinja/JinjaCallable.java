package io.nemotron4j.engine.chat.jinja;

/** Something a template can call: a global function, a filter-free builtin method, a macro, {@code loop.cycle}. */
@FunctionalInterface
interface JinjaCallable {

    Object call(Args args);
}
