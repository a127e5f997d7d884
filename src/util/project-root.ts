/**
 * The project's folder (where package.json is). Code that names files by their place in the checkout
 * (the web UI's build, the media fixtures, the native stand-in) starts from it rather than from its
 * own location, which differs between the sources (src/…) and the CLI's bundle (dist/cli/…).
 */
export { ROOT as PROJECT_ROOT } from '../../scripts/bundle.mjs';
