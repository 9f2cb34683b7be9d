// The TextMate grammars (syntaxes/*.tmLanguage.json): generated from the tables (extension/language/
// grammar.ts) and up to date; every regular expression compiles; and, when vscode-textmate and
// vscode-oniguruma can be loaded (VS Code's own engine), sample lines tokenize into the expected scopes.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GRAMMAR_FILES, grammarText } from '../../../extension/language/grammar.ts';
import { CSR_NAME_LIST, INSTRUCTIONS } from '../../../extension/language/isa-docs.ts';
import { SBI_EXT_NAMES, SBI_FN_NAMES } from '../../../engine/sbi/ids.ts';
import { ROOT } from '../../helpers/cli.ts';

type Rule = { [key: string]: unknown };

const grammars = new Map(GRAMMAR_FILES.map(([file]) => [file, JSON.parse(readFileSync(resolve(ROOT, file), 'utf8')) as Rule]));
const asm = grammars.get('syntaxes/riscv-asm.tmLanguage.json')!;
const trace = grammars.get('syntaxes/rvisor-trace.tmLanguage.json')!;

/** Every regular expression of a grammar (match, begin, end, while), with where it is. */
function regexes(rule: unknown, path = ''): Array<[string, string]> {
  if (typeof rule !== 'object' || rule === null) return [];
  return Object.entries(rule as Rule).flatMap(([k, v]): Array<[string, string]> => {
    if (['match', 'begin', 'end', 'while'].includes(k) && typeof v === 'string') return [[`${path}/${k}`, v]];
    return regexes(v, `${path}/${k}`);
  });
}

/** An Oniguruma pattern as a JavaScript RegExp, where the syntax is shared: (?i) becomes the i flag, \G an empty match. */
function toJs(pattern: string): RegExp {
  const insensitive = pattern.startsWith('(?i)');
  return new RegExp((insensitive ? pattern.slice(4) : pattern).replace(/\\G/g, '(?:)'), insensitive ? 'i' : '');
}

test('the grammar files are what extension/language/grammar.ts generates (node --import tsx extension/language/grammar.ts)', () => {
  for (const [file, build] of GRAMMAR_FILES) {
    assert.ok(readFileSync(resolve(ROOT, file), 'utf8') === grammarText(build), `${file} is stale: run node --import tsx extension/language/grammar.ts`);
  }
  assert.equal(asm.scopeName, 'source.riscv-asm');
  assert.equal(trace.scopeName, 'source.rvisor-trace');
});

test('every regular expression compiles, every include names a repository rule', () => {
  for (const [file, g] of grammars) {
    const all = regexes(g);
    assert.ok(all.length > 20, file);
    for (const [where, re] of all) assert.doesNotThrow(() => toJs(re), `${file}${where}: ${re}`);
    const repo = g.repository as Rule;
    const includes = JSON.stringify(g).match(/"include":"#[^"]+"/g) ?? [];
    for (const inc of includes) assert.ok(inc.slice(12, -1) in repo, `${file}: ${inc}`);
  }
});

test('the grammars hold the tables: every mnemonic, CSR, SBI name (JavaScript matching)', () => {
  const statement = ((asm.repository as Rule).statement as { patterns: Rule[] }).patterns;
  const mnemonicRules = statement.filter((r) => typeof r.match === 'string' && (r.captures as Record<string, { name: string }>)?.[1]?.name.startsWith('keyword.other.instruction'));
  assert.equal(mnemonicRules.length, 3);
  for (const m of INSTRUCTIONS.keys()) {
    const line = `\t${m} a0, a1`;
    const hit = mnemonicRules.map((r) => toJs(r.match as string).exec(line)).find((x) => x);
    assert.equal(hit?.[1], m, m);
  }
  const csr = toJs(((asm.repository as Rule)['csr-names'] as Rule).match as string);
  for (const name of CSR_NAME_LIST) assert.equal(csr.exec(` ${name},`)?.[1], name);
  const members = ((trace.repository as Rule).members as { patterns: Rule[] }).patterns.map((r) => toJs(r.match as string));
  for (const ext of SBI_EXT_NAMES.values()) assert.ok(members.some((re) => re.exec(`"ext":"${ext}"`)?.[4] === ext), ext);
  for (const fn of [...SBI_FN_NAMES.values()].flat()) assert.ok(members.some((re) => re.exec(`"fn":"${fn}"`)?.[4] === fn), fn);
});

// ---- the real engine, when it can be loaded ----

interface Token { startIndex: number; endIndex: number; scopes: string[] }
interface Grammar { tokenizeLine(line: string, stack: unknown): { tokens: Token[]; ruleStack: unknown } }
let engine: { load(scope: string): Promise<Grammar>; initial: unknown } | undefined;
let missing = '';

