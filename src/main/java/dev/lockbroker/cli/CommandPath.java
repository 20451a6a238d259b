package dev.lockbroker.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a command name resolves to, as a shell would find it: a name with a slash is a path, any
 * other name is looked up in {@code PATH}. Checked before the lock's command starts, so a missing
 * or non-executable command is told apart the same way on every JDK (whose messages differ).
 */
sealed interface CommandPath {
    record Found(Path path) implements CommandPath {}

    record NotFound() implements CommandPath {}

    record NotExecutable(Path path) implements CommandPath {}

    static CommandPath resolve(String name) {
        try {
            if (name.contains("/")) {
                return classify(Path.of(name)).orElse(new NotFound());
            }
            CommandPath best = new NotFound();
            for (Path dir : entries()) {
                Optional<CommandPath> found = classify(dir.resolve(name));
                if (found.orElse(null) instanceof Found f) {
                    return f;
                }
                if (best instanceof NotFound && found.isPresent()) {
                    best = found.get();
                }
            }
            return best;
        } catch (InvalidPathException e) {
            return new NotFound();
        }
    }

    /** The directories of {@code PATH}, in order. */
    static List<Path> entries() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(Path::of)
                .toList();
    }

    private static Optional<CommandPath> classify(Path path) {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        boolean runnable = Files.isRegularFile(path) && Files.isExecutable(path);
        return Optional.of(runnable ? new Found(path) : new NotExecutable(path));
    }
}
