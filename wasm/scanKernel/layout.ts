// The statistics layouts, mirroring src/core/footprint/fieldStats.ts, and the field kinds of
// src/core/footprint/fieldClassify.ts (test/unit/footprint/kernelLayout.test.ts compares them).

// S: per-block statistics of one column
export const NA = 0;
export const INT64 = 1;
export const UINT_ONLY = 2;
export const BIGINT = 3;
export const NEG = 4;
export const FLOAT = 5;
export const BOOL = 6;
export const STR = 7;
export const ASCII_N = 8;
export const ASCII_LEN = 9;
export const LATIN1_N = 10;
export const UCS2_N = 12;
export const UCS4_N = 14;
export const UTF8 = 16;
export const PYINT = 17;
export const INT_ZERO = 18;
export const BOOL_TRUE = 19;
export const NA_LEN = 20;
export const K = 21;

// G: whole-range statistics of one column
export const G_MIN = 0;
export const G_MAX = 1;
export const G_ZEROS = 2;
export const G_F32_ERR = 3;
export const G_F32_KEEPS = 4;
export const G_INTEGRAL = 5;
export const G_DATE_SIG = 6;
export const G_NUMERIC = 7;
export const G_SEQ_FIRST = 8;
export const G_SEQ_LAST = 9;
export const G_SEQ_STEP = 10;
export const G_SEQ_N = 11;
export const G_SEQ_OK = 12;
export const GK = 13;

export const KIND_INT = 1;
export const KIND_FLOAT = 2;
export const KIND_BOOL = 3;
export const KIND_STR = 4;

// src/core/footprint/scanKernel.ts mirrors these
export const PROBLEM_NONE = 0;
export const PROBLEM_EOF_IN_QUOTES = 1;
export const PROBLEM_RAGGED = 2;
export const PROBLEM_ENCODING = 3;
