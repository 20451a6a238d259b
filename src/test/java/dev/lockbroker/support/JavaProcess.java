package dev.lockbroker.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts {@code dev.lockbroker.app.Main} in a new JVM on the test classpath, with the test JVM's java. */
public final class JavaProcess {
    public static final String MAIN = "dev.lockbroker.app.Main";

    private JavaProcess() {}

    /** The java binary running these tests. */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A builder for {@code lockbroker args...}, stdout and stderr to the given files, env extended by {@code env}. */
    public static ProcessBuilder lockbroker(List<String> args, Map<String, String> env, Path stdout, Path stderr) {
        List<String> command = new ArrayList<>(List.of(
                javaBinary(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                MAIN));
        command.addAll(args);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().remove("LOCKBROKER_URL");
        builder.environment().remove("LOCKBROKER_TOKEN");
        builder.environment().putAll(env);
        return builder;
    }

    /** Sends signal {@code name} (STOP, CONT, KILL, TERM, INT) to {@code pid} with kill(1); a negative pid is a process group. */
    public static void signal(long pid, String name) {
        try {
            int code = new ProcessBuilder("kill", "-" + name, "--", Long.toString(pid))
                    .inheritIO()
                    .start()
                    .waitFor();
            if (code != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid + " exited " + code);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
