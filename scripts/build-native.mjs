// Builds the stand-in Finance SDK (a test and demo tool) when a C compiler is present.
// Filled in by the archive work; kept as a no-op so `npm ci` always succeeds.
