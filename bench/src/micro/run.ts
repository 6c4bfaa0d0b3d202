// `pnpm bench:micro`: every micro benchmark suite, one after the other, in this process.
import { header } from './harness.js';

console.log(header());
const suites = process.argv.slice(2);
const all = ['protocol', 'sublist'];
for (const suite of suites.length > 0 ? suites : all) {
  await import(`./${suite}.js`);
}
