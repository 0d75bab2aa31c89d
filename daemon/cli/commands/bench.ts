import { parseArgs } from 'node:util';
import { isHearthError } from '../../../common/errors.ts';
import { runBenchmark } from '../../../core/worker/benchmark.ts';
import { createLocalInference } from '../../../core/worker/local.ts';
import { EXIT, type CliCommand } from '../command.ts';

export const benchCommand: CliCommand = {
  name: 'bench',
  summary: 'Benchmark this device with a real model and print its score (inferences/s)',
  usage: 'hearth bench [--model <catalog id>] [--iterations N] [--json]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { model: { type: 'string' }, iterations: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
    const iterations = values.iterations === undefined ? 40 : Number(values.iterations);
    if (!Number.isInteger(iterations) || iterations < 1) {
      io.err(`hearth bench: --iterations must be a positive whole number.\nUsage: ${this.usage}\n`);
      return EXIT.usage;
    }
    const { supervisor, store } = createLocalInference(io.env);
    try {
      const result = await runBenchmark({
        supervisor,
        store,
        iterations,
        ...(values.model ? { modelId: values.model } : {}),
        onProgress: (p) => {
          if (!values.json) io.err(`\r${p.phase} ${p.done}/${p.total}   `);
        },
      });
      if (!values.json) io.err('\n');
      if (values.json) io.out(`${JSON.stringify(result)}\n`);
      else {
        io.out(
          [
            `score     ${result.inferencesPerSecond.toFixed(2)} inferences/s`,
            `provider  ${result.provider}`,
            `model     ${result.modelId} (batch ${result.batch}, ${result.iterations} runs in ${(result.elapsedMs / 1000).toFixed(1)} s)`,
          ].join('\n') + '\n',
        );
      }
      return EXIT.ok;
    } catch (error) {
      io.err(`hearth bench: ${error instanceof Error ? error.message : String(error)}${isHearthError(error) ? ` [${error.code}]` : ''}\n`);
      return EXIT.failure;
    } finally {
      await supervisor.preempt(1000);
    }
  },
};
