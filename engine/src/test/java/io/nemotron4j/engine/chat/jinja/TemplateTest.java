package io.nemotron4j.engine.chat.jinja;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The interpreter on its own: the behaviour chat templates lean on, and its errors. */
class TemplateTest {

    private static String render(String template, Map<String, ?> variables) {
        return Template.parse(template).render(variables);
    }

    private static String render(String template) {
        return render(template, Map.of());
    }

    @Test
    void trimBlocksAndLstripBlocksLayOutBlockLines() {
        String template = """
                <list>
                    {% for x in items %}
                    <item>{{ x }}</item>
                    {% endfor %}
                </list>
                """;

        assertThat(render(template, Map.of("items", List.of("a", "b"))))
                .isEqualTo("<list>\n    <item>a</item>\n    <item>b</item>\n</list>");
    }

    @Test
    void dashesStripWhitespaceIncludingNewlines() {
        assertThat(render("A \n\n {%- if true -%} \n\n B \n {{- ' C ' -}} \n D {%- endif %}")).isEqualTo("AB C D");
    }

    @Test
    void templateStringsKeepPythonEscapes() {
        assertThat(render("{{- '<SPECIAL_10>System\\n' + 'x' -}}")).isEqualTo("<SPECIAL_10>System\nx");
    }

    @Test
    void loopVariablesIncludingNeighbours() {
        String template = "{% for m in messages %}{{ loop.index }}/{{ loop.length }}:{{ m.role }}"
                + "{% if not loop.last and loop.nextitem.role == 'tool' %}>{% endif %}"
                + "{% if loop.previtem is defined and loop.previtem.role == 'tool' %}<{% endif %} {% endfor %}";
        List<Map<String, Object>> messages = List.of(Map.of("role", "assistant"), Map.of("role", "tool"),
                Map.of("role", "user"));

        assertThat(render(template, Map.of("messages", messages))).isEqualTo("1/3:assistant> 2/3:tool 3/3:user< ");
    }

    @Test
    void setInsideALoopDoesNotLeakButNamespaceAttributesDo() {
        String template = "{% set ns = namespace(last=-1) %}{% set seen = 'none' %}"
                + "{% for m in ['user', 'assistant', 'user'] %}{% set seen = m %}"
                + "{% if m == 'user' %}{% set ns.last = loop.index0 %}{% endif %}{% endfor %}{{ seen }} {{ ns.last }}";

        assertThat(render(template)).isEqualTo("none 2");
    }

    @Test
    void tojsonIsJsonDumpsNotJinjaTojson() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("q", "<b>&'é\"");
        args.put("n", 3);
        args.put("x", 0.5);
        args.put("ok", true);
        args.put("none", null);

