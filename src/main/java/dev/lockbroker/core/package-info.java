/** The lock broker's engine: queues, leases, tickets, the lease-log port and the clock port. */
@NullMarked
package dev.lockbroker.core;

import org.jspecify.annotations.NullMarked;
