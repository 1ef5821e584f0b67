/**
 * Global setup of the e2e project: compiles the gateway once per run, before
 * any e2e file, into node_modules/.cache (see `builtGateway`). The files that
 * run the real process read that build; none of them compiles its own.
 */
import { buildGateway } from './support.js';

export default function setup(): void {
  buildGateway();
}
