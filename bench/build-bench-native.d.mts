/** Types of build-bench-native.mjs (plain JS so it also runs with bare `node`). */
export declare const BENCH_BIN: { loadgen: string; cConsumer: string };
export declare function buildBenchNative(options?: { force?: boolean }): { loadgen: string; cConsumer: string };
