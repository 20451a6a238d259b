package dev.lockbroker.http;

import java.util.List;
import java.util.regex.Pattern;

/** Who a request comes from: a configured token's name, role and namespace globs. */
record Caller(String name, Role role, List<Pattern> namespaces) {
    /** Any caller of a broker without token configuration: everything is allowed. */
    static final Caller OPEN = new Caller("anonymous", Role.ADMIN, List.of(glob("*")));

    boolean mayUse(String namespace) {
        return namespace != null
                && namespaces.stream().anyMatch(p -> p.matcher(namespace).matches());
    }

    /** A glob over names ({@code *} any run, {@code ?} one character) as a pattern. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
