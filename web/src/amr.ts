/**
 * The AMR-NB decoder (web-amr's emscripten build, about 1.4 MB): imported dynamically from the voice
 * bubble, so it is a chunk of its own that a page without voice never loads.
 */
import { AMR } from 'web-amr/dist/vendor/amrnb.js';

export const AMR_SAMPLE_RATE = 8000;

/** Mono samples at 8 kHz, or null when the bytes are not AMR-NB the decoder can read. */
export function decodeAmr(bytes: Uint8Array): Float32Array | null {
  return AMR.decode(bytes);
}
