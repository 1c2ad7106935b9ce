package dev.qrref.spec;

/** The GPU runtime or the native library reported an error (device fault, allocation failure, unsupported build). */
public class DeviceException extends QrException {
    public DeviceException(Status status, String message) {
        super(status, message);
    }
}
