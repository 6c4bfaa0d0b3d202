#!/usr/bin/env node
// Records nats-server's verdict for every case of test-fixtures/compat-cases.mjs into
// test-fixtures/compat-verdicts.json. Needs a nats-server binary (default /usr/sbin/nats-server,
// or NATS_SERVER=path). Everything binds to 127.0.0.1 with random ports.
//
//   node packages/conf/scripts/record-compat.mjs          # record
//   node packages/conf/scripts/record-compat.mjs --check  # compare with the recorded file
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPAT_CASES } from '../test-fixtures/compat-cases.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '../test-fixtures/compat-verdicts.json');
const bin = process.env.NATS_SERVER ?? '/usr/sbin/nats-server';

function clean(text) {
  return text
    .split('\n')
    .map((l) => l.replace(/^nats-server: /, ''))
    .filter((l) => l.trim() !== '')
    .join('\n');
}

/** Start-up failures: fatal/error log lines, and what nats-server prints before exiting. */
function startupErrors(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const log = /^\[\d+\] [\d/:. ]+\[([A-Z]+)\] (.*)$/.exec(line);
    if (log === null) out.push(line);
    else if (log[1] === 'FTL' || log[1] === 'ERR') out.push(log[2]);
  }
  return clean(out.join('\n'));
}

function startup(dir, env) {
  return new Promise((resolve) => {
    const child = spawn(bin, ['-c', 't.conf', '-a', '127.0.0.1', '-p', '-1'], { cwd: dir, env });
    let text = '';
    let done = false;
    const finish = (valid) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve({ valid, output: valid ? '' : startupErrors(text) });
    };
    const onData = (d) => {
      text += d;
      if (text.includes('Server is ready')) finish(true);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', () => finish(text.includes('Server is ready')));
    const timer = setTimeout(() => finish(true), 3000);
  });
}

const verdicts = {};
for (const c of COMPAT_CASES) {
  const dir = mkdtempSync(join(tmpdir(), 'conf-compat-'));
  try {
    writeFileSync(join(dir, 't.conf'), c.conf);
    for (const [name, text] of Object.entries(c.files ?? {})) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const env = { PATH: process.env.PATH ?? '', ...(c.env ?? {}) };
    const t = spawnSync(bin, ['-c', 't.conf', '-t'], { cwd: dir, env, encoding: 'utf8', timeout: 10_000 });
    const output = clean(`${t.stdout}${t.stderr}`);
    const v = { t: { valid: t.status === 0 && output.includes('is valid'), output } };
    if (v.t.valid && !c.tOnly) v.start = await startup(dir, env);
    verdicts[c.name] = v;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The sample corpus (test-fixtures/samples/*.conf, run from that directory): `-t` only.
const samplesDir = join(here, '../test-fixtures/samples');
const samples = {};
for (const name of readdirSync(samplesDir)
  .filter((f) => f.endsWith('.conf') && !f.startsWith('include-'))
  .sort()) {
  const t = spawnSync(bin, ['-c', name, '-t'], {
    cwd: samplesDir,
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  const output = clean(`${t.stdout}${t.stderr}`);
  samples[name] = { valid: t.status === 0 && output.includes('is valid'), output };
}

const version = spawnSync(bin, ['-v'], { encoding: 'utf8' }).stdout.trim();
const doc = { recordedWith: version, verdicts, samples };
if (process.argv.includes('--check')) {
  const old = JSON.parse(readFileSync(out, 'utf8'));
  let diff = 0;
  // Verdicts must not change; messages may (nats-server walks Go maps in random order, so the
  // order of several errors, and for some keys the reported position, varies between runs).
  const flags = (v) => JSON.stringify([v?.t?.valid, v?.start?.valid]);
  const unstable = new Set(COMPAT_CASES.filter((c) => c.unstable).map((c) => c.name));
  for (const [name, v] of Object.entries(verdicts)) {
    if (unstable.has(name)) continue;
    if (flags(old.verdicts[name]) !== flags(v)) {
      diff++;
      console.log(`changed: ${name}\n  was ${JSON.stringify(old.verdicts[name])}\n  now ${JSON.stringify(v)}`);
    } else if (JSON.stringify(old.verdicts[name]) !== JSON.stringify(v)) {
      console.log(`message differs (not a failure): ${name}`);
    }
  }
  if (JSON.stringify(old.samples) !== JSON.stringify(samples)) {
    diff++;
    console.log(`samples changed: ${JSON.stringify(samples)}`);
  }
  console.log(`${Object.keys(verdicts).length} cases, ${diff} changed`);
  process.exit(diff === 0 ? 0 : 1);
}
writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
console.log(`recorded ${Object.keys(verdicts).length} cases with ${version} into ${out}`);
