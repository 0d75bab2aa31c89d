/**
 * A minimal ONNX (protobuf) writer, enough to generate small real models for tests and
 * self-checks without downloading anything. Field numbers follow onnx/onnx.proto.
 */
const enum Wire {
  Varint = 0,
  Bytes = 2,
  Fixed32 = 5,
}

class Writer {
  private parts: number[] = [];
  private tag(field: number, wire: Wire): void {
    this.varint((field << 3) | wire);
  }
  varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.parts.push(Number((v & 0x7fn) | 0x80n));
      v >>= 7n;
    }
    this.parts.push(Number(v));
  }
  int(field: number, value: number): this {
    this.tag(field, Wire.Varint);
    this.varint(value);
    return this;
  }
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, Wire.Bytes);
    this.varint(value.length);
    for (const b of value) this.parts.push(b);
    return this;
  }
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }
  message(field: number, build: (w: Writer) => void): this {
    const inner = new Writer();
    build(inner);
    return this.bytes(field, inner.finish());
  }
  float(field: number, value: number): this {
    this.tag(field, Wire.Fixed32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    for (const x of b) this.parts.push(x);
    return this;
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** ONNX TensorProto.DataType codes. */
export const onnxType = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float64: 11 } as const;
export type OnnxTypeName = keyof typeof onnxType;

export interface GraphValue {
  name: string;
  dtype: OnnxTypeName;
  /** A number is a fixed dim; a string is a named free dim. */
  shape: (number | string)[];
}
export interface GraphNode {
  op: string;
  inputs: string[];
  outputs: string[];
  /** Integer, float or int-list attributes (enough for the ops the tests use). */
  attributes?: Record<string, number | number[] | { float: number }>;
}
export interface Initializer {
  name: string;
  dims: number[];
  values: Float32Array;
}

function valueInfo(w: Writer, v: GraphValue): void {
  w.string(1, v.name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, onnxType[v.dtype]).message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      }),
    ),
  );
}

/** Encodes a single-graph ONNX model (opset 13 by default) as protobuf bytes. */
export function buildOnnxModel(graph: {
  name: string;
  inputs: GraphValue[];
  outputs: GraphValue[];
  nodes: GraphNode[];
  initializers?: Initializer[];
  opset?: number;
}): Uint8Array {
  const model = new Writer();
  model.int(1, 8); // ir_version
  model.string(2, 'hearth-onnx-builder');
  model.message(8, (op) => op.string(1, '').int(2, graph.opset ?? 13));
  model.message(7, (g) => {
    graph.nodes.forEach((node, i) => {
      g.message(1, (n) => {
        for (const input of node.inputs) n.string(1, input);
        for (const output of node.outputs) n.string(2, output);
        n.string(3, `${node.op.toLowerCase()}_${i}`);
        n.string(4, node.op);
        for (const [name, value] of Object.entries(node.attributes ?? {})) {
          n.message(5, (a) => {
            a.string(1, name);
            if (typeof value === 'number') a.int(3, value).int(20, 2); // INT
            else if (Array.isArray(value)) {
              for (const v of value) a.int(8, v);
              a.int(20, 7); // INTS
            } else a.float(2, value.float).int(20, 1); // FLOAT
          });
        }
      });
    });
    g.string(2, graph.name);
    for (const init of graph.initializers ?? []) {
      g.message(5, (t) => {
        for (const d of init.dims) t.int(1, d);
        t.int(2, onnxType.float32);
        t.string(8, init.name);
        t.bytes(9, new Uint8Array(init.values.buffer, init.values.byteOffset, init.values.byteLength));
      });
    }
    for (const input of graph.inputs) g.message(11, (w) => valueInfo(w, input));
    for (const output of graph.outputs) g.message(12, (w) => valueInfo(w, output));
  });
  return model.finish();
}

/** The fixed weights of the affine test model: y = x·W + b with x [batch, 4], y [batch, 3]. */
export const affineWeights = {
  w: Float32Array.from([1, 0, 2, -1, 0.5, 3, 0, 1, -2, 4, 0, 0.25]), // [4, 3], row-major
  b: Float32Array.from([0.5, -1, 2]),
};

/** A tiny real model, y = x·W + b, whose outputs tests can compute by hand. */
export function buildAffineModel(): Uint8Array {
  return buildOnnxModel({
    name: 'affine',
    inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 4] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: ['batch', 3] }],
    initializers: [
      { name: 'W', dims: [4, 3], values: affineWeights.w },
      { name: 'b', dims: [3], values: affineWeights.b },
    ],
    nodes: [
      { op: 'MatMul', inputs: ['x', 'W'], outputs: ['xw'] },
      { op: 'Add', inputs: ['xw', 'b'], outputs: ['y'] },
    ],
  });
}

/** Reference result of the affine model for one batch, computed in plain JS. */
export function affineReference(x: Float32Array): Float32Array {
  const rows = x.length / 4;
  const y = new Float32Array(rows * 3);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < 3; c++) {
      let sum = affineWeights.b[c] as number;
      for (let k = 0; k < 4; k++) sum += (x[r * 4 + k] as number) * (affineWeights.w[k * 3 + c] as number);
      y[r * 3 + c] = sum;
    }
  }
  return y;
}

/**
 * A model whose one weight is "external data": ONNX Runtime itself reads `length` bytes from
 * the file at `location` (relative to the worker's working folder) and the graph passes them
 * straight to its output `y`. Tests use it as a hostile model that points its weights at a file
 * it must not see; ORT's own reads do not go through Node, so Node's permission model cannot
 * stop them — ORT's check that the path stays inside the working folder does.
 */
export function buildExternalDataModel(location: string, length: number): Uint8Array {
  const model = new Writer();
  model.int(1, 8); // ir_version
  model.string(2, 'hearth-onnx-builder');
  model.message(8, (op) => op.string(1, '').int(2, 13));
  model.message(7, (g) => {
    g.message(1, (n) => n.string(1, 'S').string(2, 'y').string(3, 'identity_0').string(4, 'Identity'));
    g.string(2, 'external');
    g.message(5, (t) => {
      t.int(1, length).int(2, onnxType.uint8).string(8, 'S');
      for (const [key, value] of [['location', location], ['offset', '0'], ['length', String(length)]] as const) {
        t.message(13, (entry) => entry.string(1, key).string(2, value));
      }
      t.int(14, 1); // data_location: EXTERNAL
    });
    g.message(12, (w) => valueInfo(w, { name: 'y', dtype: 'uint8', shape: [length] }));
  });
  return model.finish();
}
