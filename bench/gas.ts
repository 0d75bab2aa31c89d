// Gas figures for the protocol (issue 6), measured on Hardhat's in-process chain with an
// optimised build. Prints `figure gas.<name> <value> gas` lines; run from the repo root:
//   node --import tsx bench/gas.ts
import hre from 'hardhat';
import { GAS_GOALS, measureGas } from '../contracts/testkit/gas-scenario.ts';

await hre.tasks.getTask('build').run({ quiet: true });
const figures = await measureGas(await hre.network.create());
for (const [name, goal] of Object.entries(GAS_GOALS)) console.log(`# goal gas.${name} <= ${goal} gas`);
for (const [name, value] of Object.entries(figures)) console.log(`figure gas.${name} ${value} gas`);
