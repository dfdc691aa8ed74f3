/** The kinds of bay the whole system counts and allocates: common's one list, under the sim's names. */
export { BAY_KINDS, type BayKindName as BayKind, isBayKind } from '@citybay/common';
