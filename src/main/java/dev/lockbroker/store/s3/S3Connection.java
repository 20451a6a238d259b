package dev.lockbroker.store.s3;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 client and the HTTP client it shares with the record PUT and GET ({@link RecordRequests}),
 * which goes around the S3 client's request pipeline; closed together.
 */
record S3Connection(S3Client s3, CountingHttpClient http, ObjectStore objects) implements AutoCloseable {
    static S3Connection open(S3Settings settings, AwsCredentialsProvider credentials) {
        CountingHttpClient http = new CountingHttpClient(S3Clients.http(settings));
        S3Client s3 = S3Clients.create(settings, credentials, http);
        try {
            String anyKey = settings.rootKey() + "any";
            URI anyKeyUrl = URI.create(s3.utilities()
                    .getUrl(u -> u.bucket(settings.bucket()).key(anyKey))
                    .toExternalForm());
            var records = new RecordRequests(http, credentials, settings, anyKeyUrl, anyKey);
            return new S3Connection(s3, http, new ObjectStore(s3, settings.bucket(), records));
        } catch (RuntimeException e) {
            s3.close();
            http.close();
            throw e;
        }
    }

    @Override
    public void close() {
        s3.close();
        http.close();
    }
}
