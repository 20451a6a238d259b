package dev.lockbroker.s3broker;

import dev.lockbroker.support.S3Backend;

/** {@link TwoBrokersOneBucket} on Ceph RGW (the JVM's shared single-node cluster); skipped, with the reason, where Ceph is not installed. */
class TwoBrokersOneBucketCephTest extends TwoBrokersOneBucket {
    @Override
    S3Backend backend() {
        return CephSuites.cephOrSkip();
    }
}
