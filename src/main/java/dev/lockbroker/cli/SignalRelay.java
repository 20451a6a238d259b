package dev.lockbroker.cli;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Takes SIGINT, SIGTERM and SIGHUP from the JVM's default handling. While waiting for the lock a
 * signal interrupts the waiting thread (which leaves the queue); once a child runs, the signal is
 * forwarded to it, and the child's exit decides what happens next.
 *
 * <p>Concurrency contract: handlers run on the JVM's signal thread; {@code child},
 * {@code signalNumber} and {@code signalName} are guarded by {@code this}, so a signal that arrives
 * while the child is being handed over is forwarded exactly once.
 */
final class SignalRelay {
    private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");

    private final Thread waiter;
    private Consumer<String> child;
    private int signalNumber;
    private String signalName;
    private boolean forwarded;

    private SignalRelay(Thread waiter) {
        this.waiter = waiter;
    }

    /** Installs the handlers; a signal the JVM does not let us handle keeps its default. */
    static SignalRelay install(Thread waiter) {
        SignalRelay relay = new SignalRelay(waiter);
        for (String name : SIGNALS) {
            try {
                JvmSignals.handle(name, relay::received);
            } catch (IllegalArgumentException e) {
                // Ignored at start-up (nohup, background job) or reserved by the VM: leave it be.
            }
        }
        return relay;
    }

    /**
     * From now on signals go to {@code command}, which takes a signal's name. A signal that arrived
     * after the caller last looked (it interrupted the waiter) is passed on now, and the interrupt is
     * cleared.
     */
    synchronized void forwardTo(Consumer<String> command) {
        child = command;
        if (signalNumber != 0 && !forwarded) {
            Thread.interrupted();
            forwarded = true;
            command.accept(signalName);
        }
    }

    /** The number of the first signal received, or 0. */
    synchronized int signalNumber() {
        return signalNumber;
    }

    private synchronized void received(String name, int number) {
        if (signalNumber == 0) {
            signalNumber = number;
            signalName = name;
        }
        if (child == null) {
            waiter.interrupt();
        } else {
            forwarded = true;
            child.accept(name);
        }
    }

    /** Sends signal {@code name} to {@code pid} with kill(1): the JDK can only send TERM and KILL. */
    static void send(long pid, String name) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(pid))
                    .inheritIO()
                    .start()
                    .waitFor();
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
