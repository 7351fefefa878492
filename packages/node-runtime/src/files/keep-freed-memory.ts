/**
 * Size of the buffer {@link keepFreedMemoryForReuse} allocates and drops. glibc then keeps up to
 * twice this much freed memory at the top of each heap instead of giving it back to the kernel.
 */
const FREED_MEMORY_PROBE_BYTES = 8 * 1024 * 1024;

let probed = false;

/**
 * Lets the C allocator keep the memory a streaming job frees, so the job's next chunks reuse it
 * instead of faulting fresh pages in. Called once per thread before a job that allocates a chunk
 * per step (`node:crypto` and `node:zlib` return every output chunk in a new allocation, and the
 * garbage collector frees them in batches).
 *
 * Why: glibc's malloc gives the top of a heap back to the kernel once more than its trim threshold
 * (128 KiB at start) is free there, so a batch of freed 64 KiB cipher chunks was returned and the
 * next chunks faulted the same memory in again, page by page. A 1 GiB encryption here took 14 500
 * to 42 000 page faults and 1.3–2.2 s (operation only, 12 runs); with this call 13 300–14 000
 * faults and 1.2–1.6 s (16 runs), the same as with `MALLOC_TRIM_THRESHOLD_` set
 * (docs/performance-age.md). glibc raises its thresholds by itself when a large block
 * (up to 32 MiB) allocated by `mmap` is freed: the trim threshold becomes twice that block. An
 * 8 MiB `Buffer.allocUnsafeSlow` is such a block: it is never written (only glibc's header in its
 * first page is touched) and it is freed by the next garbage collection, which a streaming job brings within its first
 * megabytes. The effect is process-wide and the same as any program that once freed an 8 MiB
 * buffer: up to 16 MiB of free memory may stay with each heap. Other C libraries (musl) and other
 * systems ignore it; the cost there is one untouched allocation.
 */
export function keepFreedMemoryForReuse(): void {
  if (probed) return;
  probed = true;
  Buffer.allocUnsafeSlow(FREED_MEMORY_PROBE_BYTES);
}
