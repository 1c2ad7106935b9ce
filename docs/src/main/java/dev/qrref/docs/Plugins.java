package dev.qrref.docs;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Access to APIs of other modules that may not exist yet in a given checkout (the {@code qr explain} trace of the CLI,
 * the protocol explorer). They are looked up by name: when a class is absent the generator writes a note saying which
 * part is missing; when it is present but fails, the build fails with the cause.
 */
final class Plugins {
    private Plugins() {
    }

    static Optional<Class<?>> type(String name) {
        try {
            return Optional.of(Class.forName(name));
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** Calls a public static method; rethrows the target's exception unwrapped. */
    static Object call(Class<?> type, String method, Class<?>[] params, Object... args) {
        try {
            Method m = type.getMethod(method, params);
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw rethrow(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + "." + method + " is not callable as expected: " + e, e);
        }
    }

    /** Calls a public no-argument instance method (record accessors included). */
    static Object get(Object target, String method) {
        try {
            Method m = target.getClass().getMethod(method);
            m.setAccessible(true);
            return m.invoke(target);
        } catch (InvocationTargetException e) {
            throw rethrow(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(target.getClass().getName() + "." + method + "() is not callable: " + e, e);
        }
    }

    static boolean hasMethod(Class<?> type, String method, Class<?>... params) {
        try {
            type.getMethod(method, params);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
