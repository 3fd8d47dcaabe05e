/** `cct` as its own process, from source: `node --import tsx test/helpers/cctEntry.ts <args>` (see runCctProcess). */
import { runCli } from '../../src/cli/main';

runCli();
