package dev.lockbroker.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens with scopes, from a JSON token file (reloaded by {@link #reload()}, on SIGHUP) and
 * the single legacy {@code --token} (an admin of every namespace). Tokens are kept only as SHA-256
 * hashes, compared in constant time against every entry, and never logged.
 *
 * <pre>{"metricsOpen": false, "tokens": [
 *   {"name": "ci", "sha256": "9f86d0...", "role": "client", "namespaces": ["deploys-*"]}]}</pre>
 *
 * <p>Concurrency contract: the table is an immutable snapshot behind a volatile field; a reload
 * builds a new one and swaps it in, or keeps the old one when the file is bad.
 */
public final class AccessControl {
    private static final Logger LOG = LoggerFactory.getLogger(AccessControl.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @SuppressWarnings("ArrayRecordComponent") // only ever compared with MessageDigest.isEqual
    private record Grant(Caller caller, byte[] sha256) {}

    private record Table(List<Grant> grants, boolean metricsOpen) {}

    private final Path file;
    private final String legacyToken;
    private volatile Table table;

    private AccessControl(Path file, String legacyToken) {
        this.file = file;
        this.legacyToken = legacyToken;
        this.table = load();
    }

    /** Open when both are null; fails fast on a bad token file. */
    public static AccessControl of(Path tokenFile, String legacyToken) {
        AccessControl access = new AccessControl(tokenFile, legacyToken);
        if (access.isOpen()) {
            LOG.warn("NO ACCESS CONTROL: without --tokens-file or --token, anyone who reaches this port may"
                    + " lock, release and revoke in every namespace");
        }
        return access;
    }

    public boolean isOpen() {
        return table == null;
    }

    /** Re-reads the token file; a bad file keeps the tokens in force and is logged. */
    public void reload() {
        try {
            table = load();
            LOG.info(
                    "reloaded {} token(s) from {}",
                    table == null ? 0 : table.grants().size(),
                    file);
        } catch (IllegalArgumentException e) {
            LOG.error("kept the previous tokens: {}", e.getMessage());
        }
    }

    /** The caller presenting {@code authorization}; {@link UnauthorizedException} when it is no token here. */
    Caller authenticate(String authorization) {
        Table current = table;
        if (current == null) {
            return Caller.OPEN;
        }
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            throw new UnauthorizedException();
        }
        byte[] presented = sha256(authorization.substring("Bearer ".length()));
        Caller found = null;
        for (Grant grant : current.grants()) { // no early exit: the time does not tell which entry matched
            if (MessageDigest.isEqual(grant.sha256(), presented) && found == null) {
                found = grant.caller();
            }
        }
        if (found == null) {
            throw new UnauthorizedException();
        }
        return found;
    }

    /** Whether /metrics may be scraped without a token. */
    boolean isMetricsOpen() {
        Table current = table;
        return current == null || current.metricsOpen();
    }

    private Table load() {
        List<Grant> grants = new ArrayList<>();
        if (legacyToken != null) {
            grants.add(new Grant(new Caller("token", Role.ADMIN, List.of(Caller.glob("*"))), sha256(legacyToken)));
        }
        boolean metricsOpen = file == null;
        if (file != null) {
            JsonNode root = read(file);
            metricsOpen = root.path("metricsOpen").asBoolean(false);
            for (JsonNode entry : root.path("tokens")) {
                grants.add(grant(entry));
            }
        }
        return grants.isEmpty() && file == null ? null : new Table(List.copyOf(grants), metricsOpen);
    }

    private static JsonNode read(Path file) {
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(file));
            if (root == null || !root.path("tokens").isArray()) {
                throw new IllegalArgumentException("token file " + file + ": needs a \"tokens\" array");
            }
            return root;
        } catch (IOException e) {
            throw new IllegalArgumentException("token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Grant grant(JsonNode entry) {
        String name = entry.path("name").asText("");
        String hash = entry.path("sha256").asText("");
        if (name.isBlank() || !hash.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("each token needs a name and a 64-hex-digit sha256 (of '" + name + "')");
        }
        Role role;
        try {
            role = Role.valueOf(entry.path("role").asText("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("token " + name + ": role must be client, admin or metrics", e);
        }
        List<java.util.regex.Pattern> globs = new ArrayList<>();
        JsonNode namespaces = entry.path("namespaces");
        if (namespaces.isMissingNode()) {
            globs.add(Caller.glob("*"));
        }
        namespaces.forEach(n -> globs.add(Caller.glob(n.asText())));
        return new Grant(
                new Caller(name, role, List.copyOf(globs)), HexFormat.of().parseHex(hash.toLowerCase(Locale.ROOT)));
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
