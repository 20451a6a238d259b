package dev.lockbroker.http;

import java.util.List;

/** The one error body: {@code {error, message}}, with a reason or holders where they help the caller. */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
record ApiError(String error, String message, String reason, List<Json.HolderJson> holders) {
    static ApiError of(String error, String message) {
        return new ApiError(error, message, null, null);
    }
}
