package dev.lockbroker.store.file;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockbroker.core.LeaseLog;
import dev.lockbroker.store.LeaseLogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLeaseLogTest extends LeaseLogContract {
    @TempDir
    Path dir;

    private LeaseLog current;

    @Override
    protected LeaseLog openLog() {
        current = new FileLeaseLog(dir);
        return current;
    }

    @Test
    void a_second_process_cannot_open_a_directory_in_use() {
        LeaseLog first = openLog();
        try {
            assertThatThrownBy(() -> new FileLeaseLog(dir))
                    .hasMessageContaining("in use by another lockbroker process");
        } finally {
            first.close();
        }
    }
}
