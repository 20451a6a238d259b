package dev.lockbroker.store.s3;

import dev.lockbroker.store.RecordCodec;

/**
 * Where a namespace's objects live under {@code {root}{ns}/}. Generation 0 is the original layout,
 * records at {@code {ns}/{seq}.json}; generation g ≥ 1 keeps its records under {@code {ns}/g{g}/},
 * starting with {@code first}, a copy of the newest record of g-1. {@code {ns}/gen/{g}} marks that
 * g-1 is sealed and is never deleted. Namespace names hold no '/', so no key of one namespace is a
 * key of another.
 */
final class LogKeys {
    private final String rootKey;

    LogKeys(String rootKey) {
        this.rootKey = rootKey;
    }

    String record(String ns, long generation, long seq) {
        return generationPrefix(ns, generation) + RecordCodec.recordName(seq);
    }

    /** The first record of generation {@code generation} ≥ 1. */
    String first(String ns, long generation) {
        return generationPrefix(ns, generation) + "first";
    }

    /** The marker that generation {@code generation - 1} is sealed. */
    String marker(String ns, long generation) {
        return rootKey + ns + "/gen/" + generation;
    }

    /** The prefix that lists a generation's objects; for generation 0 list it with delimiter '/'. */
    String generationPrefix(String ns, long generation) {
        return generation == 0 ? rootKey + ns + "/" : rootKey + ns + "/g" + generation + "/";
    }
}
