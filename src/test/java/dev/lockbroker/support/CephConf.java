package dev.lockbroker.support;

import java.nio.file.Path;

/** The ceph.conf of {@link CephRgw}: a one-monitor, one-OSD cluster that keeps everything on loopback. */
final class CephConf {
    private CephConf() {}

    static String render(Path dir, String fsid, int monPort, int rgwPort) {
        String d = dir.toString();
        return """
                [global]
                fsid = %2$s
                mon_host = v2:127.0.0.1:%3$d
                public_addr = 127.0.0.1
                cluster_addr = 127.0.0.1
                ms_bind_msgr1 = false
                ms_bind_ipv6 = false
                keyring = %1$s/keyring
                run_dir = %1$s/run
                admin_socket = %1$s/run/$name.asok
                log_file = %1$s/log/$name.log
                pid_file = %1$s/run/$name.pid
                # one OSD: pools of size 1, few placement groups, no redundancy warnings
                osd_pool_default_size = 1
                osd_pool_default_min_size = 1
                osd_pool_default_pg_num = 8
                osd_pool_default_pgp_num = 8
                osd_crush_chooseleaf_type = 0
                mon_allow_pool_size_one = true
                mon_warn_on_pool_no_redundancy = false
                mon_max_pg_per_osd = 1000
                mon_data_avail_crit = 1
                auth_allow_insecure_global_id_reclaim = false
                [mon]
                mon_data = %1$s/mon/$name
                [osd]
                osd_data = %1$s/osd/$name
                osd_objectstore = memstore
                memstore_device_bytes = 536870912
                [client.rgw]
                rgw_frontends = beast endpoint=127.0.0.1:%4$d
                rgw_data = %1$s/rgw
                """.formatted(d, fsid, monPort, rgwPort);
    }
}
