// The requests the adapter serves and the shape of their arguments (DAP specification), declared once
// and checked before any handler runs: a malformed request gets an error naming the bad field, and a
// request rvisor does not implement is refused by name. Extra fields are allowed (newer clients send
// them); the fields the adapter reads must have their specified types.

type Field =
  | 'string' | 'int' | 'uint' | 'pos' | 'bool' | 'object' | 'any'
  | { enum: readonly string[] }
  | { array: Field }
  | Shape;

interface Shape {
  required?: Record<string, Field>;
  optional?: Record<string, Field>;
}

const condition = { condition: 'string', hitCondition: 'string', logMessage: 'string', mode: 'string' } as const;
const source: Shape = { optional: { name: 'string', path: 'string', sourceReference: 'int', presentationHint: 'string', origin: 'string' } };
const valueFormat: Shape = { optional: { hex: 'bool' } };
const format = { format: valueFormat } as const;
const frameFormat: Shape = {
  optional: { hex: 'bool', parameters: 'bool', parameterTypes: 'bool', parameterNames: 'bool', parameterValues: 'bool', line: 'bool', module: 'bool', includeAll: 'bool' },
};
const thread: Shape = { required: { threadId: 'int' } };
const step: Shape = { required: { threadId: 'int' }, optional: { singleThread: 'bool', granularity: { enum: ['statement', 'line', 'instruction'] }, targetId: 'int' } };
const launch: Shape = {
  optional: {
    noDebug: 'bool', stopOnEntry: 'bool', stopOnAttach: 'bool', cwd: 'string', kernel: 'string', bios: 'string', initrd: 'string',
    append: 'string', memory: 'string', harts: 'int', disks: { array: 'object' }, nics: { array: 'object' }, switches: 'object', rng: 'object', console: 'object', virtioLegacy: 'bool',
    noReboot: 'bool', config: 'string', guest: 'string', symbols: { array: 'any' }, __restart: 'any',
    serialConsole: { enum: ['debugConsole', 'terminal'] }, trace: 'string', sourceMap: 'object',
  },
};

/** Every request the adapter implements, with its arguments' shape. */
export const REQUESTS: Readonly<Record<string, Shape>> = {
  initialize: {
    required: { adapterID: 'string' },
    optional: {
      clientID: 'string', clientName: 'string', locale: 'string', linesStartAt1: 'bool', columnsStartAt1: 'bool',
      pathFormat: { enum: ['path', 'uri'] }, supportsVariableType: 'bool', supportsVariablePaging: 'bool',
      supportsRunInTerminalRequest: 'bool', supportsMemoryReferences: 'bool', supportsProgressReporting: 'bool',
      supportsInvalidatedEvent: 'bool', supportsMemoryEvent: 'bool', supportsArgsCanBeInterpretedByShell: 'bool',
      supportsStartDebuggingRequest: 'bool', supportsANSIStyling: 'bool',
    },
  },
  launch,
  attach: launch,
  configurationDone: {},
  restart: { optional: { arguments: 'object' } },
  disconnect: { optional: { restart: 'bool', terminateDebuggee: 'bool', suspendDebuggee: 'bool' } },
  terminate: { optional: { restart: 'bool' } },
  setBreakpoints: {
    required: { source },
    optional: { breakpoints: { array: { required: { line: 'pos' }, optional: { column: 'uint', ...condition } } }, lines: { array: 'pos' }, sourceModified: 'bool' },
  },
  setFunctionBreakpoints: { required: { breakpoints: { array: { required: { name: 'string' }, optional: condition } } } },
  setInstructionBreakpoints: { required: { breakpoints: { array: { required: { instructionReference: 'string' }, optional: { offset: 'int', ...condition } } } } },
  setExceptionBreakpoints: {
    required: { filters: { array: 'string' } },
    optional: { filterOptions: { array: { required: { filterId: 'string' }, optional: { condition: 'string', mode: 'string' } } }, exceptionOptions: { array: 'object' } },
  },
  dataBreakpointInfo: { required: { name: 'string' }, optional: { variablesReference: 'int', frameId: 'int', bytes: 'uint', asAddress: 'bool', mode: 'string' } },
  setDataBreakpoints: { required: { breakpoints: { array: { required: { dataId: 'string' }, optional: { accessType: { enum: ['read', 'write', 'readWrite'] }, ...condition } } } } },
  exceptionInfo: thread,
  continue: { required: { threadId: 'int' }, optional: { singleThread: 'bool' } },
  next: step,
  stepIn: step,
  stepOut: step,
  pause: thread,
  threads: {},
  stackTrace: { required: { threadId: 'int' }, optional: { startFrame: 'uint', levels: 'uint', format: frameFormat } },
  scopes: { required: { frameId: 'int' } },
  variables: { required: { variablesReference: 'int' }, optional: { filter: { enum: ['indexed', 'named'] }, start: 'uint', count: 'uint', ...format } },
  setVariable: { required: { variablesReference: 'int', name: 'string', value: 'string' }, optional: format },
  evaluate: { required: { expression: 'string' }, optional: { frameId: 'int', context: 'string', line: 'pos', column: 'pos', source, ...format } },
  completions: { required: { text: 'string', column: 'pos' }, optional: { frameId: 'int', line: 'uint' } },
  readMemory: { required: { memoryReference: 'string', count: 'uint' }, optional: { offset: 'int' } },
  writeMemory: { required: { memoryReference: 'string', data: 'string' }, optional: { offset: 'int', allowPartial: 'bool' } },
  disassemble: { required: { memoryReference: 'string', instructionCount: 'uint' }, optional: { offset: 'int', instructionOffset: 'int', resolveSymbols: 'bool' } },
  loadedSources: {},
  'rvisor.history': { optional: { kind: { enum: ['hypercall', 'trap', 'interrupt'] }, ext: 'string', start: 'uint', count: 'uint' } },
  'rvisor.input': { required: { text: 'string' } },
  'rvisor.status': {},
  'rvisor.lookup': { required: { address: 'string' } },
  'rvisor.hypercallBreakpoints': { required: { conditions: { array: 'string' } } },
};