before(async () => {
  const req = createRequire(__filename);
  try {
    const tm = req('vscode-textmate');
    const onig = req('vscode-oniguruma');
    const wasm = readFileSync(req.resolve('vscode-oniguruma/release/onig.wasm'));
    await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new tm.Registry({
      onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new onig.OnigScanner(p), createOnigString: (s: string) => new onig.OnigString(s) }),
      loadGrammar: async (scope: string) => {
        const file = GRAMMAR_FILES.find(([, build]) => build().scopeName === scope)?.[0];
        return file ? tm.parseRawGrammar(readFileSync(resolve(ROOT, file), 'utf8'), resolve(ROOT, file)) : null;
      },
    });
    engine = { load: (scope) => registry.loadGrammar(scope), initial: tm.INITIAL };
  } catch (e) {
    missing = `vscode-textmate/vscode-oniguruma not available (${(e as Error).message.split('\n')[0]})`;
  }
});

/** The scopes of each token of `lines` (tokenized in order), as "text: scope scope" for the tokens that have more than the root scope. */
async function tokenize(scope: string, lines: string[]): Promise<Array<Map<string, string[]>>> {
  const g = await engine!.load(scope);
  let stack = engine!.initial;
  return lines.map((line) => {
    const r = g.tokenizeLine(line, stack);
    stack = r.ruleStack;
    const out = new Map<string, string[]>();
    for (const t of r.tokens) {
      const text = line.slice(t.startIndex, t.endIndex);
      if (text.trim() !== '' && !out.has(text.trim())) out.set(text.trim(), t.scopes.slice(1));
    }
    return out;
  });
}

const has = (tokens: Map<string, string[]>, text: string, scope: string): void => {
  const scopes = tokens.get(text);
  assert.ok(scopes?.some((s) => s.startsWith(scope)), `"${text}": expected ${scope}, got ${JSON.stringify(scopes)} (tokens: ${JSON.stringify([...tokens])})`);
};

test('RISC-V assembly tokenizes as VS Code would: source, preprocessor, macros, disassembly', async (t) => {
  if (!engine) return t.skip(missing);
  const lines = [
    '#include "common.h"',                                  // 0
    '#define FRAME_SIZE (34 * 8)',                          // 1
    '_start:\tla\tt0, boot_lottery\t# comment',             // 2
    '\tcsrw\tsstatus, t0',                                  // 3
    '1:\tbgeu\tt0, t1, 2f',                                 // 4
    '    c.addi16sp sp, -64',                               // 5
    '\tauipc\ta0, %pcrel_hi(sym)',                          // 6
    '.macro CHECK reg, expected',                           // 7
    '    li t6, \\expected',                                // 8
    '    CHECK t1, 0x40',                                   // 9
    '\tamoswap.w.aqrl a0, a1, (a2)  /* block */',           // 10
    '\tfmadd.d\tft0, ft1, fs2, fa3 // rest',                // 11
    '\t.section .text.entry, "ax", @progbits',              // 12
    '0000000080200000 <_start>:',                           // 13
    '    80200000:\t00000297          \tauipc\tt0,0x0',     // 14
    '    8020000c:\t12da                \tjal\tra,80200abc <kmain+0x10>', // 15
    '    80200010:\t30529073          \tcsrw\tmtvec,t0',    // 16
    '\tadd a0, x5, fp ; ret',                               // 17
  ];
  const tok = await tokenize('source.riscv-asm', lines);
  has(tok[0], '#', 'punctuation.definition.directive');
  has(tok[0], 'include', 'keyword.control.directive.include');
  has(tok[0], '"common.h"', 'string.quoted.double.include');
  has(tok[1], 'FRAME_SIZE', 'entity.name.function.preprocessor');
  has(tok[1], '34', 'constant.numeric.decimal');
  has(tok[2], '_start', 'entity.name.function.label');
  has(tok[2], 'la', 'keyword.other.instruction.pseudo');
  has(tok[2], 't0', 'variable.language.register');
  has(tok[2], '# comment', 'comment.line.number-sign');
  has(tok[3], 'csrw', 'keyword.other.instruction.csr');
  has(tok[3], 'sstatus', 'support.variable.csr');
  has(tok[4], '1', 'entity.name.function.label');
  has(tok[4], 'bgeu', 'keyword.other.instruction');
  has(tok[4], '2f', 'entity.name.label.reference.local');
  has(tok[5], 'c.addi16sp', 'keyword.other.instruction.compressed');
  has(tok[5], '-64', 'constant.numeric.decimal');
  has(tok[6], 'pcrel_hi', 'support.function.relocation');
  has(tok[7], '.macro', 'keyword.control.directive.macro');
  has(tok[7], 'CHECK', 'entity.name.function.macro');
  has(tok[8], '\\expected', 'variable.parameter.macro');
  has(tok[9], 'CHECK', 'entity.name.function.macro.call');
  has(tok[9], '0x40', 'constant.numeric.hex');
  has(tok[10], 'amoswap.w.aqrl', 'keyword.other.instruction');
  has(tok[10], 'block', 'comment.block');
  has(tok[11], 'fs2', 'variable.language.register');
  has(tok[11], '// rest', 'comment.line.double-slash');
  has(tok[12], '.section', 'keyword.control.directive');
  has(tok[12], 'ax', 'string.quoted.double');
  has(tok[13], '0000000080200000', 'constant.numeric.address');
  has(tok[13], '_start', 'entity.name.function');
  has(tok[14], '80200000', 'constant.numeric.address');
  has(tok[14], '00000297', 'constant.numeric.encoding');
  has(tok[14], 'auipc', 'keyword.other.instruction');
  has(tok[14], '0x0', 'constant.numeric.hex');
  has(tok[15], 'jal', 'keyword.other.instruction');
  has(tok[15], 'kmain', 'entity.name.function');
  has(tok[15], '80200abc', 'constant.numeric.hex');
  has(tok[16], 'mtvec', 'support.variable.csr');
  has(tok[17], 'x5', 'variable.language.register');
  has(tok[17], 'fp', 'variable.language.register');
  has(tok[17], 'ret', 'keyword.other.instruction.pseudo');
  // A word that is not a mnemonic is not colored as one.
  assert.ok(!(await tokenize('source.riscv-asm', ['\tadd.foo a0'] ))[0].get('add.foo')?.some((s) => s.startsWith('keyword.other.instruction')));
});

