export type { SublistResult, SublistSub } from './result.js';
export { isEmptyResult } from './result.js';
export {
  FWC,
  isValidConfigSubject,
  isValidLiteralSubject,
  isValidPublishSubject,
  isValidQueue,
  isValidSubject,
  PWC,
  subjectIsLiteral,
  subjectIsSubsetOf,
  subjectMatches,
  subjectsCollide,
  TSEP,
  tokenCount,
} from './subject.js';
export type { SublistInterest, SublistOptions, SublistStats } from './sublist.js';
export { CACHE_MAX, CACHE_SWEEP, Sublist, sumSublistStats } from './sublist.js';
