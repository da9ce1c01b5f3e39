// A whole store for the browser tests, as in production but on loopback: mosquitto with a
// plain listener (controller, simulator, the test's own publisher) and a websockets
// listener that takes only provisioned accounts under their ACL (per_listener_settings),
// a relay in front of it that the test can cut, nginx with TLS serving web/ and passing
// /mqtt on, the real controller (accounts from `storeq-controller provision`) and the
// real simulator.
'use strict';
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { spawn, execFileSync } = require('child_process');

const SKIP = 77;

function skip(name, reason) {
  console.log('SKIPPED: ' + name + ': ' + reason);
  if (process.env.STOREQ_SKIP_LOG) fs.appendFileSync(process.env.STOREQ_SKIP_LOG, name + '\t' + reason + '\n');
  process.exit(SKIP);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, fn, timeoutMs) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out after ' + timeoutMs + ' ms waiting for ' + what);
    await sleep(50);
  }
}

// A TCP relay the test can cut: every connection is closed and new ones are refused
// until restore().
function relay(listenPort, targetPort) {
  const sockets = new Set();
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) return client.destroy();
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const [a, b] of [[client, upstream], [upstream, client]]) {
      sockets.add(a);
      a.on('error', () => b.destroy());
      a.on('close', () => { sockets.delete(a); b.destroy(); });
      a.pipe(b);
    }
  });
  return new Promise((resolve) => server.listen(listenPort, '127.0.0.1', () => resolve({
    drop() { cut = true; for (const s of sockets) s.destroy(); },
    restore() { cut = false; },
    close() { for (const s of sockets) s.destroy(); server.close(); },
  })));
}

class Store {
  constructor(repo, bin) {
    this.repo = repo;
    this.bin = bin;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storeq-web-'));
    this.children = [];
    this.store = 'web';
    this.tills = [1, 2, 3];
  }

  spawn(name, cmd, args) {
    const log = fs.openSync(path.join(this.dir, name + '.log'), 'a');
    const child = spawn(cmd, args, { stdio: ['ignore', log, log] });
    child.name = name;
    this.children.push(child);
    return child;
  }

  log(name) {
    try { return fs.readFileSync(path.join(this.dir, name + '.log'), 'utf8'); } catch (e) { return ''; }
  }

