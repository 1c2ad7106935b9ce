package dev.qrref.spec;

/**
 * Service-provider interface through which {@link Backends} finds backends on the class path
 * ({@code META-INF/services/dev.qrref.spec.BackendProvider}).
 */
public interface BackendProvider {
    /** The backend's name: {@code cpu} or {@code gpu}. */
    String name();

    /**
     * Opens the backend, or throws {@link BackendUnavailableException} saying exactly what is missing (a library path, a
     * GPU, a driver).
     */
    Backend open();
}
