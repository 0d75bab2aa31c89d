// Writes the ABIs and creation bytecode of the protocol contracts to common/contracts/.
// Run through `npm run contracts:export`, which compiles first.
import { writeFile } from 'node:fs/promises';
import { abisFile, bytecodeFile, renderExports } from './exports.ts';

const { abis, bytecode } = await renderExports();
await writeFile(abisFile, abis);
await writeFile(bytecodeFile, bytecode);
console.log(`wrote ${abisFile} and ${bytecodeFile}`);
