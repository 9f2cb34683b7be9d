// A name index over all units, built on first need by one skim of .debug_info that decodes only the
// few attributes it keeps (names, origins, declaration flags) and skips the rest by form size: functions
// and file-scope variables by name, types by "struct x" / "union x" / "enum x" / plain name, and which
// DIEs point at which through DW_AT_abstract_origin / DW_AT_specification (inlined and out-of-line
// instances of a function, definitions of a declared variable).

import { ByteReader, DwarfError } from './reader.ts';
import * as constants from './constants.ts';

// Copied once: the module namespace's getters would otherwise run at every case label in the hot loops.
const { DW_AT, DW_FORM, DW_TAG } = constants;
import { readForm, skipForm, type Attr, type DwarfInfo, type Unit } from './info.ts';

export interface NameIndex {
  /**
   * Named subprograms (definitions, abstract instances and declarations), by name → DIE entries: the
   * offset, or −offset−1 for a declaration (so queries follow a declaration's origins without parsing
   * the unit it sits in: a header's declaration is repeated in every unit that includes it).
   */
  functions: Map<string, number[]>;
  /** Named variables at file scope → DIE entries, encoded as in `functions`. */
  variables: Map<string, number[]>;
  /** Type name ("struct foo", "union u", "enum e", typedef or base type name) → a defining DIE offset. */
  types: Map<string, number>;
  /** Declarations only, when no definition was seen (same keys as `types`). */
  typeDeclarations: Map<string, number>;
  /** DIE offset → offsets of the DIEs whose abstract_origin or specification is it. */
  origins: Map<number, number[]>;
  /** Units skipped because they are malformed: their error messages. */
  errors: string[];
}

const TYPE_PREFIX: Record<number, string> = {
  [DW_TAG.structure_type]: 'struct ', [DW_TAG.class_type]: 'struct ', [DW_TAG.union_type]: 'union ',
  [DW_TAG.enumeration_type]: 'enum ', [DW_TAG.typedef]: '', [DW_TAG.base_type]: '',
};

const KEPT_ATTRS = new Set<number>([DW_AT.name, DW_AT.abstract_origin, DW_AT.specification, DW_AT.declaration]);
const REF_FORMS = new Set<number>([DW_FORM.ref1, DW_FORM.ref2, DW_FORM.ref4, DW_FORM.ref8, DW_FORM.ref_udata, DW_FORM.ref_addr]);

const NOT_INDEXED = 0;
const SUBPROGRAM = 1;
const INLINED = 2;
const VARIABLE = 3;
const TYPE = 4;

function indexKindOf(tag: number): number {
  if (tag === DW_TAG.subprogram) return SUBPROGRAM;
  if (tag === DW_TAG.inlined_subroutine) return INLINED;
  if (tag === DW_TAG.variable) return VARIABLE;
  return TYPE_PREFIX[tag] !== undefined ? TYPE : NOT_INDEXED;
}

/** An entry of NameIndex.functions/variables: its DIE offset and whether it is a declaration. */
export function decodeEntry(entry: number): { offset: number; declaration: boolean } {
  return entry < 0 ? { offset: -entry - 1, declaration: true } : { offset: entry, declaration: false };
}

const push = <K>(map: Map<K, number[]>, key: K, value: number): void => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

export function buildNameIndex(dwarf: DwarfInfo): NameIndex {
  const index: NameIndex = {
    functions: new Map(), variables: new Map(), types: new Map(), typeDeclarations: new Map(), origins: new Map(), errors: [],
  };
  for (const unit of dwarf.units) {
    if (!unit.isCompileUnit) continue;
    try {
      skimUnit(unit, index);
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      index.errors.push(e.message);
    }
  }
  return index;
}

function skimUnit(unit: Unit, index: NameIndex): void {
  unit.root();
  const abbrevs = unit.abbrevTable();
  const r = new ByteReader(unit.dwarf.sections.info, '.debug_info', unit.dieOffset, unit.end);
  const kept: Attr[] = [];
  let depth = 0;
  // Tag of the innermost enclosing DIE at each depth: variables count only at file scope.
  while (!r.atEnd) {
    const offset = r.pos;
    const code = r.uleb();
    if (code === 0) {
      if (--depth <= 0) return;
      continue;
    }
    const abbrev = abbrevs.get(code);
    if (!abbrev) r.fail(`unknown abbreviation code ${code}`, offset);
    const tag = abbrev!.tag;
    const kind = abbrev!.indexKind ?? (abbrev!.indexKind = indexKindOf(tag));
    if (kind === NOT_INDEXED || (kind === VARIABLE && depth !== 1)) {
      unit.skipAttrs(r, abbrev!);
    } else {
      kept.length = 0;
      for (const spec of abbrev!.attrs) {
        let form = spec.form;
        if (form === DW_FORM.indirect) form = r.uleb();
        if (KEPT_ATTRS.has(spec.at)) kept.push({ at: spec.at, form, value: readForm(r, form, unit, spec.implicitConst) });
        else skipForm(r, form, unit);
      }
      let name: string | undefined;
      let declaration = false;
      for (const a of kept) {
        if (a.at === DW_AT.name) name = unit.stringOf(a);
        else if (a.at === DW_AT.declaration) declaration = a.value !== 0;
        else if (REF_FORMS.has(a.form)) push(index.origins, a.value as number, offset);
      }
      if (name !== undefined) {
        if (kind === SUBPROGRAM) push(index.functions, name, declaration ? -offset - 1 : offset);
        else if (kind === VARIABLE) push(index.variables, name, declaration ? -offset - 1 : offset);
        else if (kind === TYPE) {
          const key = TYPE_PREFIX[tag] + name;
          if (declaration) {
            if (!index.types.has(key) && !index.typeDeclarations.has(key)) index.typeDeclarations.set(key, offset);
          } else if (!index.types.has(key)) {
            index.types.set(key, offset);
            index.typeDeclarations.delete(key);
          }
        }
      }
    }
    if (abbrev!.hasChildren) depth++;
    else if (depth === 0) return; // a root without children
  }
}
