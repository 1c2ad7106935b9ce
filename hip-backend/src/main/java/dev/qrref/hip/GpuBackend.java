package dev.qrref.hip;

import dev.qrref.spec.Placement;

import dev.qrref.spec.Backend;
import dev.qrref.spec.BackendUnavailableException;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QrException;
import java.util.EnumSet;
import java.util.Set;

/**
 * The GPU backend: the native kernels of {@code libqr} on device {@value #DEVICE_PROPERTY} (default 0). Profiles: the
 * build's native one, plus every profile the library can run on this device (on NVIDIA: cuda and cdna4 natively, cdna3
 * emulated in binary32 with saturation).
 */
public final class GpuBackend implements Backend {
    /** System property selecting the device of per-rank communicators and one-GPU groups. */
    public static final String DEVICE_PROPERTY = "qr.gpu.device";

    private final QrNative nat;
    private final int device;
    private final Placement placement;

    public GpuBackend(QrNative nat, int device, Placement placement) {
        this.nat = nat;
        this.device = device;
        this.placement = placement;
    }

    /** Opens the backend or says why it cannot run here (no library, no GPU). */
    public static GpuBackend open() {
        QrNative nat = QrNative.get();
        int count;
        try {
            count = nat.deviceCount();
        } catch (QrException e) {
            throw new BackendUnavailableException("the GPU backend found no usable GPU (library " + nat.path() + "): "
                    + e.getMessage(), e);
        }
        int device = Integer.getInteger(DEVICE_PROPERTY, 0);
        if (count == 0 || device >= count) {
            throw new BackendUnavailableException("the GPU backend needs GPU " + device + " but " + count + " GPU(s) are present");
        }
        return new GpuBackend(nat, device, Placement.AUTO);
    }

    public QrNative nativeLibrary() {
        return nat;
    }

    public int device() {
        return device;
    }

    @Override
    public String name() {
        return "gpu";
    }

    @Override
    public Set<Profile> profiles() {
        Set<Profile> out = EnumSet.noneOf(Profile.class);
        for (Profile p : Profile.values()) {
            if (nat.profileSupported(device, p)) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public Profile defaultProfile() {
        return nat.nativeProfile();
    }

    @Override
    public String describe() {
        return nat.describe(device) + ", libqr " + nat.platform() + " ABI " + nat.abiVersion() + " (" + nat.kernelCount()
                + " kernels)";
    }

    @Override
    public DeviceComms newComms(CommsOptions options) {
        return new GpuDeviceComms(nat, device, options);
    }

    @Override
    public GroupComms newGroup(int worldSize, long maxProblemBytes, CommsOptions options) {
        return newGpuGroup(worldSize, maxProblemBytes, options);
    }

    /** {@link #newGroup} with the GPU-only extras of {@link GpuGroupComms}. */
    public GpuGroupComms newGpuGroup(int worldSize, long maxProblemBytes, CommsOptions options) {
        return new GpuGroupComms(nat, worldSize, maxProblemBytes, device, options.profile(), options.maxBlocks(),
                options.waitTimeout().toNanos(), placement);
    }
}
