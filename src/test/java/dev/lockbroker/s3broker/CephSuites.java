package dev.lockbroker.s3broker;

import dev.lockbroker.support.CephRgw;
import org.junit.jupiter.api.Assumptions;

/** The shared Ceph RGW for a test, or the test is skipped with the reason Ceph is not there. */
final class CephSuites {
    private CephSuites() {}

    static CephRgw cephOrSkip() {
        var ceph = CephRgw.shared();
        Assumptions.assumeTrue(ceph.isPresent(), CephRgw::whyUnavailable);
        return ceph.orElseThrow();
    }
}
