package dev.lockbroker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class StoreRequestCountsTest {
    @Test
    void the_s3_request_counts_are_scraped_after_a_gc() {
        LongAdder puts = new LongAdder();
        try (BrokerMetrics metrics = BrokerMetrics.create(10)) {
            metrics.countStoreRequests(Map.of("put", puts::sum));
            puts.add(7);
            System.gc(); // a function counter holds its object weakly: the supplier must be kept
            System.gc();

            assertThat(metrics.scrape()).contains("lockbroker_store_s3_requests_total{kind=\"put\"} 7.0");
        }
    }
}
