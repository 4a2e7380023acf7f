/**
 * Our own small networks (the number-line networks, the card mask network) run on onnxruntime-node, the runtime
 * the face engine already uses: its convolutions are some 30 times faster than the same layers in plain
 * TypeScript (a 318-column ID line: ~1 ms against ~31 ms, probabilities within 1e-6).
 *
 * The committed weights stay what the trainers write (JSON); the ONNX model is built from them here, at load time,
 * by a minimal ONNX protobuf writer and a graph builder — so there is one copy of each network's weights, and
 * the graph's layout is written next to the TypeScript that describes the network (line-net.ts, card-net.ts).
 *
 * Protobuf: every message is a sequence of (field number, wire type) keys, each followed by a varint or a
 * length-prefixed payload. Field numbers below are onnx.proto's (ModelProto, GraphProto, NodeProto, …).
 */
import * as ort from 'onnxruntime-node';
import { ONE_THREAD_SESSION } from '../../imaging/onnx-session.js';

/** ONNX operator set the graphs use (Conv, MaxPool, Resize, Softmax, … as of opset 13). */
const OPSET = 13;
/** ONNX IR version matching opset 13. */
const IR_VERSION = 7;
/** TensorProto.DataType. */
const FLOAT = 1;
const INT64 = 7;

class Writer {
  private readonly parts: Buffer[] = [];

  private key(field: number, wire: 0 | 2): void {
    this.varint(BigInt((field << 3) | wire));
  }

  /** Base-128 varint; negative int64 values as their 64-bit two's complement (ten bytes), as protobuf does. */
  private varint(v: bigint): void {
    let u = BigInt.asUintN(64, v);
    const bytes: number[] = [];
    do {
      let b = Number(u & 0x7fn);
      u >>= 7n;
      if (u) b |= 0x80;
      bytes.push(b);
    } while (u);
    this.parts.push(Buffer.from(bytes));
  }

  int(field: number, v: number): this {
    this.key(field, 0);
    this.varint(BigInt(v));
    return this;
  }

