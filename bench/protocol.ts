// Protocol economics figures (issue 14), measured on Hardhat's in-process chain with the
// real contracts. Prints `figure protocol.<name> <value> x` lines; run from the repo root:
//   node --import tsx bench/protocol.ts
import hre from 'hardhat';
import { PROTOCOL_GOALS, griefingCostRatio, pumpCostRatio } from '../contracts/testkit/protocol-figures.ts';

await hre.tasks.getTask('build').run({ quiet: true });
const conn = await hre.network.create();
const pump = await pumpCostRatio(conn);
const grief = await griefingCostRatio(conn);
for (const [name, goal] of Object.entries(PROTOCOL_GOALS)) console.log(`# goal protocol.${name} >= ${goal} x`);
for (const [n, ratio] of Object.entries(grief.byN)) console.log(`# griefing_cost_ratio with ${n} open claims: ${ratio.toFixed(4)} x`);
console.log(`figure protocol.pump_cost_ratio ${pump.toFixed(4)} x`);
console.log(`figure protocol.griefing_cost_ratio ${grief.min.toFixed(4)} x`);