function describe(f: Field): string {
  if (typeof f === 'string') {
    return f === 'int' ? 'an integer' : f === 'uint' ? 'a non-negative integer' : f === 'pos' ? 'a positive integer'
      : f === 'object' ? 'an object' : `a ${f === 'bool' ? 'boolean' : f}`;
  }
  if ('enum' in f) return `one of ${f.enum.map((e) => `'${e}'`).join(', ')}`;
  if ('array' in f) return 'a list';
  return 'an object';
}

function check(v: unknown, f: Field, at: string): string | undefined {
  if (typeof f === 'string') {
    switch (f) {
      case 'any': return undefined;
      case 'string': return typeof v === 'string' ? undefined : `${at} must be ${describe(f)}`;
      case 'bool': return typeof v === 'boolean' ? undefined : `${at} must be ${describe(f)}`;
      case 'int': return Number.isSafeInteger(v) ? undefined : `${at} must be ${describe(f)}`;
      case 'uint': return Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : `${at} must be ${describe(f)}`;
      case 'pos': return Number.isSafeInteger(v) && (v as number) >= 1 ? undefined : `${at} must be ${describe(f)}`;
      default: return typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : `${at} must be ${describe(f)}`;
    }
  }
  if ('enum' in f) return typeof v === 'string' && f.enum.includes(v) ? undefined : `${at} must be ${describe(f)}`;
  if ('array' in f) {
    if (!Array.isArray(v)) return `${at} must be a list`;
    if (v.length > 100_000) return `${at} has too many entries`;
    for (let i = 0; i < v.length; i++) {
      const e = check(v[i], f.array, `${at}[${i}]`);
      if (e) return e;
    }
    return undefined;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${at} must be an object`;
  const o = v as Record<string, unknown>;
  for (const [k, t] of Object.entries(f.required ?? {})) {
    if (!Object.hasOwn(o, k) || o[k] === undefined) return `${at ? `${at}.` : ''}${k} is missing`;
    const e = check(o[k], t, at ? `${at}.${k}` : k);
    if (e) return e;
  }
  for (const [k, t] of Object.entries(f.optional ?? {})) {
    // null stands for "not given" in an optional field (some clients send it so).
    if (!Object.hasOwn(o, k) || o[k] === undefined || o[k] === null) continue;
    const e = check(o[k], t, at ? `${at}.${k}` : k);
    if (e) return e;
  }
  return undefined;
}

/** Removes optional top-level fields given as null (they mean "not given"), so handlers see undefined. */
export function dropNulls(command: string, args: unknown): void {
  const shape = Object.hasOwn(REQUESTS, command) ? REQUESTS[command] : undefined;
  if (!shape || typeof args !== 'object' || args === null) return;
  const o = args as Record<string, unknown>;
  for (const k of Object.keys(shape.optional ?? {})) if (o[k] === null) delete o[k];
}

/** Why a request cannot be served as sent (undefined: it can). */
export function checkRequest(command: unknown, args: unknown): string | undefined {
  if (typeof command !== 'string') return 'the request has no command';
  const shape = Object.hasOwn(REQUESTS, command) ? REQUESTS[command] : undefined;
  if (!shape) return `'${command}' is not supported by rvisor`;
  const hasFields = Object.keys(shape.required ?? {}).length > 0;
  if (args === undefined && !hasFields) return undefined;
  if (args === undefined) return 'arguments are missing';
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return 'arguments must be an object';
  return check(args, shape, '');
}
