import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { isHearthError } from '../../../common/errors.ts';
import type { Tensor } from '../../../common/worker/protocol.ts';
import { createLocalInference, nameInputs, resolveModelArg } from '../../../core/worker/local.ts';
import { encodeNpy, readTensorFile, tensorToJson } from '../../../core/worker/tensor-files.ts';
import { EXIT, type CliCommand } from '../command.ts';

function preview(t: Tensor, count: number): string {
  const values = Array.from(t.data.subarray(0, count) as ArrayLike<number | bigint>, (x) => (typeof x === 'bigint' ? x.toString() : Number(x.toPrecision(6)).toString()));
  return `[${values.join(', ')}${t.data.length > count ? `, … (${t.data.length} values)` : ''}]`;
}

export const inferCommand: CliCommand = {
  name: 'infer',
  summary: 'Run one inference in the isolated worker and print the outputs',
  usage: 'hearth infer --model <catalog id | path.onnx> --input <file.json | file.npy> [--out file.json|file.npy] [--json] [--timeout-ms N]',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { model: { type: 'string' }, input: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' }, 'timeout-ms': { type: 'string' } },
      strict: true,
    });
    if (!values.model || !values.input) {
      io.err(`hearth infer: --model and --input are required.\nUsage: ${this.usage}\n`);
      return EXIT.usage;
    }
    const { supervisor, store } = createLocalInference(io.env);
    try {
      const model = await resolveModelArg({ store, supervisor }, values.model, (received, total) => io.err(`\rdownloading ${Math.floor((received / total) * 100)}%`));
      const raw = await readTensorFile(values.input);
      const spec = model.entry ?? (await supervisor.inspect(model));
      const inputs = nameInputs(raw, spec.inputs.map((i) => i.name));
      const timeoutMs = values['timeout-ms'] ? Number(values['timeout-ms']) : undefined;
      const result = await supervisor.run({ model, inputs, ...(timeoutMs ? { timeoutMs } : {}) });
      const outputs = Object.fromEntries(Object.entries(result.outputs).map(([name, t]) => [name, tensorToJson(t)]));
      const summary = { model: model.entry?.id ?? model.path, provider: result.provider, timings: result.timings };
      if (values.out) {
        const [first, ...rest] = Object.values(result.outputs);
        if (extname(values.out).toLowerCase() === '.npy') {
          if (!first || rest.length > 0) throw new Error('--out .npy needs a model with exactly one output; use .json');
          await writeFile(values.out, encodeNpy(first));
        } else {
          await writeFile(values.out, JSON.stringify({ ...summary, outputs }));
        }
      }
      if (values.json) {
        io.out(`${JSON.stringify(values.out ? summary : { ...summary, outputs })}\n`);
      } else {
        const t = result.timings;
        const lines = [`model     ${summary.model}`, `provider  ${result.provider}`, `timings   load ${t.loadMs.toFixed(1)} ms, run ${t.runMs.toFixed(1)} ms, total ${t.totalMs.toFixed(1)} ms`];
        for (const [name, tensor] of Object.entries(result.outputs)) {
          lines.push(`output    ${name} ${tensor.dtype} [${tensor.dims.join(', ')}] ${values.out ? '' : preview(tensor, 12)}`.trimEnd());
        }
        if (values.out) lines.push(`written   ${values.out}`);
        io.out(`${lines.join('\n')}\n`);
      }
      return EXIT.ok;
    } catch (error) {
      io.err(`hearth infer: ${error instanceof Error ? error.message : String(error)}${isHearthError(error) ? ` [${error.code}]` : ''}\n`);
      return EXIT.failure;
    } finally {
      await supervisor.preempt(1000);
    }
  },
};
