/**
 * Property tests draw the same cases on every run (a red run is a real failure that fails again when it is run
 * again, never a lucky draw on a busy CI machine). FAST_CHECK_SEED explores other cases locally; a failure prints
 * its seed and path, which reproduce it.
 */
import fc from "fast-check";

fc.configureGlobal({ seed: Number(process.env.FAST_CHECK_SEED ?? 20261205) });
