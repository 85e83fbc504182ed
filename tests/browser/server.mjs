// A real `liaison serve` for the browser tests: a fresh database in a temporary
// directory, one user per role the tests need, a free loopback port.
//
// The server is the sanitizer build, so stopping it is part of the test: it
// must exit 0 on SIGTERM and leave no AddressSanitizer, LeakSanitizer or
// UndefinedBehaviorSanitizer report on its standard error.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

// name → role, division, password (long enough for the 12-character minimum).
export const USERS = {
  ana: { role: 'staff', division: 'IPD', password: 'ana-browser-test-passphrase-7301' },
  dora: { role: 'viewer', division: 'IPD', password: 'dora-browser-test-passphrase-4462' },
  root: { role: 'admin', division: null, password: 'root-browser-test-passphrase-9158' },
};

const SANITIZER_REPORT = /ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:|SUMMARY: \w+Sanitizer/;

// Reports go to standard error, where they are looked for; a report fails
// the suite even when the process would carry on.
function sanitizerEnv() {
  return {
    ...process.env,
    ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1:abort_on_error=0:halt_on_error=1',
    UBSAN_OPTIONS: process.env.UBSAN_OPTIONS || 'print_stacktrace=1:halt_on_error=1',
  };
}

function cli(bin, db, args, input) {
  const proc = spawnSync(bin, [...args, '--db', db], {
    input, encoding: 'utf8', env: sanitizerEnv(), timeout: 120_000,
  });
  if (proc.error) throw new Error(`liaison ${args.join(' ')}: ${proc.error.message}`);
  if (proc.status !== 0 || SANITIZER_REPORT.test(proc.stderr)) {
    throw new Error(`liaison ${args.join(' ')} failed (exit ${proc.status}): ${proc.stderr.trim()}`);
  }
  return proc.stdout;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function healthz(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

export class Server {
  constructor(bin) {
    this.bin = bin;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-browser-'));
    this.db = path.join(this.dir, 'test.db');
    this.errPath = path.join(this.dir, 'server.err');
    this.proc = null;
    this.exit = null;
  }

  async start() {
    cli(this.bin, this.db, ['init']);
    for (const [name, u] of Object.entries(USERS)) {
      const args = ['user', 'add', name, '--role', u.role, ...(u.division ? ['--division', u.division] : [])];
      cli(this.bin, this.db, args, u.password + '\n');
    }
    // Port 0: the server picks a free port and logs it, so no other process
    // can take the port between choosing it and listening on it.
    const out = fs.openSync(path.join(this.dir, 'server.out'), 'w');
    const err = fs.openSync(this.errPath, 'w');
    // Mail goes to a relay that is never there: it stays queued, with the reason, for the pages to show.
    const config = path.join(this.dir, 'liaison.json');
    // The whole suite sends the public form from one address, more often than the hourly limit a
    // requester has (its own behaviour is tests/http/test_inquiries.py's).
    fs.writeFileSync(config, JSON.stringify({ mail: { smtp_url: 'smtp://127.0.0.1:1', retry_after: [3600] },
                                              intake_per_hour: 1000 }));
    this.proc = spawn(this.bin, ['serve', '--db', this.db, '--listen', '127.0.0.1:0', '--config', config], {
      stdio: ['ignore', out, err], env: sanitizerEnv(),
    });
    fs.closeSync(out);
    fs.closeSync(err);
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => {
      this.exit = { code, signal };
      resolve(this.exit);
    }));
    // A runner that dies must not leave a server behind.
    process.on('exit', () => { if (this.proc && !this.exit) this.proc.kill('SIGKILL'); });

    this.port = await this.waitForPort(20_000);
    this.base = `http://127.0.0.1:${this.port}`;
    for (let i = 0; i < 100 && !(await healthz(this.port)); i++) await sleep(50);
    if (!(await healthz(this.port))) throw new Error(`/healthz does not answer on ${this.base}`);
  }

  async waitForPort(ms) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(this.log());
      if (m) return Number(m[1]);
      if (this.exit) break;
      await sleep(20);
    }
    throw new Error(`the server did not start: ${this.log().trim() || '(no output)'}`);
  }

  log() {
    try { return fs.readFileSync(this.errPath, 'utf8'); } catch { return ''; }
  }

  // Stops the server; returns a list of problems (empty when all is well).
  async stop() {
    if (!this.proc) {
      fs.rmSync(this.dir, { recursive: true, force: true });
      return [];
    }
    if (!this.exit) this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 30_000);
    const { code, signal } = await this.exited;
    clearTimeout(timer);
    const problems = [];
    if (code !== 0) problems.push(`the server exited with ${signal ? 'signal ' + signal : 'code ' + code}`);
    const reports = this.log().split('\n').filter((line) => !line.startsWith('{'));
    if (reports.some((line) => SANITIZER_REPORT.test(line))) {
      problems.push('the server wrote sanitizer reports:\n' + reports.slice(0, 60).join('\n'));
    }
    if (problems.length) problems.push(`server files kept in ${this.dir}`);
    else fs.rmSync(this.dir, { recursive: true, force: true });
    return problems;
  }
}
