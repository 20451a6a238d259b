package dev.lockbroker.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * {@code sun.misc.Signal} reached by reflection: javac warns on every direct use of that API, the
 * warning cannot be suppressed, and the build fails on warnings.
 */
public final class JvmSignals {
    /** Called on the JVM's signal thread. */
    public interface Handler {
        void received(String name, int number);
    }

    private JvmSignals() {}

    /** Installs {@code handler} for signal {@code name}; IllegalArgumentException when the JVM refuses. */
    @SuppressWarnings("ReferenceEquality") // a proxy equals only itself
    public static void handle(String name, Handler handler) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method getName = signalClass.getMethod("getName");
            Method getNumber = signalClass.getMethod("getNumber");
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            Object proxy = Proxy.newProxyInstance(
                    handlerClass.getClassLoader(), new Class<?>[] {handlerClass}, (self, method, args) -> {
                        switch (method.getName()) {
                            case "handle" -> {
                                handler.received((String) getName.invoke(args[0]), (int) getNumber.invoke(args[0]));
                                return null;
                            }
                            case "equals" -> {
                                return self == args[0];
                            }
                            case "hashCode" -> {
                                return System.identityHashCode(self);
                            }
                            default -> {
                                return "JvmSignals.Handler(" + name + ")";
                            }
                        }
                    });
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, proxy);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                throw refused;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("sun.misc.Signal is not available", e);
        }
    }
}
