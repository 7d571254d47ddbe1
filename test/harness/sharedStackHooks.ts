// For running single test files by hand: `mocha --require ./out/test/harness/sharedStackHooks.js out/test/…` stops
// the shared stack at the end, as the layer runners do (mochaSuite.ts).
import { stopSharedStack } from './sharedStack';

export const mochaHooks = { afterAll: stopSharedStack };
