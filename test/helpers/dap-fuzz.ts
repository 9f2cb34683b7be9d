// For test/adapter/malformed.test.ts: a raw Debug Adapter Protocol client (it frames anything, objects
// or not, even numbers JSON.stringify cannot write), a generator of malformed requests (each field of
// each request rvisor serves, mutated in every way its type allows, with the outcome the mutation must
// have), and a tracker that follows the session's state through the messages to judge each answer.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** A message the adapter sent (responses and events), as parsed. */
export interface DapMessage {
  seq?: number;
  type?: string;
  request_seq?: unknown;
  command?: unknown;
  success?: boolean;
  message?: string;
  event?: string;
  body?: Record<string, unknown>;
}

/** `arguments` left out of the request altogether. */
export const OMIT = Symbol('omit');

/**
 * Strings of this form are written into the JSON text as they are: `raw('1e400')` sends the number
 * literal 1e400 (Infinity once parsed), which JSON.stringify cannot produce.
 */
export const raw = (text: string): string => `@@raw:${Buffer.from(text, 'utf8').toString('base64')}@@`;
/** A value the driver fills in when it sends the request (a frame id, a variablesReference…). */
export const slot = (name: string): string => `@@slot:${name}@@`;

const RAW = /"@@raw:([A-Za-z0-9+/=]*)@@"/g;
const SLOT = /"@@slot:([A-Za-z0-9]*)@@"/g;

/** The JSON text of a value, with raw() literals and then slot() values substituted. */
function toJson(value: unknown, slots: Record<string, unknown> = {}): string {
  return JSON.stringify(value)
    .replace(RAW, (_m, text: string) => Buffer.from(text, 'base64').toString('utf8'))
    .replace(SLOT, (_m, name: string) => {
      if (!(name in slots)) throw new Error(`no value for slot '${name}'`);
      return JSON.stringify(slots[name]);
    });
}