        assertThat(render("{{ args|tojson }}", Map.of("args", args)))
                .isEqualTo("{\"q\": \"<b>&'é\\\"\", \"n\": 3, \"x\": 0.5, \"ok\": true, \"none\": null}");
    }

    @Test
    void pythonStringMethods() {
        String template = "{{ content.split('</think>')[1].strip() }}|{{ content.replace('/think', '').lstrip() }}"
                + "|{{ content.startswith('<think>') }}|{{ content.find('</think>') }}|{{ content.upper()[:3] }}";

        assertThat(render(template, Map.of("content", "<think>a</think>  b /think")))
                .isEqualTo("b /think|<think>a<>  b |True|8|<TH");
    }

    @Test
    void undefinedPrintsNothingAndIsFalse() {
        assertThat(render("[{{ nothing }}]{% if nothing %}yes{% else %}no{% endif %}{{ nothing is defined }}"))
                .isEqualTo("[]noFalse");
    }

    @Test
    void generationBlockRendersItsBody() {
        assertThat(render("a{% generation %}b{{ 1 }}{% endgeneration %}c")).isEqualTo("ab1c");
    }

    @Test
    void strftimeNowReadsTheClock() {
        Clock clock = Clock.fixed(Instant.parse("2025-03-07T09:05:00Z"), ZoneOffset.UTC);

        assertThat(Template.parse("{{ strftime_now('%d %b %Y, %A %H:%M %p %-d/%-m %j %%') }}").render(Map.of(), clock))
                .isEqualTo("07 Mar 2025, Friday 09:05 AM 7/3 066 %");
    }

    @Test
    void javaValuesBecomePythonValues() {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("i", 7);
        vars.put("f", 0.1f);
        vars.put("big", BigInteger.TWO.pow(70));
        vars.put("array", new Object[] {1, "a"});
        vars.put("chars", new StringBuilder("sb"));

        assertThat(render("{{ i // 2 }} {{ f }} {{ big }} {{ array }} {{ chars }}", vars))
                .isEqualTo("3 0.1 1.1805916207174113e+21 [1, 'a'] sb");
    }

    @Test
    void valuesWithoutATemplateEquivalentAreRefused() {
        assertThatThrownBy(() -> render("{{ x }}", Map.of("x", new Object())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " :: ", value = {
            "a\\n{% include 'x.jinja' %} :: 2 :: unsupported tag 'include'",
            "{% macro m() %}{% endmacro %}\\n\\n{% call m() %}x{% endcall %} :: 3 :: unsupported tag 'call'",
            "{% filter upper %}x{% endfilter %} :: 1 :: unsupported tag 'filter'",
            "x\\n{{ items|groupby('a') }} :: 2 :: unsupported filter 'groupby'",
            "{% if x is frobnicated %}{% endif %} :: 1 :: unsupported test 'frobnicated'",
            "{% for x in y recursive %}{% endfor %} :: 1 :: unsupported recursive for loop",
            "\\n\\n\\n{{ f(*args) }} :: 4 :: unsupported *-argument in a call",
            "{% set x | upper %}a{% endset %} :: 1 :: unsupported filtered set block"})
    void unsupportedConstructsFailAtParseNamingConstructAndLine(String source, int line, String message) {
        assertThatThrownBy(() -> Template.parse(source.replace("\\n", "\n")))
                .isInstanceOf(JinjaException.class)
                .hasMessage("line " + line + ": " + message)
                .satisfies(e -> assertThat(((JinjaException) e).line()).isEqualTo(line));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " :: ", value = {
            "{{ 'a'.format(1) }} :: unsupported string method 'format'",
            "{{ '%s!' % name }} :: unsupported printf-style string formatting"})
    void unsupportedPythonFeaturesFailWhenReached(String source, String message) {
        Template template = Template.parse("ok\n" + source);

        assertThatThrownBy(() -> template.render(Map.of("name", "n")))
                .isInstanceOf(JinjaException.class)
                .hasMessageStartingWith("line 2: " + message);
    }

    @Test
    void runtimeErrorsCarryMessageAndLine() {
        Template template = Template.parse("{% for m in messages %}\n{% if m.role == 'x' %}\n"
                + "{{ raise_exception('Only user and assistant roles are supported!') }}\n{% endif %}\n{% endfor %}");

        assertThatThrownBy(() -> template.render(Map.of("messages", List.of(Map.of("role", "x")))))
                .isInstanceOf(JinjaException.class)
                .hasMessage("line 3: Only user and assistant roles are supported!")
                .satisfies(e -> assertThat(((JinjaException) e).detail()).isEqualTo("Only user and assistant roles are supported!"));
    }

    @Test
    void syntaxErrorsNameTheLine() {
        assertThatThrownBy(() -> Template.parse("a\nb\n{{ x + }}"))
                .isInstanceOf(JinjaException.class)
                .hasMessage("line 3: TemplateSyntaxError: unexpected 'end of print statement'");
    }

    @Test
    void breakOutsideALoopIsASyntaxError() {
        assertThatThrownBy(() -> Template.parse("{% break %}"))
                .isInstanceOf(JinjaException.class)
                .hasMessageContaining("'break' outside of a loop");
    }
}
