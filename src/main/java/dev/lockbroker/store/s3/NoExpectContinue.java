package dev.lockbroker.store.s3;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Removes the {@code Expect: 100-continue} header the S3 client puts on every PutObject. Records
 * are a few kilobytes, so the handshake only adds a round trip; and when the store answers 412 in
 * place of 100 and closes, the JDK's HttpURLConnection fails with an UncheckedIOException ("Socket
 * closed") that escapes the SDK's retries and exception types (measured against S3Proxy).
 */
final class NoExpectContinue implements ExecutionInterceptor {
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        SdkHttpRequest request = context.httpRequest();
        if (request.firstMatchingHeader("Expect").isEmpty()) {
            return request;
        }
        return request.toBuilder().removeHeader("Expect").build();
    }
}
