package dev.lockbroker.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decides the namespace label of a metric: the first {@code max} namespaces seen keep their own
 * name for the life of the process, every later one is {@link MeterNames#OTHER_NAMESPACE}. A
 * namespace's label never changes once given. A namespace that is itself named {@code _other} is
 * always folded, so that label means one thing.
 *
 * <p>Concurrency contract: lookups of labelled names are lock-free; {@code admitting} serialises the
 * admission of a new name so the limit is never exceeded.
 */
final class NamespaceLabels {
    private final int max;
    private final Set<String> labelled = ConcurrentHashMap.newKeySet();
    private final ReentrantLock admitting = new ReentrantLock();

    NamespaceLabels(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxNamespaceLabels must be 0 or more, not " + max);
        }
        this.max = max;
    }

    String labelFor(String namespace) {
        if (labelled.contains(namespace)) {
            return namespace;
        }
        if (labelled.size() >= max || namespace.equals(MeterNames.OTHER_NAMESPACE)) {
            return MeterNames.OTHER_NAMESPACE;
        }
        admitting.lock();
        try {
            if (labelled.contains(namespace) || (labelled.size() < max && labelled.add(namespace))) {
                return namespace;
            }
            return MeterNames.OTHER_NAMESPACE;
        } finally {
            admitting.unlock();
        }
    }
}
