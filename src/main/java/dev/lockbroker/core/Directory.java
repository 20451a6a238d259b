package dev.lockbroker.core;

/**
 * Where the service looks up which namespace engine holds a ticket or lease id (the two kinds of
 * id never collide: lease ids carry their namespace). A namespace's {@link Ledger} tells it as ids
 * appear and are forgotten.
 */
interface Directory {
    void added(String id);

    void forgotten(String id);

    /** Tickets kept by the whole service (queued or ended and remembered) changed by {@code delta}. */
    void ticketsChanged(int delta);

    /** Tickets kept by the whole service, for its limit. */
    int ticketsKept();

    /** For a state used on its own, as in its unit tests. */
    Directory NONE = new Directory() {
        @Override
        public void added(String id) {}

        @Override
        public void forgotten(String id) {}

        @Override
        public void ticketsChanged(int delta) {}

        @Override
        public int ticketsKept() {
            return 0;
        }
    };
}
