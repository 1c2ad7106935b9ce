/**
 * Protocol explorer: a model checker for the two-shot protocol's use of the shared communication buffers across
 * consecutive calls.
 *
 * <p>Each (rank, block) of each call is a sequential program of shared-memory {@link dev.qrref.cpu.explore.Action}s —
 * write a slot into one receiver, store a flag into one receiver, wait for one flag, read one slot, update the block
 * counter — over all grid-stride iterations. A rank's next kernel starts only after all its blocks finished the
 * previous call (stream order); nothing else orders the ranks. Slots hold a {@link dev.qrref.cpu.explore.Tag} instead
 * of bytes but sit at their real byte ranges ({@code BufferLayout}/{@code CodecLayout} for the project's layout, a
 * reconstruction of the upstream offsets for the pre-fix one), so overlap between calls of different grids and
 * codecs is found from actual offsets. Interleaving is sequentially consistent at action granularity; the kernel's
 * release/acquire flag protocol provides exactly the orderings such an interleaving assumes.
 *
 * <p>Entry points: {@link dev.qrref.cpu.explore.Explorer#run}, configured by
 * {@link dev.qrref.cpu.explore.ExplorerConfig} (or {@link dev.qrref.cpu.explore.Scenarios}); the command line
 * {@link dev.qrref.cpu.explore.ExplorerCommandLine} ({@code qr explore}); the documentation page
 * {@link dev.qrref.cpu.explore.ExplorerReport}.
 */
package dev.qrref.cpu.explore;
