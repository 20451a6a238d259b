package dev.lockbroker.client;

/** One answer of the broker: status, parsed JSON body (missing when empty) and Location header (or null). */
record BrokerReply(int status, JsonValue body, String location) {
    String error() {
        return body.path("error").asText("");
    }

    String message() {
        String message = body.path("message").asText("");
        return message.isEmpty() ? "HTTP " + status : message;
    }

    String reason() {
        return body.path("reason").asText("");
    }
}
