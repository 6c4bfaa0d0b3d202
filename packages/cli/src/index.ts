export { programName, run, STARLING_VERSION } from './main.js';
