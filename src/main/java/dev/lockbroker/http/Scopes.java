package dev.lockbroker.http;

import dev.lockbroker.core.LockService;
import io.javalin.http.Context;

/**
 * The access rules of each operation, checked inside its handler once the path is known: a
 * {@code client} or {@code admin} token locks and reads its namespaces, only {@code admin} revokes,
 * a {@code metrics} token does neither. Refusals name only what the caller asked for.
 */
final class Scopes {
    static final String CALLER = "lockbroker.caller";

    private final LockService service;

    Scopes(LockService service) {
        this.service = service;
    }

    static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(CALLER);
        return caller == null ? Caller.OPEN : caller;
    }

    /** Acquire, heartbeat, release, poll, cancel, read: a locking role in {@code namespace}. */
    static void requireLock(Context ctx, String namespace) {
        Caller caller = caller(ctx);
        if (!caller.role().mayLock()) {
            throw new ForbiddenException("token '" + caller.name() + "' has the metrics role only");
        }
        requireNamespace(caller, namespace);
    }

    /** Revoke: the admin role in {@code namespace}. */
    static void requireAdmin(Context ctx, String namespace) {
        Caller caller = caller(ctx);
        if (caller.role() != Role.ADMIN) {
            throw new ForbiddenException("revoking needs an admin token; '" + caller.name() + "' is not one");
        }
        requireNamespace(caller, namespace);
    }

    /** Like {@link #requireLock}, for the namespace of a ticket or lease id (unknown ids pass on to 404). */
    void requireLockById(Context ctx, String id) {
        requireLock(ctx, null);
        service.namespaceOf(id).ifPresent(ns -> requireNamespace(caller(ctx), ns));
    }

    void requireAdminById(Context ctx, String id) {
        requireAdmin(ctx, null);
        service.namespaceOf(id).ifPresent(ns -> requireNamespace(caller(ctx), ns));
    }

    private static void requireNamespace(Caller caller, String namespace) {
        if (namespace != null && !caller.mayUse(namespace)) {
            throw new ForbiddenException("token '" + caller.name() + "' may not use namespace '" + namespace + "'");
        }
    }
}
