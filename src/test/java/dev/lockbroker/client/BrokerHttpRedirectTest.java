package dev.lockbroker.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A 307 from a broker of a group, followed or refused, over a scripted transport. */
class BrokerHttpRedirectTest {
    private final List<URI> sent = new ArrayList<>();

    private HttpTransport answering(String location) {
        return (method, target, body, token, timeout) -> {
            sent.add(target);
            return sent.size() == 1
                    ? new HttpTransport.Answer(307, "{\"error\":\"not_owner\",\"message\":\"ask the owner\"}", location)
                    : new HttpTransport.Answer(201, "{\"leaseId\":\"ns~x\"}", null);
        };
    }

    @Test
    void a_redirect_on_the_same_scheme_is_followed_with_the_same_request() throws Exception {
        var http = new BrokerHttp(
                URI.create("https://a:8443"),
                Optional.of("secret"),
                answering("https://b:8443/v1/namespaces/ns/leases"));

        BrokerReply reply = http.send("POST", "/v1/namespaces/ns/leases", "{}", Duration.ofSeconds(5));

        assertThat(reply.status()).isEqualTo(201);
        assertThat(sent)
                .containsExactly(
                        URI.create("https://a:8443/v1/namespaces/ns/leases"),
                        URI.create("https://b:8443/v1/namespaces/ns/leases"));
    }

    @Test
    void a_redirect_from_https_to_http_is_refused_so_the_token_never_crosses_in_clear() throws Exception {
        var http = new BrokerHttp(
                URI.create("https://a:8443"),
                Optional.of("secret"),
                answering("http://b:8080/v1/namespaces/ns/leases"));

        BrokerReply reply = http.send("POST", "/v1/namespaces/ns/leases", "{}", Duration.ofSeconds(5));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.message()).contains("refused a redirect");
        assertThat(sent).hasSize(1);
    }
}
