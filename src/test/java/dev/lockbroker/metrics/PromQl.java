package dev.lockbroker.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough PromQL reading to find the series selectors of an expression: metric name and equality matchers. */
final class PromQl {
    record Selector(String metric, List<String[]> equalities) {}

    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "and",
            "or",
            "unless",
            "offset",
            "inf",
            "nan");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern TOKEN = Pattern.compile(
            "\"(?:[^\"\\\\]|\\\\.)*\"|\\[[^]]*]|\\$\\{?\\w+}?|(\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?)|([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?(\\{[^}]*})?");
    private static final Pattern EQUALITY = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"([^\"]*)\"");

    private PromQl() {}

    static List<Selector> selectors(String expr) {
        String text = GROUPING.matcher(expr).replaceAll(" ");
        List<Selector> result = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            String name = m.group(2);
            if (name == null || m.group(3) != null || KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            result.add(new Selector(name, equalities(m.group(4))));
        }
        return result;
    }

    /** {@code label_values(metric, label)} and friends name a metric too. */
    static List<Selector> templateSelectors(String query) {
        Matcher m = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s*,")
                .matcher(query);
        return m.find() ? List.of(new Selector(m.group(1), equalities(m.group(2)))) : selectors(query);
    }

    private static List<String[]> equalities(String braces) {
        List<String[]> pairs = new ArrayList<>();
        if (braces == null) {
            return pairs;
        }
        Matcher e = EQUALITY.matcher(braces.replaceAll("[!=]~\\s*\"[^\"]*\"|!=\\s*\"[^\"]*\"", ""));
        while (e.find()) {
            if (!e.group(2).contains("$")) {
                pairs.add(new String[] {e.group(1), e.group(2)});
            }
        }
        return pairs;
    }
}
