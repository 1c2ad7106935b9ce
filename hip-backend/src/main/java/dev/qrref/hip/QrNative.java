package dev.qrref.hip;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.qrref.spec.BackendUnavailableException;
import dev.qrref.spec.LayoutQuery;
import dev.qrref.spec.Placement;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QrException;
import dev.qrref.spec.Status;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The FFM binding of {@code libqr} ({@code kernels/include/qr_api.h}). The library is loaded and every symbol bound once,
 * on first use; a missing library is one {@link BackendUnavailableException} that names every place looked at.
 *
 * <p>Every native function returns an int status; a non-zero status becomes the spec's typed exception
 * ({@link Status#toException}) carrying the library's message, which names the function, its arguments, the status and
 * the cause. Device pointers travel as zero-length {@link MemorySegment}s.
 */
public final class QrNative {
    /** The ABI this binding was written for ({@code QR_ABI_VERSION}). */
    public static final int ABI_VERSION = 2;
    public static final int IPC_HANDLE_BYTES = 64;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Object LOCK = new Object();
    private static volatile QrNative instance;
    private static volatile BackendUnavailableException failure;

    private final Path path;
    private final SymbolLookup lookup;
    private final MethodHandle abiVersion, lastError, platform, nativeProfile, profileSupported, kernelCount, kernelName;
    private final MethodHandle specCount, specAt, specConstant, layoutQuery, slotOffset;
    private final MethodHandle deviceCount, describe, memInfo, residentBlocks, alloc, free, h2d, d2h, d2d;
    private final MethodHandle fillRandom, countMismatches, copyBandwidth, deviceRates, l2Bytes;
    private final MethodHandle commsCreate, commsInit, commsGetHandle, commsOpenHandles, commsAllreduce, commsAllreduceAsync;
    private final MethodHandle commsSynchronize, commsState, commsWorldSize, commsRank, commsProfile, commsMaxBlocks;
    private final MethodHandle commsMaxProblemBytes, commsTotalBytes, commsReadBuffer, commsDestroy;
    private final MethodHandle groupCreate, groupAllreduce, groupTime, groupState, groupWorldSize, groupMaxBlocks;
    private final MethodHandle groupTotalBytes, groupDevice, groupReadBuffer, groupDestroy;
    private final MethodHandle profileArith, capturePrimitive, mutant, groupTimeSets;
    private final MethodHandle groupTimeCopies, graphCreate, graphReplay, graphTime, graphDestroy;

    /** The loaded library; throws {@link BackendUnavailableException} (the same reason every time) when it cannot load. */
    public static QrNative get() {
        QrNative n = instance;
        if (n != null) {
            return n;
        }
        synchronized (LOCK) {
            if (instance == null && failure == null) {
                try {
                    instance = new QrNative(NativeLibraryLocator.locate());
                } catch (BackendUnavailableException e) {
                    failure = e;
                }
            }
            if (instance == null) {
                throw new BackendUnavailableException(failure.getMessage(), failure);
            }
            return instance;
        }
    }

    private QrNative(Path path) {
        this.path = path;
        try {
            this.lookup = SymbolLookup.libraryLookup(path, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new BackendUnavailableException("the GPU backend's native library " + path + " cannot be loaded: " + e.getMessage(), e);
        }
        abiVersion = fn("qr_abi_version", ADDRESS);
        lastError = handle("qr_last_error", FunctionDescriptor.of(ADDRESS));
        platform = fn("qr_platform", ADDRESS);
        nativeProfile = fn("qr_native_profile", ADDRESS);
        profileSupported = fn("qr_profile_supported", JAVA_INT, JAVA_INT, ADDRESS);
        kernelCount = fn("qr_kernel_count", ADDRESS);
        kernelName = fn("qr_kernel_name", JAVA_INT, ADDRESS);
        specCount = fn("qr_spec_constant_count", ADDRESS);
        specAt = fn("qr_spec_constant_at", JAVA_INT, ADDRESS, ADDRESS);
        specConstant = fn("qr_spec_constant", ADDRESS, ADDRESS);
        layoutQuery = fn("qr_layout_query", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS);
        slotOffset = fn("qr_layout_slot_offset", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
        deviceCount = fn("qr_device_count", ADDRESS);
        describe = fn("qr_device_describe", JAVA_INT, ADDRESS, JAVA_LONG);
        memInfo = fn("qr_device_mem_info", JAVA_INT, ADDRESS, ADDRESS);
        residentBlocks = fn("qr_device_resident_blocks", JAVA_INT, ADDRESS, ADDRESS);
        alloc = fn("qr_device_alloc", JAVA_INT, JAVA_LONG, ADDRESS);
        free = fn("qr_device_free", JAVA_INT, ADDRESS);
        h2d = fn("qr_memcpy_h2d", JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
        d2h = fn("qr_memcpy_d2h", JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
        d2d = fn("qr_memcpy_d2d", JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
        fillRandom = fn("qr_device_fill_random", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG);
        countMismatches = fn("qr_device_count_mismatches", JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
        copyBandwidth = fn("qr_device_copy_bandwidth", JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS);
        deviceRates = fn("qr_device_rates", JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        l2Bytes = fn("qr_device_l2_bytes", JAVA_INT, ADDRESS);
        commsCreate = fn("qr_comms_create", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
        commsInit = fn("qr_comms_init", JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG);
        commsGetHandle = fn("qr_comms_get_handle", JAVA_LONG, ADDRESS);
        commsOpenHandles = fn("qr_comms_open_handles", JAVA_LONG, ADDRESS, JAVA_INT);
        commsAllreduce = fn("qr_comms_allreduce", JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
        commsAllreduceAsync = fn("qr_comms_allreduce_async", JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT,
                ADDRESS);
        commsSynchronize = fn("qr_comms_synchronize", JAVA_LONG, ADDRESS);
        commsState = fn("qr_comms_state", JAVA_LONG, ADDRESS);
        commsWorldSize = fn("qr_comms_world_size", JAVA_LONG, ADDRESS);
        commsRank = fn("qr_comms_rank", JAVA_LONG, ADDRESS);
        commsProfile = fn("qr_comms_profile", JAVA_LONG, ADDRESS);
        commsMaxBlocks = fn("qr_comms_max_blocks", JAVA_LONG, ADDRESS);
        commsMaxProblemBytes = fn("qr_comms_max_problem_bytes", JAVA_LONG, ADDRESS);
        commsTotalBytes = fn("qr_comms_total_bytes", JAVA_LONG, ADDRESS);
        commsReadBuffer = fn("qr_comms_read_buffer", JAVA_LONG, ADDRESS, JAVA_LONG);
        commsDestroy = fn("qr_comms_destroy", JAVA_LONG);
        groupCreate = fn("qr_group_create", JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS);
        groupAllreduce = fn("qr_group_allreduce", JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT);
        groupTime = fn("qr_group_time", JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                ADDRESS);
        groupState = fn("qr_group_state", JAVA_LONG, ADDRESS);
        groupWorldSize = fn("qr_group_world_size", JAVA_LONG, ADDRESS);
        groupMaxBlocks = fn("qr_group_max_blocks", JAVA_LONG, ADDRESS);
        groupTotalBytes = fn("qr_group_total_bytes", JAVA_LONG, ADDRESS);
        groupDevice = fn("qr_group_device", JAVA_LONG, JAVA_INT, ADDRESS);
        groupReadBuffer = fn("qr_group_read_buffer", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
        groupDestroy = fn("qr_group_destroy", JAVA_LONG);
        // Later additions to the ABI: bound when present, so that a library built before them (a baseline for
        // benchmarks) still loads; calling an absent one is UNSUPPORTED.
        profileArith = optionalFn("qr_profile_arith", JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
        capturePrimitive = optionalFn("qr_capture_primitive", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG,
                ADDRESS);
        mutant = optionalFn("qr_mutant", ADDRESS);
        groupTimeCopies = optionalFn("qr_group_time_copies", JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT,
                ADDRESS);
        graphCreate = optionalFn("qr_group_graph_create", JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS);
        graphReplay = optionalFn("qr_graph_replay", JAVA_LONG, JAVA_INT);
        graphTime = optionalFn("qr_graph_time", JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS);
        graphDestroy = optionalFn("qr_graph_destroy", JAVA_LONG);
        groupTimeSets = optionalFn("qr_group_time_sets", JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, ADDRESS);
        int abi = abiVersion();
        if (abi != ABI_VERSION) {
            throw new BackendUnavailableException("the GPU backend's native library " + path + " has ABI version " + abi
                    + ", this binding needs " + ABI_VERSION + ": rebuild it with kernels/build.sh");
        }
    }

    private MethodHandle fn(String name, MemoryLayout... args) {
        return handle(name, FunctionDescriptor.of(JAVA_INT, args));
    }

    /** Null when the library lacks the symbol. */
    private MethodHandle optionalFn(String name, MemoryLayout... args) {
        return lookup.find(name).map(a -> LINKER.downcallHandle(a, FunctionDescriptor.of(JAVA_INT, args))).orElse(null);
    }

    private MethodHandle present(String name, MethodHandle h) {
        if (h == null) {
            throw Status.UNSUPPORTED.toException("the GPU backend's native library " + path + " has no " + name
                    + " (built before it was added): rebuild it with kernels/build.sh");
        }
        return h;
    }

    /** Whether the library times calls over rotating input sets ({@code qr_group_time_sets}). */
    public boolean hasTimeSets() {
        return groupTimeSets != null;
    }

    private MethodHandle handle(String name, FunctionDescriptor d) {
        MemorySegment address = lookup.find(name).orElseThrow(() -> new BackendUnavailableException(
                "the GPU backend's native library " + path + " has no symbol " + name + ": rebuild it with kernels/build.sh"));
        return LINKER.downcallHandle(address, d);
    }

    /** Where the library was loaded from. */
    public Path path() {
        return path;
    }

    // ---- calling --------------------------------------------------------------------------------------------------

    private static int invoke(MethodHandle h, Object... args) {
        try {
            return (int) h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native call failed", t);
        }
    }

    /** Calls {@code h}; a non-zero status becomes the spec's exception with the library's message. */
    private void call(String function, Supplier<String> args, MethodHandle h, Object... a) {
        int rc = invoke(h, a);
        if (rc != 0) {
            throw error(function, args, rc);
        }
    }

    private QrException error(String function, Supplier<String> args, int rc) {
        Status s = Status.fromCode(rc);
        String text = lastError();
        if (text.isBlank()) {
            text = function + "(" + args.get() + "): " + s.name();
        }
        return s.toException(text);
    }

    /** The library's thread-local message of the last failure on this thread. */
    public String lastError() {
        try {
            MemorySegment p = (MemorySegment) lastError.invokeExact();
            return p.equals(MemorySegment.NULL) ? "" : p.reinterpret(Integer.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            return "";
        }
    }

    private static Supplier<String> none() {
        return () -> "";
    }

    private int outInt(String function, Supplier<String> args, MethodHandle h, Object... prefix) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            call(function, args, h, append(prefix, out));
            return out.get(JAVA_INT, 0);
        }
    }

    private long outLong(String function, Supplier<String> args, MethodHandle h, Object... prefix) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            call(function, args, h, append(prefix, out));
            return out.get(JAVA_LONG, 0);
        }
    }

    private static Object[] append(Object[] prefix, Object last) {
        Object[] all = new Object[prefix.length + 1];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        all[prefix.length] = last;
        return all;
    }

    // ---- library ---------------------------------------------------------------------------------------------------

    public int abiVersion() {
        return outInt("qr_abi_version", none(), abiVersion);
    }

    public String platform() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            call("qr_platform", none(), platform, out);
            return out.get(ADDRESS, 0).reinterpret(64).getString(0);
        }
    }

    public Profile nativeProfile() {
        return Profile.fromCode(outInt("qr_native_profile", none(), nativeProfile));
    }

    public boolean profileSupported(int device, Profile p) {
        return outInt("qr_profile_supported", () -> "device=" + device + ", profile=" + p, profileSupported, device, p.code) != 0;
    }

    /** The mutant this library was built as ({@code kernels/src/mutants.h}); empty for the real library. */
    public String mutant() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            if (mutant == null) {
                return "";
            }
            call("qr_mutant", none(), mutant, out);
            return out.get(ADDRESS, 0).reinterpret(256).getString(0);
        }
    }

    /** The arithmetic policy ({@code QR_ARITH_*}) that computes {@code dtype} work under {@code profile} on the device. */
    public int profileArith(int device, Profile profile, int dtype) {
        return outInt("qr_profile_arith", () -> "device=" + device + ", profile=" + profile + ", dtype=" + dtype,
                present("qr_profile_arith", profileArith),
                device, profile.code, dtype);
    }

    /**
     * Runs primitive {@code op} ({@code QR_PRIM_*}) of policy {@code arith} over {@code n} cases: {@code input} and
     * {@code output} are host segments in the element layouts of {@code qr_api.h}. The fp8 primitives convert with fp8
     * format {@code fp8Format} ({@code QR_FP8_FORMAT_*}) and out-of-range rule {@code fp8Saturate}.
     */
    public void capturePrimitive(int device, int arith, int op, int fp8Format, boolean fp8Saturate, MemorySegment input, long n,
                                 MemorySegment output) {
        call("qr_capture_primitive", () -> "arith=" + arith + ", op=" + op + ", fp8_format=" + fp8Format + ", n=" + n,
                present("qr_capture_primitive", capturePrimitive), device, arith, op, fp8Format, fp8Saturate ? 1 : 0, input, n, output);
    }

    public int kernelCount() {
        return outInt("qr_kernel_count", none(), kernelCount);
    }

    public String kernelName(int index) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            call("qr_kernel_name", () -> "index=" + index, kernelName, index, out);
            return out.get(ADDRESS, 0).reinterpret(256).getString(0);
        }
    }

    public int specConstantCount() {
        return outInt("qr_spec_constant_count", none(), specCount);
    }

    public Map.Entry<String, Long> specConstantAt(int index) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment name = a.allocate(ADDRESS);
            MemorySegment value = a.allocate(JAVA_LONG);
            call("qr_spec_constant_at", () -> "index=" + index, specAt, index, name, value);
            return Map.entry(name.get(ADDRESS, 0).reinterpret(256).getString(0), value.get(JAVA_LONG, 0));
        }
    }

    public long specConstant(String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment value = a.allocate(JAVA_LONG);
            call("qr_spec_constant", () -> "name=" + name, specConstant, a.allocateFrom(name), value);
            return value.get(JAVA_LONG, 0);
        }
    }

    public long layoutQuery(int worldSize, int maxBlocks, long maxProblemBytes, LayoutQuery what) {
        return outLong("qr_layout_query", () -> worldSize + ", " + maxBlocks + ", " + maxProblemBytes + ", " + what, layoutQuery,
                worldSize, maxBlocks, maxProblemBytes, what.code);
    }

    /** Offset of a sender's sub-slot; phase is 1 or 2. */
    public long slotOffset(int worldSize, int maxBlocks, long maxProblemBytes, int phase, int quantLevel, int block, int sender) {
        return outLong("qr_layout_slot_offset", () -> "", slotOffset, worldSize, maxBlocks, maxProblemBytes, phase, quantLevel,
                block, sender);
    }

    // ---- devices and memory -----------------------------------------------------------------------------------------

    public int deviceCount() {
        return outInt("qr_device_count", none(), deviceCount);
    }

    public String describe(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(512);
            call("qr_device_describe", () -> "device=" + device, describe, device, buf, 512L);
            return buf.getString(0);
        }
    }

    /** {free, total} bytes. */
    public long[] memInfo(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocate(JAVA_LONG);
            MemorySegment t = a.allocate(JAVA_LONG);
            call("qr_device_mem_info", () -> "device=" + device, memInfo, device, f, t);
            return new long[]{f.get(JAVA_LONG, 0), t.get(JAVA_LONG, 0)};
        }
    }

    /** {resident blocks, blocks per SM}. */
    public int[] residentBlocks(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment b = a.allocate(JAVA_INT);
            MemorySegment s = a.allocate(JAVA_INT);
            call("qr_device_resident_blocks", () -> "device=" + device, residentBlocks, device, b, s);
            return new int[]{b.get(JAVA_INT, 0), s.get(JAVA_INT, 0)};
        }
    }

    public MemorySegment alloc(int device, long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            call("qr_device_alloc", () -> "device=" + device + ", bytes=" + bytes, alloc, device, bytes, out);
            return out.get(ADDRESS, 0);
        }
    }

    public void free(int device, MemorySegment ptr) {
        call("qr_device_free", () -> "device=" + device, free, device, ptr);
    }

    public void h2d(int device, MemorySegment dst, MemorySegment src, long bytes) {
        call("qr_memcpy_h2d", () -> "bytes=" + bytes, h2d, device, dst, src, bytes);
    }

    public void d2h(int device, MemorySegment dst, MemorySegment src, long bytes) {
        call("qr_memcpy_d2h", () -> "bytes=" + bytes, d2h, device, dst, src, bytes);
    }

    public void d2d(int device, MemorySegment dst, MemorySegment src, long bytes) {
        call("qr_memcpy_d2d", () -> "bytes=" + bytes, d2d, device, dst, src, bytes);
    }

    public void fillRandom(int device, MemorySegment ptr, long n, int dtype, long seed) {
        call("qr_device_fill_random", () -> "n=" + n, fillRandom, device, ptr, n, dtype, seed);
    }

    public long countMismatches(int device, MemorySegment a, MemorySegment b, long n) {
        return outLong("qr_device_count_mismatches", () -> "n=" + n, countMismatches, device, a, b, n);
    }

    public double copyBandwidth(int device, long bytes, int iters) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_DOUBLE);
            call("qr_device_copy_bandwidth", () -> "bytes=" + bytes, copyBandwidth, device, bytes, iters, out);
            return out.get(JAVA_DOUBLE, 0);
        }
    }

    /**
     * Three rates over one pair of {@code bytes}-sized buffers, GB/s (1e9 bytes/s): cudaMemcpyAsync and a 16-byte-word copy
     * kernel (bytes read + written), and a 16-byte-word read-only kernel (bytes read).
     */
    public record Rates(double memcpyGbps, double copyKernelGbps, double readKernelGbps) {
        /** The fastest of the three: a bound charged at this rate cannot be beaten by a kernel moving the same bytes. */
        public double fastest() {
            return Math.max(memcpyGbps, Math.max(copyKernelGbps, readKernelGbps));
        }
    }

    public Rates rates(int device, long bytes, int iters) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_DOUBLE, 3);
            call("qr_device_rates", () -> "bytes=" + bytes, deviceRates, device, bytes, iters, out, out.asSlice(8), out.asSlice(16));
            return new Rates(out.getAtIndex(JAVA_DOUBLE, 0), out.getAtIndex(JAVA_DOUBLE, 1), out.getAtIndex(JAVA_DOUBLE, 2));
        }
    }

    public long l2Bytes(int device) {
        return outLong("qr_device_l2_bytes", () -> "device=" + device, l2Bytes, device);
    }

    // ---- one rank ----------------------------------------------------------------------------------------------------

    public long commsCreate(int device, Profile profile, int maxBlocks, long timeoutNs) {
        return outLong("qr_comms_create", () -> "", commsCreate, device, profile.code, maxBlocks, timeoutNs);
    }

    public void commsInit(long id, int worldSize, int rank, long maxProblemBytes) {
        call("qr_comms_init", () -> "", commsInit, id, worldSize, rank, maxProblemBytes);
    }

    public byte[] commsGetHandle(long id) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(IPC_HANDLE_BYTES);
            call("qr_comms_get_handle", () -> "", commsGetHandle, id, out);
            return out.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        }
    }

    public void commsOpenHandles(long id, byte[] handles, int count) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(Math.max(1, handles.length));
            MemorySegment.copy(handles, 0, h, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, handles.length);
            call("qr_comms_open_handles", () -> "", commsOpenHandles, id, h, count);
        }
    }

    public void commsAllreduce(long id, MemorySegment input, MemorySegment output, long n, int dtype, int quant, boolean cast) {
        call("qr_comms_allreduce", () -> "", commsAllreduce, id, input, output, n, dtype, quant, cast ? 1 : 0, MemorySegment.NULL);
    }

    public void commsAllreduceAsync(long id, MemorySegment input, MemorySegment output, long n, int dtype, int quant, boolean cast) {
        call("qr_comms_allreduce_async", () -> "", commsAllreduceAsync, id, input, output, n, dtype, quant, cast ? 1 : 0,
                MemorySegment.NULL);
    }

    public void commsSynchronize(long id) {
        call("qr_comms_synchronize", () -> "", commsSynchronize, id, MemorySegment.NULL);
    }

    /** {@code QR_STATE_*}: the code of the spec's {@code CommsState} ({@link dev.qrref.spec.CommsState#fromCode}). */
    public int commsState(long id) {
        return outInt("qr_comms_state", () -> "", commsState, id);
    }

    public int commsWorldSize(long id) {
        return outInt("qr_comms_world_size", () -> "", commsWorldSize, id);
    }

    public int commsRank(long id) {
        return outInt("qr_comms_rank", () -> "", commsRank, id);
    }

    public Profile commsProfile(long id) {
        return Profile.fromCode(outInt("qr_comms_profile", () -> "", commsProfile, id));
    }

    public int commsMaxBlocks(long id) {
        return outInt("qr_comms_max_blocks", () -> "", commsMaxBlocks, id);
    }

    public long commsMaxProblemBytes(long id) {
        return outLong("qr_comms_max_problem_bytes", () -> "", commsMaxProblemBytes, id);
    }

    public long commsTotalBytes(long id) {
        return outLong("qr_comms_total_bytes", () -> "", commsTotalBytes, id);
    }

    public void commsReadBuffer(long id, MemorySegment dst, long capacity) {
        call("qr_comms_read_buffer", () -> "", commsReadBuffer, id, dst, capacity);
    }

    public void commsDestroy(long id) {
        call("qr_comms_destroy", () -> "", commsDestroy, id);
    }

    // ---- group -------------------------------------------------------------------------------------------------------

    public long groupCreate(int worldSize, long maxProblemBytes, int device, Profile profile, int maxBlocks, long timeoutNs,
                            Placement placement) {
        return outLong("qr_group_create", () -> "", groupCreate, worldSize, maxProblemBytes, device, profile.code, maxBlocks,
                timeoutNs, placement.code);
    }

    public void groupAllreduce(long id, MemorySegment inputs, MemorySegment outputs, long n, int dtype, int quant, boolean cast) {
        call("qr_group_allreduce", () -> "", groupAllreduce, id, inputs, outputs, n, dtype, quant, cast ? 1 : 0);
    }

    public float[] groupTime(long id, MemorySegment inputs, MemorySegment outputs, long n, int dtype, int quant, boolean cast,
                             int warmup, int iters) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t = a.allocate(JAVA_FLOAT, iters);
            call("qr_group_time", () -> "", groupTime, id, inputs, outputs, n, dtype, quant, cast ? 1 : 0, warmup, iters, t);
            return t.toArray(JAVA_FLOAT);
        }
    }

    /** {@link #groupTime} over {@code sets} input sets ({@code inputSets}: sets x W device pointers, set-major). */
    public float[] groupTimeSets(long id, MemorySegment inputSets, int sets, MemorySegment outputs, long n, int dtype, int quant,
                                 boolean cast, int warmup, int iters) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t = a.allocate(JAVA_FLOAT, iters);
            call("qr_group_time_sets", () -> "", present("qr_group_time_sets", groupTimeSets), id, inputSets, sets, outputs, n, dtype,
                    quant, cast ? 1 : 0, warmup,
                    iters, t);
            return t.toArray(JAVA_FLOAT);
        }
    }

    /** Per-call times (µs) of W concurrent device-to-device copies of each rank's input to its output. */
    public float[] groupTimeCopies(long id, MemorySegment inputSets, int sets, MemorySegment outputs, long n, int warmup, int iters) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t = a.allocate(JAVA_FLOAT, iters);
            call("qr_group_time_copies", () -> "n=" + n, present("qr_group_time_copies", groupTimeCopies), id, inputSets, sets, outputs,
                    n, warmup, iters, t);
            return t.toArray(JAVA_FLOAT);
        }
    }

    /**
     * Captures {@code calls} all-reduces of a group into a graph. {@code inputs}/{@code outputs} hold calls × W device
     * pointers, call-major; the per-call arrays hold n (int64), dtype, quant level and the cast flag (int32).
     */
    public long graphCreate(long group, int calls, MemorySegment inputs, MemorySegment outputs, MemorySegment n, MemorySegment dtype,
                            MemorySegment quant, MemorySegment cast) {
        return outLong("qr_group_graph_create", () -> "group=" + group + ", calls=" + calls,
                present("qr_group_graph_create", graphCreate), group, calls, inputs, outputs, n, dtype, quant, cast);
    }

    public void graphReplay(long graph, int times) {
        call("qr_graph_replay", () -> "graph=" + graph + ", times=" + times, present("qr_graph_replay", graphReplay), graph, times);
    }

    /** Per-replay times (µs) of a graph: events around each launch, no host launch cost inside. */
    public float[] graphTime(long graph, int warmup, int iters) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t = a.allocate(JAVA_FLOAT, iters);
            call("qr_graph_time", () -> "graph=" + graph, present("qr_graph_time", graphTime), graph, warmup, iters, t);
            return t.toArray(JAVA_FLOAT);
        }
    }

    public void graphDestroy(long graph) {
        call("qr_graph_destroy", () -> "graph=" + graph, present("qr_graph_destroy", graphDestroy), graph);
    }

    public int groupState(long id) {
        return outInt("qr_group_state", () -> "", groupState, id);
    }

    public int groupWorldSize(long id) {
        return outInt("qr_group_world_size", () -> "", groupWorldSize, id);
    }

    public int groupMaxBlocks(long id) {
        return outInt("qr_group_max_blocks", () -> "", groupMaxBlocks, id);
    }

    public long groupTotalBytes(long id) {
        return outLong("qr_group_total_bytes", () -> "", groupTotalBytes, id);
    }

    public int groupDevice(long id, int rank) {
        return outInt("qr_group_device", () -> "", groupDevice, id, rank);
    }

    public void groupReadBuffer(long id, int rank, MemorySegment dst, long capacity) {
        call("qr_group_read_buffer", () -> "", groupReadBuffer, id, rank, dst, capacity);
    }

    public void groupDestroy(long id) {
        call("qr_group_destroy", () -> "", groupDestroy, id);
    }
}
