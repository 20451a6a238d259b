package dev.lockbroker.edge;

import dev.lockbroker.store.file.FileLeaseLog;
import dev.lockbroker.support.InProcessBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The long edge fuzz: {@code N} random and malformed requests over raw sockets against an
 * in-process broker, tallied. Run after {@code bin/bench}-style compilation: {@code java -cp target/test-classes:target/classes:<test classpath> dev.lockbroker.edge.EdgeFuzzMain 5000}.
 */
public final class EdgeFuzzMain {
    private EdgeFuzzMain() {}

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        Path dir = Files.createTempDirectory("edge-fuzz");
        EdgeVerdict.Tally tally = new EdgeVerdict.Tally();
        java.util.Map<String, Integer> examplesByKind = new java.util.HashMap<>();
        try (InProcessBroker broker = new InProcessBroker(new FileLeaseLog(dir), 1_000, 3_000)) {
            int port = Integer.parseInt(broker.url().substring(broker.url().lastIndexOf(':') + 1));
            EdgeRequests.requests().sampleStream().limit(count).forEach(raw -> {
                tally.requests++;
                try {
                    List<RawHttp.Response> responses = RawHttp.exchange(port, raw.bytes(), raw.heads(), 3_000);
                    for (String problem : EdgeVerdict.problems(raw, responses, tally)) {
                        String kind = problem.substring(0, problem.indexOf(':'));
                        if (examplesByKind.merge(kind, 1, Integer::sum) <= 8) {
                            tally.examples.add(problem + "\n      request: " + raw);
                        }
                    }
                } catch (java.io.IOException e) {
                    tally.examples.add("io: " + e);
                }
            });
        }
        System.out.println("edge fuzz: " + tally);
        tally.examples.forEach(e -> System.out.println("  " + e));
        System.exit(0);
    }
}