  async start() {
    const d = this.dir;
    fs.writeFileSync(path.join(d, 'store.conf'), fs.readFileSync(path.join(this.repo, 'assets/demo/controller.conf'), 'utf8') +
      '\ntills = 1-3\nkiosks = 1\nhandhelds = 2\nmanagers = 3\n' +
      // The default negative_share (level 1, the dashboard) and a second one at level 2 (the
      // staff page too): unhappy answers from the exit kiosk open both (browser_test.js).
      'alert.negative_share.staff = 50% in 15min, n 4, level 2\n');
    execFileSync(path.join(this.bin, 'storeq-controller'), ['provision', '--config', path.join(d, 'store.conf'),
      '--store', this.store, '--out', path.join(d, 'accounts')], { stdio: 'pipe' });
    // A head-office dashboard account, as scripts/demo --chain makes it on the central
    // broker: it reads the chain documents only (this broker stands in for the central one).
    this.chainPassword = require('crypto').randomBytes(12).toString('hex');
    execFileSync('mosquitto_passwd', ['-b', path.join(d, 'accounts/passwords'), 'hq-web', this.chainPassword], { stdio: 'pipe' });
    fs.appendFileSync(path.join(d, 'accounts/acl'), '\nuser hq-web\ntopic read storeq/chain/v1/#\n');
    execFileSync(path.join(this.repo, 'systemd/storeq-make-tls'), [path.join(d, 'tls'), 'localhost', '127.0.0.1'], { stdio: 'pipe' });
    [this.mqttPort, this.wsPort, this.relayPort, this.httpsPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);

    // The broker: the repository's local settings, then the two listeners.
    fs.writeFileSync(path.join(d, 'mosquitto.conf'),
      fs.readFileSync(path.join(this.repo, 'assets/mosquitto/storeq-local.conf'), 'utf8')
        .replace(/^per_listener_settings .*$/m, '').replace(/^allow_anonymous .*$/m, '') +
      '\n# added by tests/web/store_fixture.js\nuser root\nper_listener_settings true\n' +
      `listener ${this.mqttPort} 127.0.0.1\nallow_anonymous true\n` +
      // The production websockets listener, whole, on a free port and this store's files.
      fs.readFileSync(path.join(this.repo, 'web/serve/mosquitto-websockets.conf'), 'utf8')
        .replace('listener 8080 127.0.0.1', `listener ${this.wsPort} 127.0.0.1`)
        .replace(/\/etc\/mosquitto\/storeq\//g, d + '/accounts/'));
    this.spawn('mosquitto', 'mosquitto', ['-c', path.join(d, 'mosquitto.conf')]);
    this.relay = await relay(this.relayPort, this.wsPort);

    const tmp = path.join(d, 'nginx');
    execFileSync(path.join(this.repo, 'web/serve/make-nginx-conf'), [tmp, String(this.httpsPort), String(this.relayPort),
      path.join(d, 'tls'), path.join(this.repo, 'web')], { stdio: 'pipe' });
    this.spawn('nginx', 'nginx', ['-p', tmp, '-c', path.join(tmp, 'nginx.conf')]);

    await waitFor('the broker and nginx', async () => (await canConnect(this.mqttPort)) && (await canConnect(this.wsPort)) &&
      (await canConnect(this.httpsPort)), 10000).catch((e) => {
      throw new Error(e.message + '\nmosquitto: ' + this.log('mosquitto') + '\nnginx: ' + this.log('nginx') +
        (fs.existsSync(path.join(tmp, 'error.log')) ? fs.readFileSync(path.join(tmp, 'error.log'), 'utf8') : ''));
    });
    this.controller = this.spawn('controller', path.join(this.bin, 'storeq-controller'), ['--broker', '127.0.0.1:' + this.mqttPort,
      '--store', this.store, '--db', path.join(d, 'storeq.db'), '--tills', '1-3', '--config', path.join(d, 'store.conf')]);
    await waitFor('the controller to connect', () => /connected to broker/.test(this.log('controller')), 15000);
  }

  password(account) {
    const text = fs.readFileSync(path.join(this.dir, 'accounts/devices', account + '.credentials'), 'utf8');
    return /password\s*=\s*(\S+)/.exec(text)[1];
  }

  async runSimulator(seconds) {
    const sim = this.spawn('sim', path.join(this.bin, 'storeq-sim'), ['--broker', '127.0.0.1:' + this.mqttPort, '--store', this.store,
      '--tills', '1-3', '--duration', String(seconds), '--arrivals', '90', '--service', '3', '--feedback-share', '0.9', '--seed', '12']);
    const code = await new Promise((r) => sim.on('exit', r));
    if (code !== 0) throw new Error('the simulator failed (' + code + '): ' + this.log('sim'));
  }

  // The controller's own record of a prompt (its SQLite database, read-only).
  promptRow(id) {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad prompt id ' + id);
    const out = execFileSync('sqlite3', ['-readonly', '-json', path.join(this.dir, 'storeq.db'),
      `SELECT id, state, claimed_by FROM prompts WHERE id = '${id}'`], { encoding: 'utf8' });
    const rows = out.trim() ? JSON.parse(out) : [];
    return rows[0] || null;
  }

  // The controller's own record of the alerts of one kind (its SQLite database, read-only).
  alertRows(kind) {
    if (!/^[a-z_]{1,32}$/.test(kind)) throw new Error('bad alert kind ' + kind);
    const out = execFileSync('sqlite3', ['-readonly', '-json', path.join(this.dir, 'storeq.db'),
      `SELECT id, rule, level, state, acknowledged_by, closed_by, comment FROM alerts WHERE kind = '${kind}' ORDER BY rule`],
    { encoding: 'utf8' });
    return out.trim() ? JSON.parse(out) : [];
  }

  async stop() {
    if (this.relay) this.relay.close();
    for (const child of this.children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      const gone = await Promise.race([new Promise((r) => child.on('exit', () => r(true))), sleep(5000).then(() => false)]);
      if (!gone) child.kill('SIGKILL');
    }
  }
}

function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

module.exports = { Store, skip, SKIP, waitFor, sleep };
