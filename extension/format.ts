// What the extension shows, as plain text: hypercall and trap rows, disassembly and memory documents,
// and the ELF check for kernels. No VS Code imports, so units test it directly.

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { TraceRecord } from './records.ts';
import { EM_RISCV, isElf } from '../debuginfo/elf.ts';
import { SBI_ERROR_NAMES } from '../engine/sbi/ids.ts';
import { sbiCallDoc, sbiErrorText } from './language/sbi-docs.ts';

/** Whether `bytes` (a file's first 20 bytes) start a 64-bit RISC-V ELF (class 2, e_machine). */
export function isRiscvElf(bytes: Uint8Array): boolean {
  return bytes.length >= 20 && isElf(bytes) && bytes[4] === 2 && (bytes[18] | (bytes[19] << 8)) === EM_RISCV;
}

const hexShort = (h: string | undefined): string => (h ?? '0x0').replace(/^0x0*(?=[0-9a-f])/, '0x');
const PRIV: Record<string, string> = { U: 'U-mode', S: 'S-mode', M: 'M-mode' };

/** "BASE.get_spec_version" (or the ids when the names are unknown). */
export function hypercallName(r: TraceRecord): string {
  return `${r.ext ?? r.eid}.${r.fn ?? r.fid}`;
}

/** The row for a hypercall: name(arguments it takes) → result, and time/hart/mode/call site. */
export function hypercallRow(r: TraceRecord): { label: string; description: string; tooltip: string } {
  const all = r.args ?? [];
  const doc = r.eid !== undefined ? sbiCallDoc(Number(r.eid), r.fid ?? 0) : undefined;
  // The registers the function reads (the SBI spec's signature); unknown calls: up to the last non-zero.
  let n = doc ? doc.args.length : all.length;
  if (!doc) while (n > 0 && /^0x0*$/.test(all[n - 1])) n--;
  const ok = r.error === 0 || (doc?.legacy === true);
  const result = doc?.legacy ? `→ ${r.error}` : ok ? `→ ${hexShort(r.value)}` : `→ ${SBI_ERROR_NAMES.get(r.error ?? 0)?.name ?? `error ${r.error}`}`;
  const label = `${hypercallName(r)}(${all.slice(0, n).map(hexShort).join(', ')}) ${result}`;
  const description = `#${r.instret} · hart ${r.hart} · S · pc ${hexShort(r.pc)}`;
  const tooltip = [
    `**${hypercallName(r)}** (eid ${r.eid}, fid ${r.fid})${doc ? `: ${doc.summary}` : ''}`, '',
    ...(doc ? ['`' + doc.signature + '`', ''] : []),
    `instret ${r.instret}, virtual time ${r.vt} steps, hart ${r.hart}, from S-mode at \`${r.pc}\``, '',
    ...all.map((a, i) => `- a${i} = \`${a}\`${doc?.args[i] ? ` — ${doc.args[i].name}` : ''}`), '',
    doc?.legacy ? `returned \`${r.error}\`` : r.error === 0 ? `result: success, value \`${r.value}\`` : `result: **${sbiErrorText(r.error ?? 0)}**, value \`${r.value}\``,
  ].join('\n');
  return { label, description, tooltip };
}

/** The row for a trap or interrupt: cause, tval, epc, modes. */
export function trapRow(r: TraceRecord): { label: string; description: string; tooltip: string } {
  const what = r.k === 'interrupt' ? `${r.name} interrupt` : r.name ?? `cause ${r.cause}`;
  const label = r.k === 'interrupt' ? what : `${what}, tval ${hexShort(r.tval)}`;
  const description = `#${r.instret} · hart ${r.hart} · ${r.from}→${r.to} · epc ${hexShort(r.pc)}`;
  const tooltip = [
    `**${what}** (${r.k === 'interrupt' ? 'interrupt' : 'exception'} ${r.cause})`, '',
    `epc \`${r.pc}\`, tval \`${r.tval}\``, '',
    `${PRIV[r.from ?? ''] ?? r.from} → ${PRIV[r.to ?? ''] ?? r.to}, hart ${r.hart}, instret ${r.instret}, virtual time ${r.vt} steps`,
  ].join('\n');
  return { label, description, tooltip };
}

/** objdump-style text: `<symbol>:` labels, `addr:\tbytes\tinstruction`, the source line as a comment. */
export function formatDisassembly(insns: DebugProtocol.DisassembledInstruction[], target: bigint): string {
  const out = [`# rvisor: disassembly around 0x${target.toString(16)} (=> marks it)`, ''];
  let lastSymbol: string | undefined;
  let lastSource: string | undefined;
  for (const i of insns) {
    if (i.presentationHint === 'invalid') continue;
    if (i.symbol && i.symbol !== lastSymbol) {
      out.push('', `${i.address.replace(/^0x/, '').padStart(16, '0')} <${i.symbol}>:`);
      lastSymbol = i.symbol;
    }
    const source = i.location?.name && i.line !== undefined ? `${i.location.name}:${i.line}` : undefined;
    const here = BigInt(i.address) === target;
    const addr = i.address.replace(/^0x/, '');
    // The adapter gives the bytes in memory order ("73 00 00 00"); objdump shows the parcel value ("00000073").
    const bytes = (i.instructionBytes ?? '').split(/\s+/).filter(Boolean).reverse().join('');
    const text = `${here ? '=>' : '  '}  ${addr}:\t${bytes.padEnd(8)}\t${i.instruction.replace(' ', '\t')}`;
    out.push(source && source !== lastSource ? `${text.padEnd(56)}# ${source}` : text);
    lastSource = source ?? lastSource;
  }
  return out.join('\n') + '\n';
}

/** 16 bytes a line: address, hex bytes, printable ASCII. */
export function hexDump(bytes: Uint8Array, base: bigint): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${(base + BigInt(off)).toString(16).padStart(16, '0')}  ${hex.padEnd(47)}  |${ascii}|`);
  }
  return lines.join('\n') + '\n';
}