export const frame = (body: string | Buffer): Buffer => {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`, 'ascii'), b]);
};

/** The adapter as a child process on stdio, with every message it sends kept in order. */
export class RawDap {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly messages: DapMessage[] = [];
  /** Responses by JSON.stringify(request_seq) (several if the adapter answered twice). */
  readonly responses = new Map<string | undefined, DapMessage[]>();
  /** Output that is not a well-framed JSON message. */
  readonly protocolErrors: string[] = [];
  /** Every request sent through send(): its command and the JSON text of its arguments. */
  readonly sent = new Map<number, { command: unknown; argsJson: string | undefined }>();
  stderr = '';
  exit: { code: number | null; signal: string | null } | undefined;
  private buf = Buffer.alloc(0);
  private listeners = new Set<() => void>();
  private nextSeq = 1;
  readonly exited: Promise<void>;

  constructor(program: string, args: string[] = []) {
    this.proc = spawn(process.execPath, [program, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (d: Buffer) => this.onData(d));
    this.proc.stderr.on('data', (d: Buffer) => { this.stderr += d.toString('utf8'); });
    this.proc.stdin.on('error', () => { /* the adapter went away; exit says how */ });
    this.exited = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        resolve();
      });
    });
  }

  /** Bytes as they are. */
  writeRaw(bytes: string | Buffer): void {
    if (!this.exit) this.proc.stdin.write(bytes);
  }

  /** Sends a request with any command and arguments (OMIT: none); returns its seq. */
  send(command: unknown, args: unknown = OMIT, slots: Record<string, unknown> = {}): number {
    const seq = this.nextSeq++;
    const argsJson = args === OMIT ? undefined : toJson(args, slots);
    this.sent.set(seq, { command, argsJson });
    const head = `{"seq":${seq},"type":"request","command":${toJson(command)}`;
    this.writeRaw(frame(head + (argsJson === undefined ? '}' : `,"arguments":${argsJson}}`)));
    return seq;
  }

  /** Sends a message body (any JSON text) as a request-like envelope; the caller chose its seq. */
  sendBody(json: string): void {
    this.writeRaw(frame(json));
  }

  /** A seq no request used yet (for envelopes the caller writes). */
  takeSeq(): number {
    return this.nextSeq++;
  }

  responsesTo(seq: unknown): DapMessage[] {
    return this.responses.get(JSON.stringify(seq)) ?? [];
  }

  /** Resolves when `done()` holds, rejects after `ms` without it (or when the process exits first). */
  until(done: () => boolean, ms: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (done()) finish(undefined);
        else if (this.exit) finish(new Error(`${what}: the adapter exited (${JSON.stringify(this.exit)})`));
      };
      const finish = (err: Error | undefined): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(() => finish(new Error(`${what}: nothing after ${ms} ms`)), ms);
      this.listeners.add(check);
      check();
    });
  }

  /** The response to `seq` (the first, if several). */
  async response(seq: unknown, ms = 5000): Promise<DapMessage> {
    await this.until(() => this.responsesTo(seq).length > 0, ms, `response to request ${JSON.stringify(seq)}`);
    return this.responsesTo(seq)[0];
  }

  /** The first event named `name` at or after message index `from`. */
  async event(name: string, from: number, ms = 5000): Promise<DapMessage> {
    const find = (): DapMessage | undefined => this.messages.slice(from).find((m) => m.type === 'event' && m.event === name);
    await this.until(() => find() !== undefined, ms, `event ${name}`);
    return find()!;
  }

  /** Sends and waits for the response. */
  async request(command: unknown, args: unknown = OMIT, ms = 5000): Promise<DapMessage> {
    return this.response(this.send(command, args), ms);
  }

  /** Closes stdin and waits for the process to end (killing it after `ms`); true if it ended by itself. */
  async close(ms = 5000): Promise<boolean> {
    if (this.exit) return true;
    this.proc.stdin.end();
    const ended = await Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
    if (!ended) {
      this.proc.kill('SIGKILL');
      await this.exited;
    }
    return ended;
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (let guard = 0; guard < 1_000_000; guard++) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) break;
      const header = this.buf.subarray(0, end).toString('ascii');
      const m = /^Content-Length: (\d+)$/m.exec(header);
      if (!m) {
        this.protocolErrors.push(`bad header: ${JSON.stringify(header.slice(0, 200))}`);
        this.buf = this.buf.subarray(end + 4);
        continue;
      }
      const length = Number(m[1]);
      if (this.buf.length < end + 4 + length) break;
      const body = this.buf.subarray(end + 4, end + 4 + length).toString('utf8');
      this.buf = this.buf.subarray(end + 4 + length);
      let msg: DapMessage;
      try {
        msg = JSON.parse(body) as DapMessage;
      } catch {
        this.protocolErrors.push(`bad body: ${JSON.stringify(body.slice(0, 200))}`);
        continue;
      }
      this.messages.push(msg);
      if (msg.type === 'response') {
        const key = JSON.stringify(msg.request_seq);
        const list = this.responses.get(key) ?? [];
        list.push(msg);
        this.responses.set(key, list);
      }
    }
    this.notify();
  }
}

// ---- the generator --------------------------------------------------------------------------------

/**
 * What a request is, whatever the session's state: `invalid` must fail, `valid` must behave as the
 * well-formed request does (succeed where the state allows it), `either` may do both (a breakpoint
 * list with one bad entry: an error, or success with that entry unverified — the checks say which).
 */
export type Verdict = 'valid' | 'invalid' | 'either';
/** The state a valid request needs to succeed. */
export type Needs = 'nothing' | 'machine' | 'stopped' | 'exception' | 'never' | 'anything';
export type Outcome = 'error' | 'success' | 'any';
/** A problem with a successful response's body (undefined: none). `args` are the arguments as sent. */
export type BodyCheck = (body: Record<string, unknown>, args: unknown) => string | undefined;

export interface Mutation {
  label: string;
  /** MISSING: the field is left out. */
  value: unknown;
  verdict: Verdict;
  check?: BodyCheck;
}

export interface Field {
  name: string;
  required: boolean;
  /** The well-formed value (MISSING: left out unless mutated). */
  valid: unknown;
  mutations: Mutation[];
}

export interface CommandSpec {
  command: string;
  needs: Needs;
  fields: Field[];
  /** The response body of a success, checked whatever the arguments. */
  check?: BodyCheck;
  /** Only invalid requests are generated (a valid one would step, run or stop the guest). */
  invalidOnly?: boolean;
  /** A successful answer that refuses all the same (dataBreakpointInfo's dataId null). */
  refusal?: (body: Record<string, unknown>) => boolean;
}

export interface FuzzCase {
  command: unknown;
  /** OMIT: no arguments. */
  args: unknown;
  /** "command field: what is wrong" (field "arguments" for the arguments as a whole): results are grouped by command and field. */
  label: string;
  verdict: Verdict;
  needs: Needs;
  checks: BodyCheck[];
  /** Uses slot() ids (frames, variablesReference), valid only until the guest runs again. */
  usesRefs: boolean;
  /** A fixed expectation (out-of-order sequences), whatever the state. */
  fixed?: Outcome;
  refusal?: (body: Record<string, unknown>) => boolean;
}

export const MISSING = Symbol('missing');

/** What the adapter has, as the client sees it from the messages: no guest, a stopped guest, a running one. */
export type SessionState = 'none' | 'stopped' | 'running';

/** The outcome a case must have when the adapter answers it in `state` (`stopReason`: the last stop's). */
function expectedOutcome(c: FuzzCase, state: SessionState, stopReason: string | undefined): Outcome {
  if (c.fixed) return c.fixed;
  if (c.verdict === 'invalid') return 'error';
  if (c.verdict === 'either') return 'any';
  switch (c.needs) {
    case 'nothing': return 'success';
    case 'machine': return state === 'none' ? 'error' : 'success';
    case 'stopped': return state === 'stopped' ? 'success' : 'error';
    case 'exception': return state === 'stopped' && stopReason === 'exception' ? 'success' : 'error';
    case 'never': return 'error';
    default: return 'any';
  }
}

const TYPE_SAMPLES: Array<[string, unknown]> = [
  ['a string', '7'], ['a number', 7], ['a boolean', true], ['null', null], ['an array', [7]], ['an object', { v: 7 }],
];

/** Values of every JSON type but `expected`'s; null for an optional field may be taken as left out, or refused. */
function wrongTypes(expected: 'a string' | 'a number' | 'a boolean' | 'an array' | 'an object', required: boolean): Mutation[] {
  return TYPE_SAMPLES.filter(([name]) => name !== expected).map(([name, value]) => ({
    label: name, value, verdict: value === null && !required ? 'either' : 'invalid',
  }));
}

const missingMutation = (required: boolean): Mutation => ({ label: 'missing', value: MISSING, verdict: required ? 'invalid' : 'valid' });
const inv = (label: string, value: unknown): Mutation => ({ label, value, verdict: 'invalid' });
const ok = (label: string, value: unknown, check?: BodyCheck): Mutation => ({ label, value, verdict: 'valid', check });
const either = (label: string, value: unknown, check?: BodyCheck): Mutation => ({ label, value, verdict: 'either', check });

const NON_INTEGERS = [inv('1.5', 1.5), inv('1e400 (Infinity)', raw('1e400')), inv('-1e400', raw('-1e400'))];

/** A thread, frame or variables reference: `unknown` are ids that name nothing. */
function idField(name: string, required: boolean, valid: unknown, unknown: unknown[], others: Mutation[] = []): Field {
  return {
    name, required, valid,
    mutations: [missingMutation(required), ...wrongTypes('a number', required), ...NON_INTEGERS, inv('-1', -1),
      ...unknown.map((u) => inv(`unknown ${typeof u === 'string' && u.startsWith('@@') ? 'stale' : String(u)}`, u)), ...others],
  };
}

/** A count: a non-negative integer; `exact` counts must be met (huge ones cannot be), others are maxima. */
function countField(name: string, required: boolean, valid: unknown, exact = false): Field {
  return {
    name, required, valid,
    mutations: [missingMutation(required), ...wrongTypes('a number', required), ...NON_INTEGERS, inv('-1', -1), ok('0', 0),
      exact ? inv('2^31', 2 ** 31) : ok('2^31', 2 ** 31), exact ? inv('2^53+2', 2 ** 53 + 2) : either('2^53+2', 2 ** 53 + 2)],
  };
}

/** A start index: non-negative; a huge one is an empty page. */
function indexField(name: string, required: boolean, valid: unknown): Field {
  return {
    name, required, valid,
    mutations: [missingMutation(required), ...wrongTypes('a number', required), ...NON_INTEGERS, inv('-1', -1), ok('2^31', 2 ** 31)],
  };
}

/** A signed offset. */
function offsetField(name: string, required: boolean, valid: unknown): Field {
  return {
    name, required, valid,
    mutations: [missingMutation(required), ...wrongTypes('a number', required), ...NON_INTEGERS, ok('-8', -8), either('2^31', 2 ** 31), either('-2^31', -(2 ** 31))],
  };
}

function stringField(name: string, required: boolean, valid: unknown, extra: Mutation[] = []): Field {
  return { name, required, valid, mutations: [missingMutation(required), ...wrongTypes('a string', required), ...extra] };
}

function boolField(name: string, required: boolean, valid: unknown): Field {
  return { name, required, valid, mutations: [missingMutation(required), ...wrongTypes('a boolean', required)] };
}

/** One of `values` (open: any string will do). */
function enumField(name: string, required: boolean, valid: unknown, values: string[], open = false): Field {
  const others = [['bogus', 'bogus'], ['upper case', values[0].toUpperCase()], ['empty', '']] as const;
  return {
    name, required, valid,
    mutations: [missingMutation(required), ...wrongTypes('a string', required), ...values.map((v) => ok(v, v)),
      ...others.map(([label, v]) => (open ? ok(label, v) : inv(label, v)))],
  };
}

/** A memoryReference (or instructionReference): "0x…", decimal, or "phys:…". */
function memrefField(name: string, required: boolean, valid: string): Field {
  const bogus = ['0xzz', '-1', '1e400', '', 'phys:', 'phys:0xzz', '0x', ' ', '0x1' + '0'.repeat(20), valid + 'zz', 'NaN', 'Infinity', '0b101', 'kmain', '0x-1', '+0x10'];
  return {
    name, required, valid,
    mutations: [missingMutation(required), ...wrongTypes('a string', required), ...bogus.map((b) => inv(JSON.stringify(b), b)),
      ok('phys:', `phys:${valid}`), ok('upper-case 0X', valid.replace(/^0x/, '0X')), ok('decimal', BigInt(valid).toString())],
  };
}

function base64Field(name: string, required: boolean, valid: string): Field {
  const garbage = ['!!!!', 'A', '====', 'AB=C', '%%%%', 'YW Jj', 'YQ=', '🙂'];
  return {
    name, required, valid,
    mutations: [missingMutation(required), ...wrongTypes('a string', required), ...garbage.map((g) => inv(`base64 ${JSON.stringify(g)}`, g)),
      ok('empty', ''), ok('"YQ=="', 'YQ==')],
  };
}

/** A value format (ValueFormat / StackFrameFormat). */
function formatField(name: string): Field {
  return {
    name, required: false, valid: MISSING,
    mutations: [inv('a string', 'hex'), inv('an array', []), inv('a number', 16), inv('{hex: "yes"}', { hex: 'yes' }), ok('{hex: true}', { hex: true }), ok('null', null)],
  };
}

/** The response's `breakpoints` answer the list `name` of the arguments one for one (from index `offset`). */
function breakpointsAnswer(name: string, offset = 0, unverifiedAt?: number): BodyCheck {
  return (body, args) => {
    const list = (args as Record<string, unknown> | undefined)?.[name];
    const bps = body.breakpoints;
    if (!Array.isArray(bps)) return 'body.breakpoints is not an array';
    const want = offset + (Array.isArray(list) ? list.length : 0);
    if (Array.isArray(list) && bps.length !== want) return `${bps.length} breakpoints for ${want} requested`;
    if (unverifiedAt !== undefined && (bps[offset + unverifiedAt] as { verified?: unknown } | undefined)?.verified !== false) return `entry ${unverifiedAt} (bad) is not verified: false`;
    return undefined;
  };
}

/**
 * A list of breakpoints (or filters): wrong types for the list, and lists [good, bad] with one entry
 * mutated (either an error or that entry unverified), one with a non-object entry, and a long list.
 */
function listField(name: string, required: boolean, goodEntry: unknown, entryFields: Field[], offset = 0): Field {
  const answer = (bad?: number): BodyCheck => breakpointsAnswer(name, offset, bad);
  const entryMutations: Mutation[] = [
    ...[5, 'x', null, [], true].map((v) => either(`entry ${JSON.stringify(v)}`, [goodEntry, v], answer(1))),
    ok('empty', [], answer()),
    ok('2000 entries', Array.from({ length: 2000 }, () => goodEntry), answer()),
  ];
  for (const f of entryFields) {
    for (const m of f.mutations) {
      const entry: Record<string, unknown> = { ...(goodEntry as Record<string, unknown>) };
      if (m.value === MISSING) delete entry[f.name];
      else entry[f.name] = m.value;
      const label = `entry ${f.name}: ${m.label}`;
      // A bad entry: an error, or that entry unverified; an entry that may be either: any answer of the right length.
      entryMutations.push(m.verdict === 'valid' ? ok(label, [goodEntry, entry], m.check ?? answer())
        : either(label, [goodEntry, entry], answer(m.verdict === 'invalid' ? 1 : undefined)));
    }
  }
  return { name, required, valid: required ? [goodEntry] : MISSING, mutations: [missingMutation(required), ...wrongTypes('an array', required), ...entryMutations] };
}

/** Breakpoint options shared by source, function, instruction and data breakpoints. */
function optionFields(withMode: boolean): Field[] {
  const fields = [
    stringField('condition', false, MISSING, [either('syntax error', '(('), ok('true', '1')]),
    stringField('hitCondition', false, MISSING, [inv('"abc"', 'abc'), inv('">>5"', '>>5'), inv('"-1"', '-1'), ok('">= 2"', '>= 2')]),
  ];
  if (withMode) {
    fields.push(stringField('mode', false, MISSING, [inv('"X"', 'X'), inv('"constructor"', 'constructor'), inv('"__proto__"', '__proto__'), inv('"toString"', 'toString'), ok('"S"', 'S')]));
  }
  return fields;
}

const isArray = (key: string): BodyCheck => (body) => (Array.isArray(body[key]) ? undefined : `body.${key} is not an array`);
const isType = (key: string, type: string): BodyCheck => (body) => (typeof body[key] === type ? undefined : `body.${key} is not a ${type}`);
const both = (...checks: BodyCheck[]): BodyCheck => (body, args) => checks.map((c) => c(body, args)).find((p) => p !== undefined);

/** Files and names the specs use. */
export interface Targets {
  /** A C source of the guest and a line with code, a function name. */
  source: string;
  line: number;
  functionName: string;
  /** Guest addresses: code to read and disassemble, and RAM nothing uses (for writes and watches). */
  code: string;
  scratch: string;
}

/** The requests rvisor implements, with their fields' valid values and mutations. */
export function commandSpecs(t: Targets): Record<string, CommandSpec> {
  const thread = (required = true): Field => idField('threadId', required, 0, [1, 7, 2 ** 31, 2 ** 53]);
  const frameId = (required: boolean, valid: unknown): Field => idField('frameId', required, valid, [0, 999_999, 1001, 2 ** 31],
    [ok('the top frame', slot('frame')), ok('the caller', slot('frame2'))]);
  const ref = (required: boolean, valid: unknown, others: Mutation[] = []): Field => idField('variablesReference', required, valid, [0, 999_999, 2 ** 31, slot('stale')], others);
  const step = (command: string): CommandSpec => ({
    command, needs: 'stopped', invalidOnly: true,
    fields: [thread(), enumField('granularity', false, MISSING, ['statement', 'line', 'instruction']), boolField('singleThread', false, MISSING)],
  });
  const specs: CommandSpec[] = [
    {
      command: 'stackTrace', needs: 'stopped', check: both(isArray('stackFrames')),
      fields: [thread(), indexField('startFrame', false, MISSING), countField('levels', false, 20), formatField('format')],
    },
    { command: 'scopes', needs: 'stopped', check: isArray('scopes'), fields: [frameId(true, slot('frame'))] },
    {
      command: 'variables', needs: 'stopped', check: isArray('variables'),
      fields: [ref(true, slot('regs'), [ok('Arguments', slot('args')), ok('CSRs', slot('csrs'))]), enumField('filter', false, MISSING, ['indexed', 'named']), indexField('start', false, MISSING),
        countField('count', false, MISSING), formatField('format')],
    },
    {
      command: 'setVariable', needs: 'stopped', check: isType('value', 'string'),
      fields: [ref(true, slot('regs')), stringField('name', true, 't6', [inv('no such variable', 'no_such_register'), inv('read-only zero', 'zero'), inv('empty', '')]),
        stringField('value', true, '0x1234', [inv('not a number', 'garbage!'), inv('empty', ''), inv('65 bits', '0x1' + '0'.repeat(16))]), formatField('format')],
    },
    {
      command: 'evaluate', needs: 'stopped', check: both(isType('result', 'string'), isType('variablesReference', 'number')),
      fields: [
        stringField('expression', true, '$pc', [inv('empty', ''), inv('syntax error', '1 +'), inv('unknown name', 'no_such_symbol_xyz'),
          inv('unknown register', '$nope'), either('5000 nested parentheses', '('.repeat(5000) + '1' + ')'.repeat(5000)),
          either('20000 unary minus', '-'.repeat(20000) + '1'), either('deref of 0', '*(long *)0'), ok('symbol', t.functionName)]),
        frameId(false, MISSING), enumField('context', false, MISSING, ['watch', 'repl', 'hover', 'clipboard', 'variables'], true), formatField('format'),
      ],
    },
    {
      command: 'completions', needs: 'nothing', check: isArray('targets'),
      fields: [stringField('text', true, 'km', [ok('empty', ''), ok('long', 'x'.repeat(100_000))]),
        { ...countField('column', true, 3), mutations: countField('column', true, 3).mutations.map((m) => (m.label === '0' ? inv('0', 0) : m)) },
        countField('line', false, MISSING), frameId(false, MISSING)],
    },
    {
      command: 'readMemory', needs: 'stopped', check: isType('address', 'string'),
      fields: [memrefField('memoryReference', true, t.code), offsetField('offset', false, MISSING), countField('count', true, 16)],
    },
    {
      command: 'writeMemory', needs: 'stopped',
      fields: [memrefField('memoryReference', true, t.scratch), offsetField('offset', false, MISSING), boolField('allowPartial', false, MISSING),
        base64Field('data', true, 'AAAAAA==')],
    },
    {
      command: 'disassemble', needs: 'stopped',
      check: (body, args) => {
        const n = (args as { instructionCount?: unknown } | undefined)?.instructionCount;
        if (!Array.isArray(body.instructions)) return 'body.instructions is not an array';
        if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && body.instructions.length !== n) return `${body.instructions.length} instructions for instructionCount ${n}`;
        return undefined;
      },
      fields: [memrefField('memoryReference', true, t.code), offsetField('offset', false, MISSING), offsetField('instructionOffset', false, MISSING),
        countField('instructionCount', true, 8, true), boolField('resolveSymbols', false, MISSING)],
    },
    {
      command: 'setBreakpoints', needs: 'nothing', check: breakpointsAnswer('breakpoints'),
      fields: [
        {
          name: 'source', required: true, valid: { path: t.source },
          mutations: [missingMutation(true), ...wrongTypes('an object', true), inv('path a number', { path: 5 }),
            either('no path', {}), either('empty path', { path: '' }), either('sourceReference only', { sourceReference: 7 }),
            ok('no such file', { path: '/nonexistent/x.c' })],
        },
        listField('breakpoints', false, { line: t.line }, [
          { name: 'line', required: true, valid: t.line, mutations: [...countField('line', true, t.line).mutations.filter((m) => m.label !== '0' && m.label !== '2^31'), either('0', 0), either('-5', -5), either('2^31', 2 ** 31)] },
          countField('column', false, MISSING), stringField('logMessage', false, MISSING, [ok('interpolation', 'pc={$pc}')]), ...optionFields(true),
        ]),
        boolField('sourceModified', false, MISSING),
      ],
    },
    {
      command: 'setFunctionBreakpoints', needs: 'nothing', check: breakpointsAnswer('breakpoints'),
      fields: [listField('breakpoints', true, { name: t.functionName }, [
        stringField('name', true, t.functionName, [either('no such function', 'no_such_function_xyz'), either('empty', ''), either('__proto__', '__proto__')]),
        ...optionFields(false),
      ])],
    },
    {
      command: 'setInstructionBreakpoints', needs: 'nothing', check: breakpointsAnswer('breakpoints'),
      fields: [listField('breakpoints', true, { instructionReference: t.code }, [
        memrefField('instructionReference', true, t.code), offsetField('offset', false, MISSING), ...optionFields(true),
      ])],
    },
    {
      command: 'setDataBreakpoints', needs: 'nothing', check: breakpointsAnswer('breakpoints'),
      fields: [listField('breakpoints', true, { dataId: `v:${t.scratch}:8`, accessType: 'write' }, [
        stringField('dataId', true, `v:${t.scratch}:8`, [inv('bogus', 'bogus'), inv('size 0', `v:${t.scratch}:0`), inv('huge size', `v:${t.scratch}:99999999999`),
          inv('bad address', 'p:0xzz:8'), inv('other kind', `x:${t.scratch}:8`)]),
        enumField('accessType', false, 'write', ['read', 'write', 'readWrite']), ...optionFields(true),
      ])],
    },
    {
      command: 'setExceptionBreakpoints', needs: 'nothing',
      check: (body, args) => {
        const a = args as { filters?: unknown; filterOptions?: unknown } | undefined;
        const want = (Array.isArray(a?.filters) ? a.filters.length : 0) + (Array.isArray(a?.filterOptions) ? a.filterOptions.length : 0);
        if (!Array.isArray(body.breakpoints)) return 'body.breakpoints is not an array';
        return body.breakpoints.length === want ? undefined : `${body.breakpoints.length} breakpoints for ${want} filters`;
      },
      fields: [
        {
          name: 'filters', required: true, valid: ['page-fault'],
          mutations: [missingMutation(true), ...wrongTypes('an array', true), ok('empty', []),
            ...['bogus', 5, null, {}, '__proto__', 'PAGE-FAULT'].map((v) => either(`entry ${JSON.stringify(v)}`, ['page-fault', v], breakpointsAnswer('filters', 0, 1)))],
        },
        listField('filterOptions', false, { filterId: 'hypercall', condition: 'HSM' }, [
          stringField('filterId', true, 'hypercall', [inv('bogus', 'bogus'), inv('__proto__', '__proto__')]),
          stringField('condition', false, MISSING, [either('garbage', ',,,.'), ok('empty', '')]),
        ], 1),
      ],
    },
    {
      command: 'dataBreakpointInfo', needs: 'nothing', refusal: (body) => body.dataId === null, check: (body) => ('dataId' in body && typeof body.description === 'string' ? undefined : 'no dataId and description'),
      fields: [stringField('name', true, 'kernel_stack', [ok('address', t.scratch), ok('unknown', 'no_such_variable_xyz')]),
        ref(false, MISSING), frameId(false, MISSING), countField('bytes', false, MISSING), boolField('asAddress', false, MISSING),
        stringField('mode', false, MISSING, [inv('bogus', 'bogus')])],
    },
    { command: 'exceptionInfo', needs: 'exception', check: isType('exceptionId', 'string'), fields: [thread()] },
    { command: 'threads', needs: 'nothing', check: isArray('threads'), fields: [] },
    { command: 'loadedSources', needs: 'nothing', check: isArray('sources'), fields: [] },
    { command: 'configurationDone', needs: 'nothing', fields: [] },
    step('next'), step('stepIn'), step('stepOut'),
    { command: 'continue', needs: 'machine', invalidOnly: true, fields: [thread(), boolField('singleThread', false, MISSING)] },
    { command: 'pause', needs: 'machine', invalidOnly: true, fields: [thread()] },
    {
      command: 'rvisor.history', needs: 'nothing', check: both(isType('total', 'number'), isArray('records')),
      fields: [enumField('kind', false, MISSING, ['hypercall', 'trap', 'interrupt']), stringField('ext', false, MISSING), indexField('start', false, MISSING), countField('count', false, MISSING)],
    },
    { command: 'rvisor.input', needs: 'machine', fields: [stringField('text', true, 'x', [ok('empty', ''), ok('control bytes', '\u0000\u0003\u001b[A')])] },
  ];
  return Object.fromEntries(specs.map((s) => [s.command, s]));
}

/** The field with every mutation allowed either way. */
const lenient = (f: Field): Field => ({ ...f, mutations: f.mutations.map((m) => ({ ...m, verdict: m.verdict === 'valid' ? 'valid' : 'either' })) });

/** Requests before launch that must not start a guest (restart with arguments that cannot). */
export function preLaunchSpecs(): CommandSpec[] {
  return [
    {
      command: 'restart', needs: 'never',
      fields: [{ name: 'arguments', required: false, valid: MISSING, mutations: [inv('a string', 'x'), inv('a number', 5), inv('kernel a number', { kernel: 5 }), inv('no kernel', {}), inv('an array', [])] }],
    },
    { command: 'attach', needs: 'never', fields: [stringField('kernel', false, MISSING)] },
    // Ending a session that never began may succeed or not; an odd flag is no reason to refuse.
    { command: 'terminate', needs: 'anything', fields: [lenient(boolField('restart', false, MISSING))] },
    { command: 'disconnect', needs: 'anything', fields: [lenient(boolField('restart', false, MISSING)), lenient(boolField('terminateDebuggee', false, MISSING))] },
    {
      command: 'initialize', needs: 'anything',
      check: (body) => (typeof body === 'object' && body !== null ? undefined : 'no capabilities'),
      fields: [stringField('adapterID', true, 'rvisor'), { ...enumField('pathFormat', false, 'path', ['path']), mutations: [inv('"uri"', 'uri'), ...wrongTypes('a string', false)] },
        boolField('linesStartAt1', false, MISSING), boolField('columnsStartAt1', false, MISSING), stringField('locale', false, MISSING)],
    },
  ];
}

/** launch attributes: each bad one must be refused (the kernel and firmware paths are real). */
export function launchSpec(kernel: string): CommandSpec {
  const path = (name: string, required: boolean, valid: unknown): Field =>
    stringField(name, required, valid, [inv('no such file', '/nonexistent/x.elf'), inv('a directory', '/tmp'), inv('empty', '')]);
  return {
    command: 'launch', needs: 'nothing',
    fields: [
      path('kernel', true, kernel),
      boolField('stopOnEntry', false, true),
      { ...countField('harts', false, MISSING), mutations: [...countField('harts', false, MISSING).mutations.filter((m) => !['2^31', '0', '2^53+2', 'missing'].includes(m.label)), inv('0', 0), inv('65', 65), inv('2^31', 2 ** 31), ok('2', 2)] },
      stringField('memory', false, MISSING, [inv('negative', '-1M'), inv('zero', '0'), inv('words', 'lots'), inv('1T', '1T'), ok('64M', '64M')]),
      path('bios', false, MISSING), path('initrd', false, MISSING),
      stringField('append', false, MISSING, [ok('a command line', 'console=ttyS0')]),
      stringField('cwd', false, MISSING, [ok('no such directory', '/nonexistent')]),
      { name: 'symbols', required: false, valid: MISSING, mutations: [...wrongTypes('an array', false), inv('entry a number', [5]), inv('entry path a number', [{ path: 5 }]),
        inv('bad offset', [{ path: kernel, offset: 'zz' }]), inv('no such file', ['/nonexistent/x.elf']), inv('bad physicalBase', [{ path: kernel, physicalBase: {} }]), ok('the kernel', [kernel])] },
      stringField('config', false, MISSING, [inv('no such file', '/nonexistent/x.json'), inv('a directory', '/tmp')]),
      { name: 'disks', required: false, valid: MISSING, mutations: [...wrongTypes('an array', false), inv('entry empty', [{}]), inv('no such image', [{ file: '/nonexistent/disk.img' }]), inv('entry a number', [5])] },
      { name: 'rng', required: false, valid: MISSING, mutations: [...wrongTypes('an object', false), inv('seed a string', { seed: 'x' }), inv('slot 99', { slot: 99 })] },
      boolField('noReboot', false, MISSING), boolField('virtioLegacy', false, MISSING),
    ],
  };
}

/** Commands rvisor does not implement (whatever the protocol library answers by default) and names that are no command. */
const UNSUPPORTED_COMMANDS = ['stepBack', 'reverseContinue', 'restartFrame', 'goto', 'gotoTargets', 'stepInTargets', 'source',
  'terminateThreads', 'setExpression', 'cancel', 'breakpointLocations', 'runInTerminal', 'startDebugging'];
const UNKNOWN_COMMANDS: unknown[] = ['foo', '', ' ', 'StackTrace', 'stackTrace ', 'rvisor.', 'rvisor.bogus', 'RVISOR.HISTORY', '__proto__',
  'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'x'.repeat(10_000), '\u0000', 'évaluer', 42, null, true, [], {}, ['stackTrace']];

const NOT_OBJECTS: Array<[string, unknown]> = [['null', null], ['a string', 'x'], ['a number', 5], ['a boolean', true], ['an array', []], ['an array of an object', [{}]]];

/** Every case with one thing wrong (or nothing: the valid request) for the commands of `specs`. */
export function singleCases(specs: CommandSpec[]): FuzzCase[] {
  const out: FuzzCase[] = [];
  for (const spec of specs) {
    const anyRequired = spec.fields.some((f) => f.required);
    const base = validArgs(spec);
    const push = (label: string, args: unknown, verdict: Verdict, extraCheck?: BodyCheck): void => {
      if (spec.invalidOnly && verdict !== 'invalid') return;
      const json = args === OMIT ? '' : JSON.stringify(args) ?? '';
      const refsValid = verdict !== 'invalid' && /@@slot:/.test(json);
      out.push({
        command: spec.command, args, label: `${spec.command} ${label}`, verdict,
        needs: refsValid && spec.needs === 'nothing' ? 'stopped' : spec.needs,
        checks: [spec.check, extraCheck].filter((c): c is BodyCheck => c !== undefined),
        usesRefs: /@@slot:/.test(json), refusal: spec.refusal,
      });
    };
    push('arguments: valid', base, 'valid');
    push('arguments: an extra unknown field', { ...base, rvisorBogusField: 1 }, 'valid');
    push('arguments: none', OMIT, anyRequired ? 'invalid' : 'valid');
    for (const [label, v] of NOT_OBJECTS) push(`arguments: ${label}`, v, anyRequired ? 'invalid' : 'either');
    if (anyRequired) push('arguments: the fields under __proto__', raw(`{"__proto__":${JSON.stringify(base)}}`), 'invalid');
    for (const f of spec.fields) {
      for (const m of f.mutations) push(`${f.name}: ${m.label}`, withField(base, f.name, m.value), m.verdict, m.check);
    }
  }
  return out;
}

/** Cases with two fields wrong at once, chosen by `rnd`. */
export function doubleCases(specs: CommandSpec[], n: number, rnd: () => number): FuzzCase[] {
  const out: FuzzCase[] = [];
  const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)];
  const candidates = specs.filter((s) => s.fields.filter((f) => f.mutations.length > 0).length >= 2);
  for (let guard = 0; out.length < n && guard < n * 20; guard++) {
    const spec = pick(candidates);
    const fields = spec.fields.filter((f) => f.mutations.length > 0);
    const f1 = pick(fields);
    const f2 = pick(fields.filter((f) => f !== f1));
    const m1 = pick(f1.mutations);
    const m2 = pick(f2.mutations);
    const verdict: Verdict = m1.verdict === 'invalid' || m2.verdict === 'invalid' ? 'invalid' : m1.verdict === 'either' || m2.verdict === 'either' ? 'either' : 'valid';
    if (spec.invalidOnly && verdict !== 'invalid') continue;
    const args = withField(withField(validArgs(spec), f1.name, m1.value), f2.name, m2.value);
    const json = JSON.stringify(args);
    out.push({
      command: spec.command, args, label: `${spec.command} two fields: ${f1.name} ${m1.label} + ${f2.name} ${m2.label}`, verdict,
      needs: verdict !== 'invalid' && /@@slot:/.test(json) && spec.needs === 'nothing' ? 'stopped' : spec.needs,
      checks: spec.check ? [spec.check] : [],
      usesRefs: /@@slot:/.test(json), refusal: spec.refusal,
    });
  }
  return out;
}

/** Commands that are no request rvisor serves: each must be an error, in any state. */
export function commandCases(): FuzzCase[] {
  return [...UNSUPPORTED_COMMANDS, ...UNKNOWN_COMMANDS].map((command) => ({
    command, args: {}, label: `unknown command: ${JSON.stringify(command).slice(0, 30)}`, verdict: 'invalid', needs: 'never', checks: [], usesRefs: false,
  }));
}

function validArgs(spec: CommandSpec): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const f of spec.fields) if (f.valid !== MISSING) args[f.name] = f.valid;
  return args;
}

function withField(args: unknown, name: string, value: unknown): unknown {
  if (typeof args !== 'object' || args === null) return args;
  const copy: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  if (value === MISSING) delete copy[name];
  else copy[name] = value;
  return copy;
}

/** Fisher–Yates with `rnd`. */
export function shuffle<T>(items: T[], rnd: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

// ---- following the session and judging the answers -----------------------------------------------

/** A case's answer and what it had to be. */
export interface Result {
  seq: number;
  c: FuzzCase;
  phase: string;
  state: SessionState;
  expected: Outcome;
  response: DapMessage;
  /** The arguments as sent (slots filled in). */
  argsJson: string | undefined;
}

/**
 * Follows the session's state through the messages, in the order the adapter sent them (a request's
 * answer comes right after the adapter handled it, after any event of an earlier state change), and
 * judges each case's answer against the state it was handled in.
 */
export class Tracker {
  state: SessionState = 'none';
  /** Stops so far: slot ids (frames, variablesReference) taken before the last stop are stale. */
  epoch = 0;
  stopReason: string | undefined;
  private consumed = 0;
  private readonly cases = new Map<number, { c: FuzzCase; phase: string; slotEpoch: number }>();
  readonly results: Result[] = [];

  constructor(readonly d: RawDap) {}

  /** Sends a case (slot values taken at stop `slotEpoch`). */
  send(c: FuzzCase, phase: string, slots: Record<string, unknown>, slotEpoch: number): number {
    const seq = this.d.send(c.command, c.args, slots);
    this.cases.set(seq, { c, phase, slotEpoch });
    return seq;
  }

  caseSeqs(): number[] {
    return [...this.cases.keys()];
  }

  /** Reads the messages that arrived since the last call. */
  sync(): void {
    const msgs = this.d.messages;
    for (; this.consumed < msgs.length; this.consumed++) {
      const m = msgs[this.consumed];
      if (m.type === 'event') {
        if (m.event === 'stopped') {
          this.state = 'stopped';
          this.stopReason = String(m.body?.reason);
          this.epoch++;
        } else if (m.event === 'terminated' || m.event === 'exited') {
          this.state = 'none';
        }
        continue;
      }
      if (m.type !== 'response' || typeof m.request_seq !== 'number') continue;
      const sent = this.cases.get(m.request_seq);
      if (sent && this.d.responsesTo(m.request_seq)[0] === m) {
        const stale = sent.c.usesRefs && sent.slotEpoch !== this.epoch;
        this.results.push({
          seq: m.request_seq, c: sent.c, phase: sent.phase, state: this.state,
          expected: stale ? 'any' : expectedOutcome(sent.c, this.state, this.stopReason), response: m, argsJson: this.d.sent.get(m.request_seq)?.argsJson,
        });
      }
      if (m.success) this.apply(m.request_seq);
    }
  }

  /** A successful request's effect on the state (a stop that follows comes as its own event). */
  private apply(seq: number): void {
    const req = this.d.sent.get(seq);
    if (!req) return;
    switch (req.command) {
      case 'launch': {
        let args: unknown;
        try {
          args = req.argsJson === undefined ? undefined : JSON.parse(req.argsJson);
        } catch { /* not JSON: not launched */ }
        this.state = (args as { stopOnEntry?: unknown } | undefined)?.stopOnEntry ? 'stopped' : 'running';
        break;
      }
      case 'restart': case 'continue': case 'next': case 'stepIn': case 'stepOut':
        this.state = 'running';
        break;
      case 'terminate': case 'disconnect':
        this.state = 'none';
        break;
    }
  }
}

/** Text of a thrown JavaScript error (or its stack) where the adapter should have said what is wrong. */
export const RAW_EXCEPTION = /\n\s+at |TypeError|ReferenceError|RangeError|SyntaxError|Cannot read propert|is not a function|is not iterable|Maximum call stack|Cannot convert|Invalid array length|\{_stack\}/;

/** Why an answer is wrong for its case (undefined: it is right). */
export function judge(r: Result): string | undefined {
  const { response: res, expected } = r;
  if (res.success === false) {
    if (typeof res.message !== 'string' || res.message.trim() === '') return 'error without a message';
    return expected === 'success' ? 'error, expected success' : undefined;
  }
  if (res.success !== true) return `success is ${JSON.stringify(res.success)}`;
  if (expected === 'error') return r.c.refusal?.((res.body ?? {}) as Record<string, unknown>) ? undefined : 'success, expected an error';
  let args: unknown;
  try {
    args = r.argsJson === undefined ? undefined : JSON.parse(r.argsJson);
  } catch {
    args = undefined;
  }
  const body = (res.body ?? {}) as Record<string, unknown>;
  for (const check of r.c.checks) {
    const problem = check(body, args);
    if (problem) return `success, but ${problem}`;
  }
  return undefined;
}

/** Counts by key, with the first example of each. */
export function tally<T>(items: T[], key: (x: T) => string): Array<{ key: string; count: number; example: T }> {
  const m = new Map<string, { key: string; count: number; example: T }>();
  for (const x of items) {
    const k = key(x);
    const e = m.get(k);
    if (e) e.count++;
    else m.set(k, { key: k, count: 1, example: x });
  }
  return [...m.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}
