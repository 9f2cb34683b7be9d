// What the F/D executor (engine/cpu/fpu.ts) sees of a hart. The hart implements this.

export interface FpHart {
  /** Integer registers as int32 halves: x[2*r] = low 32 bits, x[2*r+1] = high 32 bits. x0 reads as 0; never write x0. */
  readonly x: Int32Array;
  /** Float registers, 64 bits each, viewed as doubles… */
  readonly f: Float64Array;
  /** …and as int32 halves over the same memory: fi[2*r] = low 32 bits, fi[2*r+1] = high 32 bits. */
  readonly fi: Int32Array;
  /** fcsr.fflags (bits: NX=1, UF=2, OF=4, DZ=8, NV=16); OR exceptions into it. */
  fflags: number;
  /** fcsr.frm (dynamic rounding mode, 0..7). */
  frm: number;
}

/** Result of executing one F/D instruction. */
export const FP_OK_INT = 0; // done; wrote an integer register or nothing (FS need not become dirty)
export const FP_OK_FREG = 1; // done; wrote a float register (FS becomes dirty)
export const FP_ILLEGAL = -1; // not a valid F/D encoding: raise illegal instruction
export const FP_BAD_RM = -2; // a valid encoding with a reserved rounding mode: illegal instruction, found when executed
