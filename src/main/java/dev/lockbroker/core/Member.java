package dev.lockbroker.core;

/** This broker as a member of a group on one bucket: its id, this process's incarnation, its URL. */
public record Member(String brokerId, String incarnation, String url) {
    /** A member with a fresh random incarnation. */
    public static Member started(String brokerId, String url) {
        return new Member(brokerId, Ids.next(), url);
    }
}