test('trace lines tokenize with their kinds apart, SBI names, hex values and failing errors', async (t) => {
  if (!engine) return t.skip(missing);
  const lines = [
    '{"format":"rvisor-trace","version":1,"harts":1,"kinds":["hypercall","trap"]}',
    '{"k":"hypercall","vt":9644,"hart":0,"pc":"0x8020051a","eid":"0x10","ext":"BASE","fid":0,"fn":"get_spec_version","args":["0x0"],"error":0,"value":"0x2000000"}',
    '{"k":"hypercall","vt":9700,"hart":0,"pc":"0x8020051a","eid":"0x48534d","ext":"HSM","fid":0,"fn":"hart_start","args":["0x1"],"error":-7,"value":"0x0"}',
    '{"k":"trap","vt":226690,"hart":0,"pc":"0x8020301e","cause":13,"name":"load page fault","tval":"0x0","from":"U","to":"S"}',
    '{"k":"interrupt","vt":476388,"hart":0,"pc":"0x8020335a","cause":5,"name":"supervisor timer","tval":"0x0","from":"U","to":"S"}',
    '{"k":"fatal","vt":5,"hart":0,"message":"boom"}',
    '{"k":"device","vt":5,"device":"plic","what":"irq-line","source":10,"level":true}',
    '{"k":"poweroff","vt":6,"code":0}',
  ];
  const tok = await tokenize('source.rvisor-trace', lines);
  has(tok[0], 'rvisor-trace', 'keyword.other.format');
  has(tok[0], '"version"', 'support.type.property-name');
  has(tok[1], 'hypercall', 'entity.name.function.kind.hypercall');
  has(tok[1], 'BASE', 'support.class.sbi-extension');
  has(tok[1], 'get_spec_version', 'support.function.sbi-function');
  has(tok[1], '0x8020051a', 'constant.numeric.hex');
  has(tok[1], '9644', 'constant.numeric');
  has(tok[1], '0', 'constant.numeric');
  has(tok[2], '-7', 'invalid.illegal.error');
  has(tok[2], 'hart_start', 'support.function.sbi-function');
  has(tok[3], 'trap', 'keyword.control.kind.trap');
  has(tok[3], 'load page fault', 'support.constant.cause');
  has(tok[3], 'U', 'constant.language.privilege');
  has(tok[4], 'interrupt', 'storage.type.kind.interrupt');
  has(tok[4], 'supervisor timer', 'support.constant.cause');
  has(tok[5], 'fatal', 'invalid.illegal.kind.fatal');
  has(tok[5], '"boom"', 'invalid.illegal.message');
  has(tok[6], 'device', 'entity.name.type.kind.device');
  has(tok[6], 'true', 'constant.language');
  has(tok[7], 'poweroff', 'keyword.other.kind.lifecycle');
});
