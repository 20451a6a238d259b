package dev.lockbroker.cli;

import java.io.IOException;
import java.util.List;
import sun.misc.Signal;

/**
 * Takes SIGINT, SIGTERM and SIGHUP from the JVM's default handling. While waiting for the lock a
 * signal interrupts the waiting thread (which leaves the queue); once a child runs, the signal is
 * forwarded to it, and the child's exit decides what happens next.
 *
 * <p>Concurrency contract: handlers run on the JVM's signal thread; {@code child} and
 * {@code signalNumber} are volatile and written once each by their owners.
 */
final class SignalRelay {
    private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");

    private final Thread waiter;
    private volatile Process child;
    private volatile int signalNumber;

    private SignalRelay(Thread waiter) {
        this.waiter = waiter;
    }

    /** Installs the handlers; a signal the JVM does not let us handle keeps its default. */
    static SignalRelay install(Thread waiter) {
        SignalRelay relay = new SignalRelay(waiter);
        for (String name : SIGNALS) {
            try {
                Signal.handle(new Signal(name), relay::received);
            } catch (IllegalArgumentException e) {
                // Ignored at start-up (nohup, background job) or reserved by the VM: leave it be.
            }
        }
        return relay;
    }

    /** From now on signals go to {@code process}. */
    void forwardTo(Process process) {
        child = process;
    }

    /** The number of the first signal received, or 0. */
    int signalNumber() {
        return signalNumber;
    }

    private void received(Signal signal) {
        if (signalNumber == 0) {
            signalNumber = signal.getNumber();
        }
        Process target = child;
        if (target == null) {
            waiter.interrupt();
        } else if (target.isAlive()) {
            send(target.pid(), signal.getName());
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
