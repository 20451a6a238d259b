package dev.lockbroker.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scrape a caller may see: a token scoped to some namespaces gets only the samples labelled with
 * those namespaces (and the unnamed {@code _other} fold and the unlabelled broker-wide series), so
 * other teams' namespace names and activity stay out of its view, as they do in listings.
 */
final class MetricsScope {
    private static final Pattern NAMESPACE_LABEL = Pattern.compile("[{,]namespace=\"([^\"\\\\]*)\"");
    private static final String OTHER_NAMESPACE = "_other";

    private MetricsScope() {}

    /** {@code scrape} (Prometheus text format) as {@code caller} may see it. */
    static String filter(String scrape, Caller caller) {
        if (caller.mayUseEveryNamespace()) {
            return scrape;
        }
        StringBuilder visible = new StringBuilder(scrape.length());
        int at = 0;
        while (at < scrape.length()) {
            int end = scrape.indexOf('\n', at);
            end = end < 0 ? scrape.length() : end + 1;
            String line = scrape.substring(at, end);
            if (isVisible(line, caller)) {
                visible.append(line);
            }
            at = end;
        }
        return visible.toString();
    }

    private static boolean isVisible(String line, Caller caller) {
        if (line.startsWith("#")) {
            return true;
        }
        Matcher label = NAMESPACE_LABEL.matcher(line);
        if (!label.find()) {
            return true;
        }
        String namespace = label.group(1);
        return namespace.equals(OTHER_NAMESPACE) || caller.mayUse(namespace);
    }
}
