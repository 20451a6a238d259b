package dev.lockbroker.core;

/**
 * Where the service looks up which namespace engine holds a ticket or lease id (the two kinds of
 * id never collide: lease ids carry their namespace). A namespace's {@link Ledger} tells it as ids
 * appear and are forgotten.
 */
interface Directory {
    void added(String id);

    void forgotten(String id);

    /** For a state used on its own, as in its unit tests. */
    Directory NONE = new Directory() {
        @Override
        public void added(String id) {}

        @Override
        public void forgotten(String id) {}
    };
}
