package dev.lockbroker.store.s3;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 client and the HTTP client it shares with the create-only PUT ({@link CreateOnlyPut}),
 * which goes around the S3 client's request pipeline; closed together.
 */
record S3Connection(S3Client s3, SdkHttpClient http, ObjectStore objects) implements AutoCloseable {
    static S3Connection open(S3Settings settings, AwsCredentialsProvider credentials) {
        SdkHttpClient http = S3Clients.http(settings);
        S3Client s3 = S3Clients.create(settings, credentials, http);
        try {
            String anyKey = settings.rootKey() + "any";
            URI anyKeyUrl = URI.create(s3.utilities()
                    .getUrl(u -> u.bucket(settings.bucket()).key(anyKey))
                    .toExternalForm());
            var put = new CreateOnlyPut(http, credentials, settings, anyKeyUrl, anyKey);
            return new S3Connection(s3, http, new ObjectStore(s3, settings.bucket(), put));
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