  bytes(field: number, v: Uint8Array | string | Writer): this {
    const payload = v instanceof Writer ? v.finish() : typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    this.key(field, 2);
    this.varint(BigInt(payload.length));
    this.parts.push(payload);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export type Attribute = number | number[] | string;

/**
 * A graph under construction: float inputs and outputs with named dynamic dimensions, constant tensors
 * (initialisers) and nodes. Each method returns the name of the value it made, so layers read as calls.
 */
export class GraphBuilder {
  private readonly nodes: Writer[] = [];
  private readonly initialisers: Writer[] = [];
  private readonly inputs: Writer[] = [];
  private readonly outputs: Writer[] = [];
  private count = 0;

  /** A fresh value name. */
  private name(prefix: string): string {
    return `${prefix}_${this.count++}`;
  }

  private valueInfo(name: string, dims: (number | string)[]): Writer {
    const shape = new Writer();
    for (const d of dims) shape.bytes(1, typeof d === 'number' ? new Writer().int(1, d) : new Writer().bytes(2, d));
    const tensor = new Writer().int(1, FLOAT).bytes(2, shape);
    return new Writer().bytes(1, name).bytes(2, new Writer().bytes(1, tensor));
  }

  /** A float input; a string dimension is dynamic. */
  input(name: string, dims: (number | string)[]): string {
    this.inputs.push(this.valueInfo(name, dims));
    return name;
  }

  output(value: string, dims: (number | string)[]): void {
    this.outputs.push(this.valueInfo(value, dims));
  }

  /** A constant float tensor (weights, biases). */
  floats(values: Float32Array, dims: number[]): string {
    if (values.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`tensor of ${values.length} values is not ${dims.join('×')}`);
    return this.constant(values, dims, FLOAT);
  }

  /** A constant int64 tensor (shapes). */
  int64s(values: number[]): string {
    return this.constant(new BigInt64Array(values.map(BigInt)), [values.length], INT64);
  }

  private constant(values: Float32Array | BigInt64Array, dims: number[], type: number): string {
    const name = this.name('const');
    const t = new Writer();
    for (const d of dims) t.int(1, d);
    t.int(2, type).bytes(8, name).bytes(9, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    this.initialisers.push(t);
    return name;
  }

  /** One operator node; returns its (single) output. An empty input name is an omitted optional input. */
  node(op: string, inputs: string[], attributes: Record<string, Attribute> = {}): string {
    const out = this.name(op.toLowerCase());
    const n = new Writer();
    for (const i of inputs) n.bytes(1, i);
    n.bytes(2, out).bytes(3, out).bytes(4, op);
    for (const [key, v] of Object.entries(attributes)) {
      const a = new Writer().bytes(1, key);
      // AttributeProto.type: INT 2, STRING 3, INTS 7 (no graph here needs a float attribute).
      if (typeof v === 'string') a.bytes(4, v).int(20, 3);
      else if (Array.isArray(v)) {
        for (const x of v) a.int(8, x);
        a.int(20, 7);
      } else {
        if (!Number.isInteger(v)) throw new Error(`attribute ${key}: only integer attributes are written`);
        a.int(3, v).int(20, 2);
      }
      n.bytes(5, a);
    }
    this.nodes.push(n);
    return out;
  }

  /** 3×3 convolution with zero padding 1 (weights outputs × inputs × 3 × 3, as torch stores them), then ReLU. */
  conv3x3Relu(x: string, L: { inputs: number; outputs: number; w: Float32Array; b: Float32Array }): string {
    const conv = this.node('Conv', [x, this.floats(L.w, [L.outputs, L.inputs, 3, 3]), this.floats(L.b, [L.outputs])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
    return this.node('Relu', [conv]);
  }

  /** x·Wᵀ + b over the last axis (W outputs × inputs, as torch's Linear stores it). */
  linear(x: string, L: { inputs: number; outputs: number; w: Float32Array; b: Float32Array }): string {
    const wt = new Float32Array(L.w.length);
    for (let o = 0; o < L.outputs; o++) for (let i = 0; i < L.inputs; i++) wt[i * L.outputs + o] = L.w[o * L.inputs + i]!;
    return this.node('Add', [this.node('MatMul', [x, this.floats(wt, [L.inputs, L.outputs])]), this.floats(L.b, [L.outputs])]);
  }

  /** The serialised ModelProto. */
  model(graphName: string): Uint8Array {
    const g = new Writer();
    for (const n of this.nodes) g.bytes(1, n);
    g.bytes(2, graphName);
    for (const t of this.initialisers) g.bytes(5, t);
    for (const i of this.inputs) g.bytes(11, i);
    for (const o of this.outputs) g.bytes(12, o);
    return new Writer().int(1, IR_VERSION).bytes(2, 'hawiya').bytes(7, g).bytes(8, new Writer().int(2, OPSET)).finish();
  }
}

/**
 * A session for a graph built here: the engines' shared options (one thread, no spinning), without a memory
 * arena: the line networks see a new width on every line, and an arena kept growing (~11 MB more after 300
 * lines, same speed without it).
 */
function createSession(model: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(model, { ...ONE_THREAD_SESSION, enableCpuMemArena: false });
}

const sessions = new WeakMap<object, Promise<ort.InferenceSession>>();
/** The session of a network (its loaded weights), its graph built by `model`, made once per network. */
export function sessionFor<Net extends object>(net: Net, model: (net: Net) => Uint8Array): Promise<ort.InferenceSession> {
  let s = sessions.get(net);
  if (!s) sessions.set(net, (s = createSession(model(net))));
  return s;
}

/** Runs a one-input, one-output session on a float tensor. */
export async function runFloat(session: ort.InferenceSession, input: Float32Array, dims: number[]): Promise<Float32Array> {
  const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, dims) });
  return out[session.outputNames[0]!]!.data as Float32Array;
}
