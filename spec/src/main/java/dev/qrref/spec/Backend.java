package dev.qrref.spec;

import java.util.Set;

/**
 * A backend: the CPU model or the GPU. Obtained from {@link Backends#open(String)}.
 */
public interface Backend {

    /** {@code cpu} or {@code gpu}. */
    String name();

    /** Profiles this backend can follow (the CPU model: all; a GPU build: its native profile plus emulated ones). */
    Set<Profile> profiles();

    /** The profile used when a caller does not name one. */
    Profile defaultProfile();

    /** One line describing the machine (CPU model and cores, or GPU name, driver and runtime). */
    String describe();

    /** A new per-rank communicator; call {@link DeviceComms#init} next. */
    DeviceComms newComms(CommsOptions options);

    /** A group of all ranks in this process. */
    GroupComms newGroup(int worldSize, long maxProblemBytes, CommsOptions options);
}
