package io.github.asyncore.demo.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chart's Grafana dashboard ({@code dashboards/asyncore.json}), parsed, and the metric names its
 * PromQL queries select.
 */
final class Dashboard {

    /** The dashboard's JSON in the chart. */
    static final Path FILE = HelmChart.DIRECTORY.resolve("dashboards/asyncore.json");

    /** Words that may stand where a metric name could, but are PromQL's own: operators and modifiers. */
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");

    /** Label matchers: their names are labels, their values strings. */
    private static final Pattern BRACES = Pattern.compile("\\{[^{}]*\\}");

    /** Ranges and subqueries ([5m], [$__rate_interval], [1h:5m]). */
    private static final Pattern BRACKETS = Pattern.compile("\\[[^\\[\\]]*\\]");

    /** Grouping label lists: {@code by (pod, loop)}, {@code on (x)}, {@code group_left (y)}. */
    private static final Pattern GROUPING = Pattern
        .compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)", Pattern.CASE_INSENSITIVE);

    /** Grafana variables ($pod, ${pod}, $__range). */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*\\}|\\$\\w+");

    /** An identifier not glued to a number, a dot or another identifier. */
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*");

    /** Grafana's {@code label_values(selector, label)} variable query. */
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\s*\\((.*),\\s*\\w+\\s*\\)\\s*$",
            Pattern.DOTALL);

    private Dashboard() {
    }

    /** @return the dashboard file, parsed */
    static JsonNode read() {
        try {
            return parse(Files.readString(FILE));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static JsonNode parse(String json) {
        return JsonMapper.builder().build().readTree(json);
    }

    /** @return every panel, those inside collapsed rows included */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            for (JsonNode inner : panel.path("panels")) {
                panels.add(inner);
            }
        }
        return panels;
    }

    /** @return the {@code expr} of every panel target, in order */
    static List<String> expressions(JsonNode dashboard) {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.path("expr").asString(""));
            }
        }
        return expressions;
    }

    /**
     * @return the PromQL selectors of the query variables ({@code label_values(selector, label)}'s selector,
     * or a whole PromQL query)
     */
    static List<String> variableQueries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (!"query".equals(variable.path("type").asString(""))) {
                continue;
            }
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asString("") : query.asString("");
            Matcher labelValues = LABEL_VALUES.matcher(text);
            queries.add(labelValues.matches() ? labelValues.group(1) : text);
        }
        return queries;
    }

    /** @return the metric names every panel and variable query of the dashboard selects, sorted */
    static SortedSet<String> metricNames(JsonNode dashboard) {
        SortedSet<String> names = new TreeSet<>();
        expressions(dashboard).forEach((expression) -> names.addAll(metricNames(expression)));
        variableQueries(dashboard).forEach((query) -> names.addAll(metricNames(query)));
        return names;
    }

    /**
     * The metric names a PromQL expression selects: identifiers that stand as a selector, before
     * {@code {}, {@code [} or alone, leaving out function and aggregation names (an identifier before
     * {@code (}), keywords, label names (inside braces and grouping lists), strings, durations, numbers and
     * Grafana variables.
     * @param expression a PromQL expression, possibly with Grafana variables
     * @return the metric names, sorted
     */
    static SortedSet<String> metricNames(String expression) {
        String text = STRING.matcher(expression).replaceAll("\"\"");
        text = VARIABLE.matcher(text).replaceAll(" ");
        text = replaceUntilStable(BRACES, text, " ");
        text = replaceUntilStable(BRACKETS, text, " ");
        text = GROUPING.matcher(text).replaceAll(" ");
        SortedSet<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(text);
        while (identifier.find()) {
            String name = identifier.group();
            String rest = text.substring(identifier.end()).stripLeading();
            if (rest.startsWith("(") || KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            names.add(name);
        }
        return names;
    }

    private static String replaceUntilStable(Pattern pattern, String text, String replacement) {
        String previous;
        String current = text;
        do {
            previous = current;
            current = pattern.matcher(previous).replaceAll(replacement);
        }
        while (!current.equals(previous));
        return current;
    }

}
